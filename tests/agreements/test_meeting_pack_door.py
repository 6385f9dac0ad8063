"""Issue 27, finding 6: a meeting's follow-up pack goes through the export door.

Only roles with the export right get its buttons; its files are built when a button is clicked,
never on a plain view of the page (the pack was built into every view and served to anyone who
opened the meeting); its figures are those of the viewer's ámbito.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agreements import meetings as mt
from tests.warehouses import embedded_only
from ui import meeting_pack
from ui.session import User

ROOT = Path(__file__).resolve().parents[2]
PACK_BUTTONS = {"Descargar HTML", "Descargar Excel"}
pytestmark = embedded_only


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every pack file built while the test runs (the real builders, counted)."""
    calls: list[str] = []
    to_html, to_xlsx = meeting_pack.to_html, meeting_pack.to_xlsx

    def html(pack: mt.FollowUp) -> str:
        calls.append("html")
        return to_html(pack)

    def xlsx(pack: mt.FollowUp) -> bytes:
        calls.append("xlsx")
        return to_xlsx(pack)

    monkeypatch.setattr(meeting_pack, "to_html", html)
    monkeypatch.setattr(meeting_pack, "to_xlsx", xlsx)
    return calls


def _page(user: User) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "reuniones.py"), default_timeout=60)
    at.session_state["user"] = user
    at.query_params["reunion"] = "R1"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _download_labels(at: AppTest) -> set[str]:
    return {e.proto.label for e in at.get("download_button")}


@pytest.mark.parametrize(
    ("rol", "direccion"), [("director_normativo", "DPM"), ("enlace", "DA"), ("planeacion", None)]
)
def test_no_pack_for_a_role_without_the_export_right(board_db, built, rol, direccion):
    at = _page(User("u", "U", frozenset({rol}), cve_direccion=direccion))
    assert not PACK_BUTTONS & _download_labels(at)
    assert built == []
    assert any("permiso de exportar" in c.value for c in at.caption)


@pytest.mark.parametrize("rol", ["analista", "direccion_general"])
def test_the_pack_is_built_only_on_click_for_exporters(board_db, built, rol):
    at = _page(User("u", "U", frozenset({rol}), ambito="region:Centro"))
    assert _download_labels(at) >= PACK_BUTTONS
    assert built == []  # a view of the page builds nothing


def test_the_pack_holds_only_the_viewers_ambito(board_db):
    everyone = mt.follow_up("R2", board_db)
    assert everyone.kpis.registrados == 3  # OOAD 01 twice, OOAD 05 once
    assert mt.follow_up("R2", board_db, ambito="region:Centro").kpis.registrados == 0
    ooad = mt.follow_up("R2", board_db, ambito="ooad:01")
    assert ooad.kpis.registrados == 2 and set(ooad.vencidos["folio"]) <= {
        "RR-NOR-2026-0001",
        "RR-NOR-2026-0002",
    }
    html = meeting_pack.to_html(mt.follow_up("R1", board_db, ambito="ooad:09"))
    assert "RR-CEN-2026-0003" not in html  # the UMAE U01 agreement is not of OOAD 09

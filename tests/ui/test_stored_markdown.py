"""Issue 27 finding 5: text stored from a file (the strategy map's catalogs) is shown as its own
characters on the strategy map — in the box titles, the objective's help text and the owner's
tooltip — never as Markdown (bold, a live link, colour, a formula, a tag)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from tests.indicators import tiny_warehouse
from ui.safe import JOINER, plain
from ui.session import User

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = "**x** [l](http://evil) :red[x] $x^2$ <b>"
DG = User("dg", "Directora General", frozenset({"direccion_general"}))


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A tiny warehouse whose first objective and every KPI owner carry the payload."""
    path = tiny_warehouse.build(tmp_path / "cmi.duckdb")
    assert isinstance(path, Path)
    with warehouse.transaction(path) as cur:
        first = cur.execute("SELECT min_by(cve_objetivo, orden) FROM objetivos").fetchone()
        assert first is not None and first[0]
        cur.execute(
            "UPDATE objetivos SET nombre_corto = ?, nombre = ? WHERE cve_objetivo = ?",
            [PAYLOAD, "Ayuda " + PAYLOAD, first[0]],
        )
        cur.execute("UPDATE indicadores_estrategia SET responsable = ?", [PAYLOAD])
    warehouse.close_all()
    monkeypatch.setenv("CMI_DB", str(path))
    yield path
    warehouse.close_all()


def _bare(text: str) -> bool:
    """Whether text still holds the payload with its Markdown characters unescaped."""
    return "**x**" in text or "[l](" in text or ":red[" in text or "$x^2$" in text or "<b>" in text


def test_the_strategy_map_shows_stored_text_literally(hostile: Path) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / "mapa_estrategico.py"), default_timeout=120)
    at.session_state["user"] = DG
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    helps = [m.help or "" for m in at.markdown] + [b.help or "" for b in at.button]
    shown = texts + helps
    assert not [t for t in shown if _bare(t)], [t for t in shown if _bare(t)]
    escaped = plain(PAYLOAD)
    assert any(escaped in t for t in texts), texts  # the box title, escaped
    assert any(("Ayuda " + escaped) in h for h in helps)  # the objective's help text
    assert any(f"Responsable: {escaped}" in h for h in helps)  # the owner's tooltip
    # what a person reads is the payload itself
    assert plain(PAYLOAD).replace("\\", "").replace(JOINER, "") == PAYLOAD

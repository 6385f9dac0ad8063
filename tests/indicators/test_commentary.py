"""Commentary: only the owner or the DG writes; history is kept; the DG's request reaches the owner."""

from __future__ import annotations

from pathlib import Path

import pytest

from agreements import notices
from indicators import commentary
from indicators.commentary import Author, CommentaryError
from tests.warehouses import Warehouses
from ui.report import build_report_html
from warehouse.connection import Location

DPM = Author("director", "DPM")
DG = Author("general", None, es_dg=True)


@pytest.fixture
def db(warehouses: Warehouses) -> Location:
    """A private copy of the demo warehouse, in both modes (alerts and comments write with MERGE / next_id)."""
    return warehouses.demo()


def test_owner_writes_history_is_kept_and_the_latest_shows(db: Path) -> None:
    assert commentary.owner_directorate("consultas_medicina_familiar", db) == "DPM"
    first = commentary.add(
        "consultas_medicina_familiar", "2019-12", "nacional", "Vacaciones.", "Jornadas.", DPM, db
    )
    second = commentary.add(
        "consultas_medicina_familiar", "2019-12", "nacional", "Diciembre.", "Fines de semana.", DPM, db
    )
    assert second > first
    history = commentary.history("consultas_medicina_familiar", db=db)
    assert list(history["por_que"]) == ["Diciembre.", "Vacaciones."]  # newest first, nothing overwritten
    latest = commentary.latest(
        ["consultas_medicina_familiar", "patrones_registrados"], "2019-12", "nacional", db
    )
    assert set(latest) == {"consultas_medicina_familiar"}
    assert latest["consultas_medicina_familiar"]["que_se_hace"] == "Fines de semana."
    assert commentary.latest(["consultas_medicina_familiar"], "2019-11", "nacional", db) == {}
    # the DG hears of it in its inbox
    dg = notices.inbox(notices.DG_INBOX, db)
    assert (dg["evento"] == "indicador_comentario").sum() == 2


def test_one_query_reads_each_kpis_note_at_its_own_scope(db: Path) -> None:
    commentary.add("consultas_medicina_familiar", "2019-12", "nacional", "Nacional.", "N.", DPM, db)
    commentary.add("consultas_especialidades", "2019-12", "region:Centro", "Centro.", "C.", DPM, db)
    commentary.add("consultas_especialidades", "2019-12", "nacional", "Otra escala.", "O.", DPM, db)
    notes = commentary.latest_at(
        {"consultas_medicina_familiar": "nacional", "consultas_especialidades": "region:Centro"},
        "2019-12",
        db,
    )
    assert {k: v["por_que"] for k, v in notes.items()} == {
        "consultas_medicina_familiar": "Nacional.",
        "consultas_especialidades": "Centro.",
    }
    # a note at another scope is not the card's: the regional card does not show the national note
    assert commentary.latest_at({"consultas_medicina_familiar": "region:Centro"}, "2019-12", db) == {}
    assert commentary.latest_at({}, "2019-12", db) == {}


def test_other_directorates_and_empty_texts_are_refused(db: Path) -> None:
    with pytest.raises(CommentaryError, match=r"Solo la dirección responsable .* \(DPM\)"):
        commentary.add(
            "consultas_medicina_familiar", "2019-12", "nacional", "x", "y", Author("otro", "DIR"), db
        )
    with pytest.raises(CommentaryError, match=r"«¿Qué se hace\?»"):
        commentary.add("consultas_medicina_familiar", "2019-12", "nacional", "x", "  ", DPM, db)
    assert commentary.history("consultas_medicina_familiar", db=db).empty
    assert commentary.add("patrones_registrados", "2019-12", "nacional", "x", "y", DG, db) > 0


def test_dg_request_is_a_notice_in_the_owners_inbox(db: Path) -> None:
    before = notices.unread_count("DIR", db)
    assert commentary.request("patrones_registrados", "2019-12", "nacional", "general", db) == "DIR"
    inbox = notices.inbox("DIR", db, unread_only=True)
    assert notices.unread_count("DIR", db) == before + 1
    row = inbox.iloc[0]
    assert (row["folio"], row["evento"]) == ("Patrones registrados", "indicador_solicitud")
    assert "solicita un comentario" in row["mensaje"] and "2019-12" in row["mensaje"]


def test_commentary_is_in_the_executive_report(db: Path) -> None:
    commentary.add(
        "consultas_medicina_familiar", "2019-12", "nacional", "Baja <estacional>.", "Jornadas.", DPM, db
    )
    report = build_report_html("2019-12", "nacional", db)
    assert "Comentarios de los responsables" in report
    assert "Baja &lt;estacional&gt;." in report and "Jornadas." in report

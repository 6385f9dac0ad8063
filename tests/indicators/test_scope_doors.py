"""Issue 27, findings 3, 7 and 15: KPI commentary and inboxes within the reader's ámbito; audit rows.

Rule: a commentary (and a KPI notice) is filed under a scope; it is read by people whose ámbito
holds that scope. OOAD 05 (Coahuila) is Norte; OOAD 09 and 10 (Ciudad de México) are Centro.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agreements import notices
from indicators import alerts, commentary
from indicators.commentary import Author, CommentaryError
from tests.warehouses import Warehouses
from warehouse import query_rows
from warehouse.connection import Location

KPI = "consultas_medicina_familiar"  # owned by DPM
DPM = Author("director", "DPM")
DG = Author("general", None, es_dg=True)
WHERE = ("nacional", "region:Centro", "region:Norte", "ooad:05", "ooad:09", "ooad:10", "entidad:09")
READS = {
    "nacional": {*WHERE},
    "region:Centro": {"region:Centro", "ooad:09", "ooad:10", "entidad:09"},
    "ooad:10": {"ooad:10"},
    "ooad:05": {"ooad:05"},
}


@pytest.fixture
def db(warehouses: Warehouses) -> Location:
    return warehouses.demo()


def _umae_of(db: Path, ooad: str) -> str | None:
    rows = query_rows("SELECT cve_umae FROM umae WHERE cve_ooad = ? ORDER BY 1 LIMIT 1", [ooad], db)
    return rows[0][0] if rows else None


def test_commentary_is_read_only_inside_the_ambito(db: Path) -> None:
    umae = _umae_of(db, "10")  # a UMAE of CDMX Sur: inside ooad:10 and region:Centro
    assert umae is not None
    for where in (*WHERE, f"umae:{umae}"):
        commentary.add(KPI, "2019-12", where, f"Por qué en {where}.", "Acción.", DG, db)
    for within, expected in READS.items():
        expected = expected | (
            {f"umae:{umae}"} if within in ("nacional", "region:Centro", "ooad:10") else set()
        )
        assert set(commentary.history(KPI, within=within, db=db)["ambito"]) == expected, within
        one = commentary.history(KPI, "2019-12", "ooad:05", db, within=within)
        assert set(one["ambito"]) == {"ooad:05"} & expected, within


def test_commentary_written_and_asked_only_inside_the_ambito(db: Path) -> None:
    centro = Author("director", "DPM", ambito="region:Centro")
    assert commentary.add(KPI, "2019-12", "ooad:09", "Por qué.", "Acción.", centro, db) > 0
    for outside in ("ooad:05", "nacional", "region:Norte"):
        with pytest.raises(CommentaryError, match="fuera de su ámbito"):
            commentary.add(KPI, "2019-12", outside, "Por qué.", "Acción.", centro, db)
        with pytest.raises(CommentaryError, match="fuera de su ámbito"):
            commentary.request(KPI, "2019-12", outside, "general", db, within="region:Centro")
    assert set(commentary.history(KPI, db=db)["ambito"]) == {"ooad:09"}


def test_inboxes_deliver_kpi_notices_only_inside_the_readers_ambito(db: Path) -> None:
    commentary.request(KPI, "2019-12", "ooad:05", "general", db)  # to DPM, about Coahuila
    commentary.request(KPI, "2019-12", "ooad:10", "general", db)  # to DPM, about CDMX Sur
    commentary.add(KPI, "2019-12", "ooad:05", "Por qué.", "Acción.", DPM, db)  # to DG, about Coahuila
    alerts.follow("director", "DPM", KPI, "ooad:05", db)
    alerts.alert_now_if_off("director", "DPM", KPI, "ooad:05", "2019-12", db)
    subjects = {
        "nacional": {"ooad:05", "ooad:10"},
        "region:Centro": {"ooad:10"},
        "region:Norte": {"ooad:05"},
        "ooad:10": {"ooad:10"},
    }
    for within, expected in subjects.items():
        dpm = notices.inbox("DPM", db, within=within)
        said = " ".join(dpm["mensaje"])
        for scope in ("ooad:05", "ooad:10"):
            assert (scope in said) == (scope in expected), within
        assert notices.unread_count("DPM", db, within=within) == len(dpm), within
        dg = notices.inbox(notices.DG_INBOX, db, within=within)
        assert ("ooad:05" in " ".join(dg["mensaje"])) == ("ooad:05" in expected), within
    # marking all read inside region:Centro leaves the Coahuila notices unread for a national reader
    before = notices.unread_count("DPM", db)
    marked = notices.mark_read("DPM", db=db, within="region:Centro")
    assert marked == notices.unread_count("DPM", db, within="region:Centro") + marked
    assert notices.unread_count("DPM", db) == before - marked
    assert notices.unread_count("DPM", db, within="region:Norte") > 0


def test_agreement_notices_follow_their_agreement(db: Path) -> None:
    from agreements import actions
    from ui.session import User

    dg = User("general", "DG", frozenset({"direccion_general"}))
    folios = {}
    for region in ("Centro", "Norte"):
        folios[region] = query_rows(
            "SELECT folio FROM acuerdos WHERE region = ? AND cve_direccion = 'DPM' ORDER BY folio LIMIT 1",
            [region],
            db,
        )[0][0]
        actions.comment(folios[region], dg, f"Revisar {region}.", db)
    for within, seen in (
        ("nacional", {"Centro", "Norte"}),
        ("region:Centro", {"Centro"}),
        ("region:Norte", {"Norte"}),
    ):
        shown = set(notices.inbox("DPM", db, within=within)["folio"])
        assert {r for r, f in folios.items() if f in shown} == seen, within
        outside = {
            r[0]
            for r in query_rows(
                "SELECT DISTINCT region FROM acuerdos WHERE list_contains(?, folio)", [list(shown)], db
            )
        }
        assert outside <= seen, within


def _audit(db: Path, accion: str) -> list[tuple]:
    return query_rows("SELECT usuario, detalle FROM auditoria WHERE accion = ? ORDER BY id", [accion], db)


def test_comments_follows_and_requests_leave_audit_rows(db: Path) -> None:
    commentary.add(KPI, "2019-12", "ooad:09", "Por qué.", "Acción.", DPM, db)
    commentary.request(KPI, "2019-12", "ooad:09", "general", db)
    alerts.follow("director", "DPM", KPI, "ooad:09", db)
    alerts.unfollow("director", KPI, "ooad:09", db)
    (comment,) = _audit(db, "indicador_comentario")
    assert comment[0] == "director" and KPI in comment[1] and "ooad:09" in comment[1]
    (request,) = _audit(db, "indicador_solicitud_comentario")
    assert request[0] == "general" and "DPM" in request[1]
    assert [r[0] for r in _audit(db, "indicador_seguir")] == ["director"]
    assert [r[0] for r in _audit(db, "indicador_dejar_de_seguir")] == ["director"]

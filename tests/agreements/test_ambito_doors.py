"""Issue 27, findings 1 and 2: every door to one agreement applies the reader's ámbito.

An agreement outside the ámbito is «no encontrado», exactly like a folio that does not exist
(no existence oracle): the record by folio, its history and evidence, and every write.
Hand-built set: Centro agreements of OOAD 09 (and CEN-0003 of UMAE U01, no OOAD), Norte
agreements of OOAD 01 and 05.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agreements import actions as act
from agreements import board as ag
from agreements.evidence import Evidence
from tests.agreements.conftest import DA, DG, DPM, PLANNER
from tests.agreements.hand_built import AGREEMENTS, AS_OF
from tests.agreements.test_smtp import smtp_server  # noqa: F401 (a fixture)
from tests.page_query import set_filters
from tests.warehouses import embedded_only
from ui.safe import plain

ROOT = Path(__file__).resolve().parents[2]
PDF = Evidence("informe.pdf", b"%PDF-1.4 informe")
MISSING = "RR-SUR-2026-9999"


def _inside(ambito: str) -> set[str]:
    if ambito == "nacional":
        return {r[0] for r in AGREEMENTS}
    level, _, key = ambito.partition(":")
    column = 2 if level == "region" else 3
    return {r[0] for r in AGREEMENTS if r[column] == key}


@pytest.mark.parametrize("ambito", ["nacional", "region:Centro", "region:Norte", "ooad:09", "ooad:05"])
def test_the_record_its_history_and_evidence_stay_inside_the_ambito(board_db, ambito):
    act.add_evidence("RR-NOR-2026-0001", DA, PDF, "informe", db=board_db)  # DA is responsible
    act.add_evidence("RR-CEN-2026-0004", DPM, PDF, "informe", db=board_db)
    inside = _inside(ambito)
    for folio in [*(r[0] for r in AGREEMENTS), MISSING]:
        seen = folio in inside
        record = ag.agreement(folio, board_db, as_of=date_after(), ambito=ambito)
        assert (record is not None) == seen, folio
        assert ag.visible(folio, None, board_db, ambito=ambito) == seen, folio
        if not seen:
            assert ag.history(folio, board_db, ambito=ambito).empty, folio
        if folio in ("RR-NOR-2026-0001", "RR-CEN-2026-0004"):
            assert (not ag.evidences(folio, board_db, ambito=ambito).empty) == seen, folio
    # the board and the record by folio apply the same predicate
    board = ag.agreements(board_db, as_of=date_after(), filtros=ag.BoardFilters(ambito=ambito))
    assert set(board["folio"]) == inside


def date_after():
    return AS_OF.replace(year=2027)  # every hand-built agreement exists by then


def _write_attempts(actor):
    """Each write a person may try on one folio (version 1: the hand-built rows' version)."""
    return {
        "avance": lambda f: act.record_progress(f, actor, 40, "avance", 1),
        "evidencia": lambda f: act.add_evidence(f, actor, PDF, "nota"),
        "comentar": lambda f: act.comment(f, actor, "comentario"),
        "solicitar": lambda f: act.request_conclusion(f, actor, "hecho", 1, PDF),
        "cancelar": lambda f: act.cancel(f, actor, 1, "ya no aplica"),
    }


@pytest.mark.parametrize(
    ("actor", "action", "folio"),
    [
        (DA, "avance", "RR-NOR-2026-0001"),  # DA is responsible, but the agreement is Norte
        (DA, "evidencia", "RR-NOR-2026-0001"),
        (DA, "comentar", "RR-NOR-2026-0001"),
        (DA, "solicitar", "RR-NOR-2026-0001"),
        (DG, "cancelar", "RR-NOR-2026-0002"),
        (DG, "comentar", "RR-NOR-2026-0002"),
    ],
)
def test_a_region_scoped_person_cannot_write_outside_the_region(board_db, actor, action, folio):
    centro = replace(actor, ambito="region:Centro")

    def state() -> tuple:
        record = ag.agreement(folio, board_db, as_of=date_after())
        assert record is not None
        return record["estado"], record["avance"], record["version"]

    before = state()
    history_before = len(ag.history(folio, board_db))
    with pytest.raises(act.AgreementError, match="no encontrado") as outside:
        _write_attempts(centro)[action](folio)
    with pytest.raises(act.AgreementError, match="no encontrado") as missing:
        _write_attempts(centro)[action](MISSING)
    assert str(outside.value).replace(folio, "X") == str(missing.value).replace(MISSING, "X")
    assert state() == before
    assert len(ag.history(folio, board_db)) == history_before
    assert ag.evidences(folio, board_db).empty


def test_the_same_people_still_write_inside_their_region(board_db):
    dpm_centro = replace(DPM, ambito="region:Centro")
    out = act.record_progress("RR-CEN-2026-0004", dpm_centro, 70, "avance", 1, db=board_db)
    assert out.version == 2
    dg_ooad = replace(DG, ambito="ooad:05")
    act.cancel("RR-NOR-2025-0001", dg_ooad, 1, "ya no aplica", db=board_db)
    assert ag.agreement("RR-NOR-2025-0001", board_db, as_of=date_after())["estado"] == "Cancelado"
    with pytest.raises(act.AgreementError, match="no encontrado"):
        act.cancel("RR-NOR-2026-0001", dg_ooad, 1, "de otro OOAD", db=board_db)  # OOAD 01


def test_a_registrar_cannot_register_outside_the_ambito(board_db):
    planner = replace(PLANNER, ambito="region:Centro")
    new = act.NewAgreement(
        cve_reunion="R2", cve_ooad="01", cve_mesa="M1", descripcion="Fuera", cve_direccion="DA"
    )
    count = ag.count(board_db, as_of=date_after())
    with pytest.raises(act.PermissionDeniedError, match="su ámbito"):
        act.register(new, planner, db=board_db)
    assert ag.count(board_db, as_of=date_after()) == count


@embedded_only
@pytest.mark.parametrize(
    ("rol", "ambito", "folio"),
    [
        ("ejecutivo", "region:Centro", "RR-NOR-2026-0001"),
        ("direccion_general", "region:Centro", "RR-NOR-2026-0002"),
        ("director_normativo", "ooad:09", "RR-NOR-2025-0001"),
        ("analista", "ooad:09", "RR-CEN-2026-0003"),  # Centro, but of UMAE U01, not of OOAD 09
    ],
)
def test_a_folio_link_outside_the_ambito_reads_like_a_missing_one(board_db, rol, ambito, folio):
    from ui.session import User

    user = User(
        "u", "U", frozenset({rol}), cve_direccion="DA" if rol == "director_normativo" else None, ambito=ambito
    )

    def page(wanted: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "pages" / "acuerdos.py"), default_timeout=60)
        at.session_state["user"] = user
        set_filters(at)
        at.query_params["folio"] = wanted
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    outside, missing = page(folio), page(MISSING)
    said = [w.value.replace(plain(folio), "X") for w in outside.warning]
    assert said == [w.value.replace(plain(MISSING), "X") for w in missing.warning]
    assert any("no encontrado" in w for w in said)
    description = next(r[13] for r in AGREEMENTS if r[0] == folio)
    text = "\n".join(str(e.value) for e in [*outside.markdown, *outside.subheader, *outside.caption])
    assert folio not in {s for box in outside.selectbox for s in box.options}
    assert description not in text and f"Acuerdo {folio}" not in text


def test_the_daily_digest_mails_only_agreements_inside_each_persons_ambito(board_db, smtp_server):  # noqa: F811
    from datetime import date

    from agreements import notices
    from warehouse import transaction

    with transaction(board_db) as cur:
        cur.execute("UPDATE usuarios SET email = usuario || '@imss.test'")
        cur.execute("UPDATE usuarios SET ambito = 'region:Centro' WHERE usuario IN ('da', 'dpm')")
        cur.execute(
            "UPDATE acuerdos SET fecha_compromiso = DATE '2026-06-15' WHERE folio = 'RR-CEN-2026-0006'"
        )
    by_user = {r.usuario: (r.proximos, r.vencidos) for r in notices.daily_digest(date(2026, 6, 11), board_db)}
    # NOR-0001 (Norte, overdue since 10/06) reaches the national enlace of DA, not DA's Centro director
    assert "da" not in by_user
    assert by_user["dpm"] == (1, 0)  # CEN-0006 only
    assert by_user["enlace.da"] == (0, 1)
    assert not any("RR-NOR" in str(m) for r, m in smtp_server.messages if r == ["dpm@imss.test"])


def test_bulk_registration_outside_the_ambito_is_refused_whole(board_db, tmp_path):
    import pandas as pd

    from agreements import meetings as mt
    from loaders.load import load_file
    from tests.agreements.test_meetings import HEADER, MEETING, ROWS
    from warehouse import transaction

    mt.create(MEETING, PLANNER, db=board_db)  # a Centro meeting: its agreements are Centro's
    count = ag.count(board_db, as_of=date_after())
    rows = pd.DataFrame([r.split(",") for r in ROWS], columns=HEADER.split(",")).replace("", None)
    with pytest.raises(act.AgreementValidationError, match="fuera de su ámbito"):
        act.register_many(rows, replace(PLANNER, ambito="region:Norte"), board_db)
    assert ag.count(board_db, as_of=date_after()) == count
    with transaction(board_db) as cur:
        cur.execute("UPDATE usuarios SET ambito = 'region:Norte' WHERE usuario = 'planeacion1'")
    csv = tmp_path / "acuerdos_rr9.csv"
    csv.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    result = load_file(csv, user="planeacion1", db=board_db)
    assert not result.loaded and "fuera de su ámbito" in result.message
    assert ag.count(board_db, as_of=date_after()) == count

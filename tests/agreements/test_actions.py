"""Registration with folios, progress, DG comments and status, concurrency, evidence, inbox."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from agreements import actions as act
from agreements import board as ag
from agreements import notices
from agreements.evidence import MAX_BYTES, Evidence, EvidenceError, read
from tests.agreements.conftest import DA, DA_ENLACE, DG, DIR, DPM, PLANNER
from warehouse import query_rows

NOW = datetime(2026, 6, 30, 10, 0)


def _new(**kw) -> act.NewAgreement:
    base = dict(
        cve_reunion="R1",
        cve_mesa="M1",
        descripcion="Abrir 20 camas",
        cve_direccion="DPM",
        fecha_compromiso=date(2026, 9, 30),
        fecha_registro=date(2026, 6, 30),
        corresponsables=("DF",),
    )
    return act.NewAgreement(**{**base, **kw})


def _row(db, folio):
    return ag.agreement(folio, db, as_of=date(2026, 12, 31))


def test_register_assigns_next_folio_and_notifies(board_db):
    out = act.register(_new(), PLANNER, board_db, NOW)
    assert out.folio == "RR-CEN-2026-0007"  # CEN-0001…0006 exist
    assert act.register(_new(cve_reunion="R2"), PLANNER, board_db, NOW).folio == "RR-NOR-2026-0004"
    assert act.register(
        _new(fecha_registro=date(2027, 1, 5), fecha_compromiso=None), PLANNER, board_db, NOW
    ).folio == ("RR-CEN-2027-0001")
    row = _row(board_db, out.folio)
    assert (row["estado"], row["avance"], row["region"], row["corresponsables"]) == (
        "Registrado",
        0,
        "Centro",
        ["DF"],
    )
    assert notices.inbox("DPM", board_db)["folio"].tolist()[-1] == out.folio
    assert out.folio in notices.inbox("DF", board_db)["folio"].tolist()
    hist = ag.history(out.folio, board_db)
    assert hist[["campo", "valor_nuevo", "usuario"]].values.tolist() == [
        ["estado", "Registrado", "planeacion1"]
    ]


def test_register_refuses_bad_rows_in_spanish(board_db):
    with pytest.raises(act.AgreementValidationError, match="reunión desconocida «RX»") as info:
        act.register(_new(cve_reunion="RX", cve_direccion="ZZ"), PLANNER, board_db, NOW)
    assert "dirección responsable desconocida «ZZ»" in str(info.value)


def test_register_many_is_atomic_with_consecutive_folios(board_db):
    rows = pd.DataFrame(
        {
            "cve_reunion": ["R2", "R2", "R1"],
            "cve_mesa": ["M1", "M2", "M3"],
            "descripcion": ["Uno", "Dos", "Tres"],
            "cve_direccion": ["DA", "DPM", "DF"],
            "fecha_registro": ["2026-06-01"] * 3,
            "fecha_compromiso": ["2026-08-01", None, "2026-09-01"],
            "corresponsables": ["DPM; DF", None, ""],
        }
    )
    folios = act.register_many(rows, PLANNER, board_db, carga_id=7, now=NOW)
    assert folios == ["RR-NOR-2026-0004", "RR-NOR-2026-0005", "RR-CEN-2026-0007"]
    assert _row(board_db, folios[0])["corresponsables"] == ["DF", "DPM"]
    assert query_rows("SELECT count(*) FROM acuerdos WHERE carga_id = 7", path=board_db)[0][0] == 3
    before = query_rows("SELECT count(*) FROM acuerdos", path=board_db)[0][0]
    bad = rows.assign(cve_mesa=["M1", "M9", "M1"])
    with pytest.raises(act.AgreementValidationError, match="fila 2: mesa de trabajo desconocida «M9»"):
        act.register_many(bad, PLANNER, board_db, now=NOW)
    assert query_rows("SELECT count(*) FROM acuerdos", path=board_db)[0][0] == before


def test_progress_by_responsible_side_only(board_db):
    folio = "RR-NOR-2026-0002"  # DIR responsible, DA co-responsible, Registrado
    out = act.record_progress(folio, DIR, 40, "Se depuraron 3 subdelegaciones", 1, db=board_db, now=NOW)
    assert out.version == 2
    row = _row(board_db, folio)
    assert (row["estado"], row["avance"], row["version"]) == ("En proceso", 40, 2)
    hist = ag.history(folio, board_db)
    assert hist[["usuario", "en_nombre_de", "campo", "valor_anterior", "valor_nuevo"]].values.tolist() == [
        ["dir", "DIR", "avance", "0", "40"],
        ["dir", "DIR", "estado", "Registrado", "En proceso"],
    ]
    assert hist["comentario"].iloc[0] == "Se depuraron 3 subdelegaciones"
    # a co-responsible comments and attaches evidence, but does not move progress
    with pytest.raises(act.PermissionDeniedError, match="No puede registrar avance"):
        act.record_progress(folio, DA, 100, "Lo doy por hecho", 2, db=board_db, now=NOW)
    act.comment(folio, DA, "Enviamos el padrón depurado", db=board_db, now=NOW)
    act.add_evidence(folio, DA, Evidence("padron.csv", b"a,b"), db=board_db, now=NOW)
    assert _row(board_db, folio)["avance"] == 40
    with pytest.raises(act.PermissionDeniedError):
        act.record_progress(folio, DPM, 90, "No me corresponde", 2, db=board_db, now=NOW)
    with pytest.raises(act.PermissionDeniedError):
        act.record_progress(folio, DG, 90, "La DG no captura avance", 2, db=board_db, now=NOW)
    assert set(notices.inbox(notices.DG_INBOX, board_db)["evento"]) == {"avance", "comentario", "evidencia"}


def test_only_dg_concludes_and_only_after_a_request(board_db):
    folio = "RR-NOR-2026-0001"  # DA responsible, En proceso 30 %
    with pytest.raises(act.PermissionDeniedError, match="No puede validar la conclusión"):
        act.validate_conclusion(folio, DA, 1, db=board_db)
    with pytest.raises(act.AgreementError, match="ahí no se puede validar la conclusión"):
        act.validate_conclusion(folio, DG, 1, db=board_db)
    with pytest.raises(act.AgreementError, match="Adjunte la evidencia"):
        act.request_conclusion(folio, DA, "Listo", 1, db=board_db, now=NOW)
    act.comment(folio, DG, "Favor de acelerar", db=board_db, now=NOW)
    pdf = Evidence("contratos.pdf", b"%PDF-1.4 x")
    out = act.request_conclusion(folio, DA, "Contratados 10 de 10", 1, pdf, db=board_db, now=NOW)
    row = _row(board_db, folio)
    assert (row["estado"], row["avance"], out.version) == ("Solicitud de conclusión", 100, 2)
    out = act.validate_conclusion(folio, DG, 2, "Validado en sesión", db=board_db, now=NOW)
    row = _row(board_db, folio)
    assert (row["estado"], row["avance"], row["fecha_conclusion"].date(), out.version) == (
        "Concluido",
        100,
        date(2026, 6, 30),
        3,
    )
    campos = ag.history(folio, board_db)["campo"].tolist()
    assert campos == ["comentario", "estado", "avance", "evidencia", "estado", "fecha_conclusion"]
    with pytest.raises(act.AgreementError, match="ahí no se puede registrar avance"):
        act.record_progress(folio, DA, 100, "Ya concluido", 3, db=board_db)
    eventos = notices.inbox("DA", board_db)["evento"].tolist()
    assert eventos[:3] == ["estado", "solicitud", "comentario"]
    assert "solicitud" in notices.inbox(notices.DG_INBOX, board_db)["evento"].tolist()


def test_dg_returns_and_cancels_with_a_reason(board_db):
    folio = "RR-NOR-2026-0001"
    act.request_conclusion(folio, DA, "Listo", 1, Evidence("a.txt", b"hola"), db=board_db, now=NOW)
    with pytest.raises(act.AgreementError, match="qué falta"):
        act.return_to_progress(folio, DG, 2, "  ", db=board_db)
    act.return_to_progress(folio, DG, 2, "Falta el oficio firmado", db=board_db, now=NOW)
    assert _row(board_db, folio)["estado"] == "En proceso"
    with pytest.raises(act.PermissionDeniedError, match="No puede cancelar"):
        act.cancel(folio, DA, 3, "Ya no aplica", db=board_db)
    with pytest.raises(act.AgreementError, match="motivo"):
        act.cancel(folio, DG, 3, "", db=board_db)
    act.cancel(folio, DG, 3, "Duplicado", db=board_db, now=NOW)
    assert _row(board_db, folio)["estado"] == "Cancelado"
    rows = query_rows(
        "SELECT accion FROM auditoria WHERE detalle LIKE ? ORDER BY id", [f"%{folio}%"], path=board_db
    )
    assert [r[0] for r in rows] == [
        "acuerdo_solicitud_conclusion",
        "acuerdo_rechazado",
        "acuerdo_estado",
        "acuerdo_rechazado",
        "acuerdo_rechazado",
        "acuerdo_estado",
    ]


def test_second_writer_gets_conflict_with_fresh_values(board_db):
    folio = "RR-NOR-2026-0001"
    seen_by_da = seen_by_dpm = _row(board_db, folio)["version"]
    act.record_progress(folio, DA, 60, "Contratados 6 de 10", seen_by_da, db=board_db, now=NOW)
    with pytest.raises(act.ConflictError, match="fue modificado por da") as info:
        act.record_progress(folio, DA_ENLACE, 45, "Yo veía 30 %", seen_by_dpm, db=board_db, now=NOW)
    assert "avance 60 %" in str(info.value)
    assert (info.value.actual["avance"], info.value.actual["version"]) == (60, 2)
    assert _row(board_db, folio)["avance"] == 60  # the first update survives
    assert ag.history(folio, board_db)["valor_nuevo"].tolist() == ["60"]


def test_evidence_stored_with_limits(board_db, tmp_path):
    folio = "RR-NOR-2026-0001"
    pdf = Evidence("Oficio DA 123.pdf", b"%PDF-1.4 contenido")
    act.record_progress(folio, DA, 50, "Anexo oficio", 1, evidencia=pdf, db=board_db, now=NOW)
    files = ag.evidences(folio, board_db)
    assert files[["nombre_original", "tipo", "tamano_bytes"]].values.tolist() == [
        ["Oficio DA 123.pdf", "application/pdf", 18]
    ]
    stored = files["ruta"].iloc[0]
    assert stored.startswith(str(tmp_path / "evidencias")) and Path(stored).read_bytes() == pdf.contenido
    assert ag.evidences(folio, board_db, direccion="DIR").empty
    assert read(stored) == pdf.contenido
    assert read("/etc/hostname") is None  # never outside the evidence folder
    for bad, msg in (
        (Evidence("virus.exe", b"MZ"), "Tipo de archivo no permitido"),
        (Evidence("falso.pdf", b"GIF89a"), "no corresponde"),
        (Evidence("enorme.csv", b"x" * (MAX_BYTES + 1)), "el máximo es 10 MB"),
    ):
        with pytest.raises(EvidenceError, match=msg):
            act.record_progress(folio, DA, 55, "Otro", 2, evidencia=bad, db=board_db, now=NOW)
    # a refused change leaves no file behind
    with pytest.raises(act.ConflictError):
        act.record_progress(folio, DA, 55, "x", 1, evidencia=Evidence("b.txt", b"hola"), db=board_db)
    assert len(list((tmp_path / "evidencias").rglob("*"))) == 2  # the folder and the one PDF


def test_inbox_mark_read(board_db):
    act.comment("RR-CEN-2026-0004", DG, "Revisar avance", db=board_db, now=NOW)
    act.comment("RR-CEN-2026-0001", DG, "Bien hecho", db=board_db, now=NOW)
    assert notices.unread_count("DPM", board_db) == 2
    first = int(notices.inbox("DPM", board_db)["id"].iloc[-1])
    assert notices.mark_read("DPM", [first], db=board_db) == 1
    assert notices.unread_count("DPM", board_db) == 1
    assert notices.mark_read("DA", db=board_db) == 0  # another directorate's rows are untouched
    assert notices.mark_read("DPM", db=board_db) == 1


def test_loaders_can_register_inside_their_own_load_transaction(board_db):
    from agreements.register import insert_all, rows_to_agreements
    from warehouse import transaction

    items = rows_to_agreements(
        pd.DataFrame(
            {"cve_reunion": ["R2"], "cve_mesa": ["M1"], "descripcion": ["x"], "cve_direccion": ["DA"]}
        )
    )
    before = query_rows(
        "SELECT (SELECT count(*) FROM acuerdos), (SELECT count(*) FROM acuerdos_historial)", path=board_db
    )
    with pytest.raises(RuntimeError), transaction(board_db) as cur:
        created = insert_all(cur, items, "carga", NOW, 9)
        assert [n.folio for n in created] == ["RR-NOR-2026-0004"]
        raise RuntimeError("la carga falla después")
    after = query_rows(
        "SELECT (SELECT count(*) FROM acuerdos), (SELECT count(*) FROM acuerdos_historial)", path=board_db
    )
    assert after == before


def test_a_returned_request_takes_progress_back_and_history_keeps_the_requests_100(board_db):
    folio = "RR-NOR-2026-0001"  # DA responsible, En proceso 30 %
    pdf = Evidence("acta.pdf", b"%PDF-1.4 x")
    act.request_conclusion(folio, DA_ENLACE, "Contratados 10 de 10", 1, pdf, db=board_db, now=NOW)
    assert _row(board_db, folio)["avance"] == 100
    act.return_to_progress(folio, DG, 2, "Falta el oficio firmado", db=board_db, now=NOW)
    row = _row(board_db, folio)
    assert (row["estado"], row["avance"], row["version"]) == ("En proceso", 30, 3)
    moves = ag.history(folio, board_db)
    progress = moves[moves["campo"] == "avance"][["valor_anterior", "valor_nuevo"]].values.tolist()
    assert progress == [["30", "100"], ["100", "30"]]  # the request's 100 % stays in the history
    # a second cycle: progress recorded after the return is the one restored by the next return
    act.record_progress(folio, DA_ENLACE, 60, "Falta una firma", 3, db=board_db, now=NOW)
    act.request_conclusion(folio, DA_ENLACE, "Firmado", 4, db=board_db, now=NOW)
    act.return_to_progress(folio, DG, 5, "El oficio es de otro año", db=board_db, now=NOW)
    assert _row(board_db, folio)["avance"] == 60
    # a request made at 100 % returns at 100 %: that was the last recorded value
    act.record_progress(folio, DA_ENLACE, 100, "Todo listo", 6, db=board_db, now=NOW)
    act.request_conclusion(folio, DA_ENLACE, "Todo listo", 7, db=board_db, now=NOW)
    act.return_to_progress(folio, DG, 8, "Otra vez", db=board_db, now=NOW)
    assert _row(board_db, folio)["avance"] == 100


def test_the_actor_gets_no_notice_of_their_own_action_and_resolved_requests_are_read(board_db):
    folio = "RR-NOR-2026-0001"  # DA responsible, DPM co-responsible
    pdf = Evidence("acta.pdf", b"%PDF-1.4 x")
    act.request_conclusion(folio, DA_ENLACE, "Contratados 10 de 10", 1, pdf, db=board_db, now=NOW)
    # the enlace's own request is not in what the enlace reads; the director of DA does see it
    assert notices.inbox("DA", board_db, unread_only=True, viewer="enlace.da").empty
    assert notices.unread_count("DA", board_db, viewer="enlace.da") == 0
    assert notices.inbox("DA", board_db, unread_only=True, viewer="da")["evento"].tolist() == ["solicitud"]
    assert notices.unread_count(notices.DG_INBOX, board_db, viewer="dg") == 1
    act.return_to_progress(folio, DG, 2, "Falta el oficio firmado", db=board_db, now=NOW)
    # resolved: the request's notices are read everywhere; the DG's return is news for DA and DPM
    dg_unread = notices.inbox(notices.DG_INBOX, board_db, unread_only=True, viewer="dg")
    assert dg_unread.empty
    enlace_unread = notices.inbox("DA", board_db, unread_only=True, viewer="enlace.da")
    assert enlace_unread["evento"].tolist() == ["estado"]
    assert notices.inbox("DPM", board_db, unread_only=True)["evento"].tolist() == ["estado"]

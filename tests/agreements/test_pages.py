"""Both agreement pages as Streamlit runs them (AppTest), on the hand-built warehouse.

The pages compute as of today; every deadline of the hand-built set is on or before 2026-08-30,
so from then on (the tests were written on 2026-11-26) the figures below hold whatever the day:
10 agreements; concluded CEN-0001 (54 days, on time), CEN-0002 (80 days, late), CEN-0005
(166 days, on time); cancelled CEN-0003; open CEN-0004 (no deadline), CEN-0006, NOR-0001/0002/0003
and NOR-2025-0001, all but CEN-0004 overdue.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from agreements import actions as act
from agreements import notices
from tests.agreements.conftest import DA, DA_ENLACE, DG, DPM
from tests.agreements.hand_built import AGREEMENTS
from tests.page_query import set_filters
from tests.warehouses import embedded_only
from ui.session import User
from warehouse import clock, transaction

ROOT = Path(__file__).resolve().parents[2]
ALL_FOLIOS = {r[0] for r in AGREEMENTS}
DPM_FOLIOS = {
    "RR-CEN-2026-0001",
    "RR-CEN-2026-0004",
    "RR-CEN-2026-0005",
    "RR-CEN-2026-0006",
    "RR-NOR-2026-0003",
    "RR-NOR-2026-0001",  # co-responsible
}

# Hand-built agreements with fixed dates: the figures are counted by hand as of the suite's day
# (tests/clock.py); only the registration test is meant to hold on any day.
pytestmark = embedded_only


def run(page: str, user: User, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.session_state["user"] = user
    set_filters(at, **state)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def all_text(at: AppTest) -> str:
    parts = [str(e.value) for e in [*at.markdown, *at.caption, *at.subheader, *at.info, *at.warning]]
    parts += [df.value.to_string() for df in at.dataframe]
    parts += [str(o) for s in at.selectbox for o in s.options]
    return "\n".join(parts)


def test_board_as_dg(board_db):
    at = run("pages/acuerdos.py", DG)
    assert metrics(at) == {
        "Registrados · acumulado": "10",
        "Concluidos · acumulado": "3",
        "Concluidos · en el periodo": "0",  # every conclusion of the set is in March–May 2026
        "Abiertos · al corte": "6",
        "Por validar · al corte": "0",
        "Vencidos · al corte": "5",
        "Cumplimiento · acumulado": "33.3 %",  # 3 / (10 - 1)
        "En plazo · acumulado": "66.7 %",  # CEN-0001 and CEN-0005 of three
        "Días para concluir · promedio": "100",  # (54 + 80 + 166) / 3, whole days
    }
    assert set(at.selectbox(key="acuerdos_folio").options) == ALL_FOLIOS
    aging = next(df.value for df in at.dataframe if "Días de atraso" in df.value.columns)
    assert aging["Acuerdos"].sum() == 5
    assert len(at.get("plotly_chart")) == 3  # breakdown, aging, completion curves
    # filters: status and text search
    at.selectbox(key="acuerdos_estado").set_value("Cancelado").run()
    assert metrics(at)["Registrados · acumulado"] == "1"
    assert at.selectbox(key="acuerdos_folio").options == ["RR-CEN-2026-0003"]
    at.selectbox(key="acuerdos_estado").set_value("Todos")
    at.text_input(key="acuerdos_texto").input("capacitacion").run()
    assert at.selectbox(key="acuerdos_folio").options == ["RR-CEN-2026-0004"]


def test_global_sidebar_filters_apply(board_db):
    at = run("pages/acuerdos.py", DG, f_region="Norte", f_ooad=None)
    assert metrics(at)["Registrados · acumulado"] == "4"
    at = run("pages/acuerdos.py", DG, f_region="Centro", f_ooad="09")
    assert set(at.selectbox(key="acuerdos_folio").options) == {
        "RR-CEN-2026-0001",
        "RR-CEN-2026-0002",
        "RR-CEN-2026-0004",
        "RR-CEN-2026-0005",
        "RR-CEN-2026-0006",
    }


def test_directorate_user_sees_only_its_scope(board_db):
    at = run("pages/acuerdos.py", DPM)
    assert metrics(at)["Registrados · acumulado"] == "6"
    assert metrics(at)["Vencidos · al corte"] == "3"  # NOR-0001, NOR-0003, CEN-0006
    assert set(at.selectbox(key="acuerdos_folio").options) == DPM_FOLIOS
    text = all_text(at)
    assert not [f for f in ALL_FOLIOS - DPM_FOLIOS if f in text]
    # the directorate filter cannot widen the scope
    at.selectbox(key="acuerdos_direccion").set_value("DA").run()
    assert at.selectbox(key="acuerdos_folio").options == ["RR-NOR-2026-0001"]


def test_responsible_records_progress_and_board_updates(board_db):
    at = run("pages/acuerdos.py", DA)
    at.selectbox(key="acuerdos_folio").set_value("RR-NOR-2026-0001").run()
    assert "Registrar avance" in all_text(at)
    at.number_input(key="avance_nuevo").set_value(60)
    at.text_area(key="avance_comentario").input("Contratados 6 de 10 especialistas")
    next(b for b in at.button if b.label == "Guardar avance").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Se registró el avance de RR-NOR-2026-0001: 60 %."]
    listing = next(
        df.value for df in at.dataframe if "Folio" in df.value.columns and "Avance" in df.value.columns
    )
    assert listing.set_index("Folio").loc["RR-NOR-2026-0001", "Avance"] == "60 %"
    hist = next(df.value for df in at.dataframe if "Comentario" in df.value.columns)
    assert hist[["Persona", "En nombre de", "Campo", "Antes", "Después"]].values.tolist() == [
        ["Titular DA", "DA", "avance", "30", "60"]
    ]
    assert (
        "Usted puede: registrar avance, adjuntar evidencia, comentar y solicitar la conclusión."
        in all_text(at)
    )
    # the DG cannot capture progress nor validate before a request
    dg = run("pages/acuerdos.py", DG)
    dg.selectbox(key="acuerdos_folio").set_value("RR-NOR-2026-0001").run()
    text = all_text(dg)
    assert "Registrar avance" not in text and "Validar conclusión" not in [b.label for b in dg.button]
    assert "Usted puede: comentar y cancelar con motivo." in text


def test_conflict_shown_with_fresh_values(board_db):
    at = run("pages/acuerdos.py", DA)
    at.selectbox(key="acuerdos_folio").set_value("RR-NOR-2026-0001").run()
    act.record_progress("RR-NOR-2026-0001", DA_ENLACE, 45, "Mientras tanto, el enlace", 1, db=board_db)
    at.number_input(key="avance_nuevo").set_value(60)
    at.text_area(key="avance_comentario").input("Yo veía 30 %")
    next(b for b in at.button if b.label == "Guardar avance").click().run()
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "fue modificado por enlace\\.da" in errors[0] and "avance 45 %" in errors[0]
    assert "**Avance:** 45 %" in all_text(at)  # the panel shows the fresh values


def test_user_outside_scope_gets_no_forms(board_db):
    at = run("pages/acuerdos.py", DPM)
    at.selectbox(key="acuerdos_folio").set_value("RR-CEN-2026-0001").run()  # concluded
    assert "Registrar avance" not in all_text(at)
    assert not [b for b in at.button if b.label == "Guardar"]  # DG form absent


def test_mis_pendientes(board_db):
    act.comment("RR-CEN-2026-0004", DG, "Informe el avance de la capacitación", db=board_db)
    act.comment("RR-NOR-2026-0002", DG, "No es de DPM", db=board_db)
    at = run("pages/mis_pendientes.py", DPM)
    assert metrics(at) == {
        "Abiertos · al corte": "4",
        "Por validar · al corte": "0",
        "Vencidos · al corte": "3",
    }
    text = all_text(at)
    assert "1 notificación sin leer." in text
    assert "Informe el avance de la capacitación" in text and "No es de DPM" not in text
    assert "Directora General" in text  # people's names, not user names
    assert "[Abrir](acuerdos?folio=RR-CEN-2026-0004)" in text  # the record opens from the notice
    listing = at.dataframe[0].value
    # overdue first, most overdue first (Jun 10, Jul 15, Aug 30), then the one without deadline
    assert listing["Folio"].tolist() == [
        "RR-NOR-2026-0001",
        "RR-NOR-2026-0003",
        "RR-CEN-2026-0006",
        "RR-CEN-2026-0004",
    ]
    next(b for b in at.button if b.label == "Marcar todas como leídas").click().run()
    assert "0 notificaciones sin leer." in all_text(at)
    assert [s.value for s in at.success] == ["1 notificación marcada como leída."]


def test_mis_pendientes_of_an_analyst_holds_their_kpi_alerts_and_no_agreements(board_db):
    analyst = User("ana", "Analista", frozenset({"analista"}))
    with transaction(board_db) as cur:  # an alert of a KPI the analyst follows
        notices.write_inbox(
            cur,
            notices.Notice("Consultas", "indicador_alerta", "Alerta: «Consultas» pasó a «Fuera de meta».", "sistema",
                           (notices.personal_inbox("ana"),)),
            datetime(2026, 6, 30, 9, 0),
        )  # fmt: skip
    at = run("pages/mis_pendientes.py", analyst)
    assert not at.error and not at.exception
    text = all_text(at)
    assert "1 notificación sin leer." in text and "pasó a «Fuera de meta»" in text
    assert "acuerdos?folio=" not in text  # a KPI alert opens no agreement record
    assert not at.metric and not at.dataframe  # no agreement figures, no agreement list


@pytest.mark.calendario  # the new folio carries the clock's year
def test_dg_registers_an_agreement_from_the_page(board_db):
    prefix = f"RR-NOR-{clock.today():%Y}-"  # a folio carries its registration year (the business clock's)
    taken = warehouse.query_rows(
        "SELECT count(*) FROM acuerdos WHERE starts_with(folio, ?)", [prefix], board_db
    )
    folio = f"{prefix}{taken[0][0] + 1:04d}"
    at = run("pages/acuerdos.py", DG)
    at.selectbox(key="nuevo_reunion").set_value("R2")
    at.selectbox(key="nuevo_mesa").set_value("M1")
    at.selectbox(key="nuevo_ooad").set_value("01")
    at.selectbox(key="nuevo_responsable").set_value("DPM")
    at.multiselect(key="nuevo_corresponsables").set_value(["DF"])
    at.text_area(key="nuevo_descripcion").input("Abrir un quirófano más en el HGZ 2")
    next(b for b in at.button if b.label == "Registrar acuerdo").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [f"Se registró el acuerdo {folio}."]
    assert metrics(at)["Registrados · acumulado"] == "11"
    assert folio in at.selectbox(key="acuerdos_folio").options
    assert not [b for b in run("pages/acuerdos.py", DPM).button if b.label == "Registrar acuerdo"]


def test_evidence_can_be_downloaded_from_the_record(board_db):
    from agreements.evidence import Evidence

    act.record_progress(
        "RR-NOR-2026-0001", DA, 50, "Oficio", 1, Evidence("oficio.pdf", b"%PDF-1.4 x"), board_db
    )
    at = run("pages/acuerdos.py", DPM)  # co-responsible
    at.selectbox(key="acuerdos_folio").set_value("RR-NOR-2026-0001").run()
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Descargar oficio\\.pdf") == 1  # the file name is user text: escaped
    assert labels[-1] == "Descargar oficio\\.pdf"  # in the record panel, after the board tables' exports


def test_the_dg_validation_view_leads_with_the_request_and_its_evidence(board_db):
    folio = "RR-NOR-2026-0001"  # DA responsible, En proceso 30 %
    said = "Se contrataron 10 de 10 médicos; **anexo** la lista firmada " + "y los contratos. " * 20
    act.request_conclusion(
        folio, DA_ENLACE, said, 1, act.ev.Evidence("contratos.pdf", b"%PDF-1.4 x"), db=board_db
    )
    at = run("pages/acuerdos.py", DG)
    at.selectbox(key="acuerdos_folio").set_value(folio).run()
    assert not at.exception
    box = [m.value for m in at.markdown if m.value.startswith("**Solicitud de conclusión** ·")]
    assert box and "Enlace DA (por DA)" in box[0].replace("\\", "")
    texts = [m.value for m in at.markdown]
    start = texts.index(box[0])
    # right after the request's heading: «Qué se realizó», the whole text (escaped), its evidence
    assert texts[start + 1] == "**Qué se realizó**"
    assert texts[start + 2].replace("\\", "") == said.strip()
    assert texts[start + 3] == "**Evidencia** (1 archivo)"
    downloads = [e.proto.label.replace("\\", "") for e in at.get("download_button")]
    assert any(label.startswith("Descargar contratos.pdf (") for label in downloads), downloads
    # the decision comes before the record's details and history
    labels = [b.label for b in at.button]
    assert "Validar conclusión" in labels and "Devolver a «En proceso»" in labels
    assert texts.index("**Historial**") > start + 3
    assert labels.count("Validar conclusión") == 1

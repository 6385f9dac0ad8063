"""The whole cycle on the demo warehouse, as people click it (AppTest), and one number on every page.

enlace (for DPM) records progress and requests conclusion → the DG sees it in «Por validar» and
returns it with a comment → the enlace completes it and asks again → the DG validates → the board
and Resumen move by exactly one, and show the same figures. The evidence file is attached through
the domain function: AppTest cannot fill a file uploader (the browser test does).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from agreements import actions as act
from agreements.evidence import Evidence
from tests.agreements.conftest import overdue_dpm_folios
from ui.session import User
from warehouse import clock, query_rows

pytestmark = pytest.mark.calendario  # deadlines and the period in course follow the clock

ROOT = Path(__file__).resolve().parents[2]
ENLACE = User("enlace", "Enlace de la DPM (demo)", frozenset({"enlace"}), cve_direccion="DPM")
DG = User("general", "Dirección General (demo)", frozenset({"direccion_general"}))
DIRECTOR = User(
    "director", "Director normativo DPM (demo)", frozenset({"director_normativo"}), cve_direccion="DPM"
)


def current() -> dict[str, str]:
    """The sidebar's year in course: agreement figures follow the sidebar's period (as of its end, or
    today while it runs), and the cycle happens today."""
    return {"tipo": "Año", "anio": f"{clock.today().year}"}


HEADLINE = (
    "Registrados · acumulado",
    "Concluidos · acumulado",
    "Concluidos · en el periodo",
    "Abiertos · al corte",
    "Por validar · al corte",
    "Vencidos · al corte",
    "Cumplimiento · acumulado",
)


@pytest.fixture
def cycle_db(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "cmi.duckdb"
    warehouse.close_all()
    shutil.copy(demo_db, path)
    monkeypatch.setenv("CMI_DB", str(path))
    monkeypatch.setenv("CMI_EVIDENCIAS", str(tmp_path / "evidencias"))
    monkeypatch.delenv("CMI_SMTP_HOST", raising=False)
    day = clock.today()
    if day.month == 1:  # no month of the new year has data yet, so no period of the sidebar runs to
        # today: the cycle happens on the last day of the year just closed, which the demo covers
        monkeypatch.setenv("CMI_HOY", f"{day.year - 1}-12-31")
    yield path
    warehouse.close_all()


def page(name: str, user: User, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / name), default_timeout=120)
    at.session_state["user"] = user
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def figures(at: AppTest) -> dict[str, str]:
    shown = {m.label: m.value for m in at.metric}
    return {k: shown[k] for k in HEADLINE}


def number(text: str) -> int:
    return int(text.replace(",", ""))


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_full_cycle_moves_board_and_resumen_by_exactly_one(cycle_db: Path) -> None:
    folio = overdue_dpm_folios(cycle_db)[0]  # DPM, En proceso, overdue on the suite's day
    board_before = figures(page("pages/acuerdos.py", DG, **current()))
    resumen_before = figures(page("pages/resumen.py", DG, **current()))
    assert board_before == resumen_before

    # 1. the enlace records progress from the record opened by its link (?folio=)
    at = page("pages/acuerdos.py", ENLACE, folio=folio)
    at.number_input(key="avance_nuevo").set_value(95)
    at.text_area(key="avance_comentario").input("Se instalaron 19 de 20 camas")
    click(at, "Guardar avance")
    assert at.success[0].value == f"Se registró el avance de {folio}: 95 %."
    act.add_evidence(folio, ENLACE, Evidence("acta_entrega.pdf", b"%PDF-1.4 acta"))
    at = page("pages/acuerdos.py", ENLACE, folio=folio)
    at.text_area(key="sol_comentario").input("Camas instaladas; se anexa el acta de entrega")
    click(at, "Solicitar conclusión")
    assert at.success[0].value == f"Se envió a la Dirección General la solicitud de conclusión de {folio}."

    # 2. the DG sees it in «Por validar» and returns it with a comment
    dg = page("pages/acuerdos.py", DG, **current())
    assert figures(dg)["Por validar · al corte"] == "1"
    pending = next(df.value for df in dg.dataframe if "Folio" in df.value.columns)
    assert pending["Folio"].tolist() == [folio]
    dg = page("pages/acuerdos.py", DG, folio=folio)
    dg.text_area(key="dg_comentario").input("Falta la foto de la cama 20")
    click(dg, "Devolver a «En proceso»")
    assert dg.success[0].value == f"{folio} volvió a «En proceso» con su comentario."

    # 3. the enlace completes and asks again; 4. the DG validates
    at = page("pages/acuerdos.py", ENLACE, folio=folio)
    at.number_input(key="avance_nuevo").set_value(100)
    at.text_area(key="avance_comentario").input("Cama 20 instalada")
    click(at, "Guardar avance")
    at = page("pages/acuerdos.py", ENLACE, folio=folio)
    at.text_area(key="sol_comentario").input("Las 20 camas, con foto")
    click(at, "Solicitar conclusión")
    dg = page("pages/acuerdos.py", DG, folio=folio)
    click(dg, "Validar conclusión")
    assert dg.success[0].value == f"Se validó la conclusión de {folio}."

    board_after = figures(page("pages/acuerdos.py", DG, **current()))
    resumen_after = figures(page("pages/resumen.py", DG, **current()))
    assert board_after == resumen_after
    delta = {k: number(board_after[k].rstrip(" %").split(".")[0]) - number(board_before[k].rstrip(" %").split(".")[0])
             for k in HEADLINE if "%" not in board_before[k]}  # fmt: skip
    assert delta == {
        "Registrados · acumulado": 0,
        "Concluidos · acumulado": 1,
        "Concluidos · en el periodo": 1,
        "Abiertos · al corte": -1,
        "Por validar · al corte": 0,
        "Vencidos · al corte": -1,
    }
    # who did what, on whose behalf, is in the history; each action left one audit row
    rows = query_rows(
        "SELECT h.usuario, n.en_nombre_de, h.campo, h.valor_nuevo FROM acuerdos_historial h"
        " JOIN acuerdos_historial_en_nombre n ON n.historial_id = h.id WHERE h.folio = ? AND h.campo = 'estado'"
        " ORDER BY h.id",
        [folio],
        cycle_db,
    )
    assert rows == [
        ("enlace", "DPM", "estado", "Solicitud de conclusión"),
        ("general", "DG", "estado", "En proceso"),
        ("enlace", "DPM", "estado", "Solicitud de conclusión"),
        ("general", "DG", "estado", "Concluido"),
    ]
    actions = query_rows(
        "SELECT accion, count(*) FROM auditoria WHERE detalle LIKE ? GROUP BY 1 ORDER BY 1",
        [f"{folio}%"],
        cycle_db,
    )
    assert actions == [
        ("acuerdo_avance", 2),
        ("acuerdo_estado", 2),
        ("acuerdo_evidencia", 1),
        ("acuerdo_solicitud_conclusion", 2),
    ]


def test_director_resumen_equals_board_for_that_director(cycle_db: Path) -> None:
    board = figures(page("pages/acuerdos.py", DIRECTOR, **current()))
    resumen = figures(page("pages/resumen.py", DIRECTOR, **current()))
    assert resumen == board
    institution = figures(page("pages/acuerdos.py", DG, **current()))
    assert number(board["Vencidos · al corte"]) < number(institution["Vencidos · al corte"])
    own = query_rows(
        "SELECT count(*) FROM acuerdos a WHERE estado IN ('Registrado', 'En proceso') AND fecha_compromiso < ?"
        " AND (cve_direccion = 'DPM' OR folio IN (SELECT folio FROM acuerdos_corresponsables WHERE cve_direccion = 'DPM'))",
        [clock.today()],
        path=cycle_db,
    )[0][0]
    assert number(board["Vencidos · al corte"]) == own  # counted by hand in SQL, independently of the board


def test_region_analyst_sees_what_export_shows(cycle_db: Path) -> None:
    analyst = User("ana", "Analista Centro", frozenset({"analista"}), ambito="region:Centro")
    at = page("pages/acuerdos.py", analyst)
    shown = number(figures(at)["Registrados · acumulado"])
    centro = query_rows("SELECT count(*) FROM acuerdos WHERE region = 'Centro'", path=cycle_db)[0][0]
    assert shown == centro and centro < query_rows("SELECT count(*) FROM acuerdos", path=cycle_db)[0][0]
    folios = at.selectbox(key="acuerdos_folio").options
    assert folios and all(f.startswith("RR-CEN-") for f in folios)


def test_export_board_and_page_agree_for_the_region_analyst(cycle_db: Path) -> None:
    from agreements import board as ag

    analyst = User("ana", "Analista Centro", frozenset({"analista"}), ambito="region:Centro")
    shown = number(figures(page("pages/acuerdos.py", analyst))["Registrados · acumulado"])
    exported = ag.count(filtros=ag.BoardFilters(region="Centro"))  # what Exportar › Tablero de acuerdos lists
    assert shown == exported


def test_meetings_page_shows_the_demo_round_and_its_pack(cycle_db: Path) -> None:
    at = page("pages/reuniones.py", User("planeacion", "Planeación (demo)", frozenset({"planeacion"})))
    listing = at.dataframe[0].value
    assert listing["Ronda"].value_counts().to_dict() == {"2023": 4, "2026": 1}
    assert listing.set_index("Reunión").loc[
        "8ª Reunión Regional Centro", ["OOAD", "UMAE", "Acuerdos"]
    ].tolist() == [
        11,
        14,
        816,
    ]
    assert int(listing[listing["Ronda"] == "2023"]["Acuerdos"].sum()) == 2541
    assert not at.get("download_button")  # the pack goes through the export door: Planeación may not export
    assert "Registrar una reunión" in [e.label for e in at.expander]
    dg = page("pages/reuniones.py", DG, reunion="RR4-NOR-2023")
    assert dg.selectbox(key="reunion_sel").value == "RR4-NOR-2023"
    assert [b.label for b in dg.get("download_button")][:2] == ["Descargar HTML", "Descargar Excel"]
    assert "Registrar una reunión" not in [e.label for e in dg.expander]  # only Planeación creates them


def test_record_shows_the_linked_kpi_against_the_agreements_target(cycle_db: Path) -> None:
    from indicators import engine
    from indicators.catalog import get
    from ui.format import fmt_value

    folio, ooad, meta, unit = query_rows(
        "SELECT folio, cve_ooad, meta_kpi, o.nombre FROM acuerdos a JOIN ooad o USING (cve_ooad)"
        " WHERE cve_kpi = 'ocupacion_hospitalaria' ORDER BY folio LIMIT 1",
        path=cycle_db,
    )[0]
    kpi = get("ocupacion_hospitalaria")
    last = engine.last_month_with_data(kpi)
    current = engine.value(kpi.id, f"{last:%Y-%m}", f"ooad:{ooad}").valor
    at = page("pages/acuerdos.py", DG, folio=folio)
    line = next(m.value for m in at.markdown if m.value.startswith("**Indicador vinculado:**"))
    assert unit.split()[0] in line
    assert (
        fmt_value(kpi, current).replace(".", "\\.") in line
        and fmt_value(kpi, meta).replace(".", "\\.") in line
    )


def test_rubric_page_lists_the_agreements_aiming_at_the_kpi(cycle_db: Path) -> None:
    total = query_rows(
        "SELECT count(*) FROM acuerdos WHERE cve_kpi = 'ocupacion_hospitalaria'", path=cycle_db
    )[0][0]
    assert total > 0  # demo texts «Alcanzar una ocupación hospitalaria de 88 % en …» carry the link
    at = page("pages/servicios_medicos.py", DG)
    at.selectbox(key="kpi_servicios_medicos").set_value("ocupacion_hospitalaria").run()
    table = next(df.value for df in at.dataframe if "Meta del acuerdo" in df.value.columns)
    assert len(table) == min(total, 200)
    assert set(table["Meta del acuerdo"]) <= {"85.0", "88.0", "90.0"}
    expected = f"{total:,} {'acuerdo apunta' if total == 1 else 'acuerdos apuntan'} a este indicador."
    assert any(c.value.startswith(expected) for c in at.caption)

"""The KPI screens as Streamlit runs them (AppTest), on the real demo warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from agreements import board as ag
from indicators import engine
from indicators.catalog import CATALOG, by_rubric, get
from indicators.definitions import RUBRICS
from tests.cards import shown as shown_cards
from ui import agreements_view as view
from ui.format import fmt_month, fmt_value_meta
from ui.session import User

pytestmark = pytest.mark.calendario  # reads the demo's dates: `make test` runs it on other days too

ROOT = Path(__file__).resolve().parents[2]
DG = User("dg", "Directora General", frozenset({"direccion_general"}))


@pytest.fixture
def db(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CMI_DB", str(demo_db))
    yield demo_db
    warehouse.close_all()


def run_page(page: str, user: User | None = DG, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    if user is not None:
        at.session_state["user"] = user
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return shown_cards(at)


def test_scorecard_shows_every_kpi_with_the_engine_value_for_the_latest_month(db):
    at = run_page("pages/resumen.py")
    latest = f"{engine.latest_period():%Y-%m}"
    shown = metrics(at)
    scored = [k for k in CATALOG if k.rubro != "acuerdos"]  # agreements: the board's own figures
    board = ag.kpis(**ag.cut(latest).span)  # the period's cut: the end of the latest month
    assert set(shown) == {k.nombre for k in scored} | {view.metric_label(key) for key in view.HEADLINE}
    for kpi in scored:
        expected = engine.value(kpi.id, latest, "nacional")
        # value and meta told apart when they would print alike (issue 26): «1.890 M», not «1.9 M»
        assert shown[kpi.nombre] == fmt_value_meta(kpi, expected.valor, expected.meta)[0], kpi.id
    for key in view.HEADLINE:
        assert shown[view.metric_label(key)] == view.metric_value(board, key), key
    statuses = at.dataframe[0].value
    assert list(statuses["Rubro"]) == [n for r, n in RUBRICS.items() if r != "acuerdos"]
    assert statuses["Total"].sum() == len(scored)


def test_scorecard_under_a_year_and_a_region_from_the_url(db):
    at = run_page("pages/resumen.py", tipo="Año", anio="2019", region="Centro", comparacion="Año anterior")
    kpi = get("consultas_medicina_familiar")
    expected = engine.value(kpi.id, "2019", "region:Centro")
    assert metrics(at)[kpi.nombre] == fmt_value_meta(kpi, expected.valor, expected.meta)[0]
    # national-only KPIs stay national
    ingresos = get("ingresos_obrero_patronales")
    national = engine.value(ingresos.id, "2019")
    assert metrics(at)[ingresos.nombre] == fmt_value_meta(ingresos, national.valor, national.meta)[0]


def test_where_are_we_failing_ranks_by_distance_to_target(db):
    at = run_page("pages/resumen.py")
    worst = at.dataframe[1].value
    assert len(worst) > 0
    attainment = [float(c.replace(" %", "").replace(",", "")) for c in worst["Cumplimiento"]]
    assert attainment == sorted(attainment)
    assert set(worst["Estado"]) <= {"✕ Fuera de meta", "▲ En riesgo"}
    assert {"rubro", "kpi", "region", "cve_ooad"} <= set(worst.columns)  # where a row leads, hidden


@pytest.mark.parametrize("rubric", [r for r in RUBRICS if r != "acuerdos"])
def test_each_rubric_page_shows_its_kpis_and_the_ooad_ranking_in_engine_order(db, rubric):
    at = run_page(f"pages/{rubric}.py")
    shown = metrics(at)
    assert set(shown) == {k.nombre for k in by_rubric(rubric)}
    first = by_rubric(rubric)[0]
    latest = f"{engine.latest_period():%Y-%m}"
    if "ooad" in first.niveles:
        table = at.dataframe[0].value
        expected = engine.breakdown(first.id, latest, "ooad", "nacional")
        assert list(table["Clave"]) == list(expected["clave"])
        assert len(table) == 35


def test_rubric_page_drills_to_a_region(db):
    at = run_page("pages/servicios_medicos.py", region="Sureste", kpi_servicios_medicos="chequeos_prevenimss")
    table = at.dataframe[0].value
    assert set(table["Región"]) == {"Sureste"}
    assert len(table) == 8
    assert any("Sureste" in m.value for m in at.markdown)  # breadcrumb


def test_invalid_query_values_fall_back_with_a_notice(db):
    at = run_page("pages/servicios_medicos.py", mes="trece 2099", region="Atlántida", tipo="Semestre")
    notices = " ".join(w.value for w in at.warning)
    assert "«trece 2099»" in notices and "«Atlántida»" in notices and "«Semestre»" in notices
    assert at.sidebar.selectbox(key="mes").value == fmt_month(engine.latest_period())


def test_catalog_page_searches_the_fichas(db):
    at = run_page("pages/catalogo.py")
    assert len(at.expander) == len(CATALOG)
    at.text_input(key="buscar_kpi").input("guarderia").run()
    titles = [e.label for e in at.expander]
    assert titles == [
        "Niñas y niños inscritos en guarderías · Prestaciones económicas y sociales",
        "Capacidad instalada de guarderías · Prestaciones económicas y sociales",
        "Ocupación de guarderías · Prestaciones económicas y sociales",
        "Satisfacción con guarderías · Prestaciones económicas y sociales",
    ]


def test_pages_refuse_without_sign_in(db):
    at = run_page("pages/resumen.py", user=None)
    assert not at.metric
    assert "Inicie sesión" in at.warning[0].value


def test_a_region_scoped_user_ranks_only_its_region(db):
    norte = User("jefa", "Jefa regional Norte", frozenset({"ejecutivo"}), ambito="region:Norte")
    at = run_page("pages/servicios_medicos.py", user=norte)
    assert at.sidebar.selectbox(key="region").options == ["Norte"]
    table = at.dataframe[0].value
    assert set(table["Región"]) == {"Norte"} and len(table) == 8
    # a link to another region is refused, not obeyed
    at = run_page("pages/servicios_medicos.py", user=norte, region="Centro")
    assert set(at.dataframe[0].value["Región"]) == {"Norte"}
    assert any("«Centro»" in w.value for w in at.warning)


def test_an_ooad_head_sees_its_ooad_and_the_national_figure(db):
    head = User("titular", "Titular Puebla", frozenset({"ejecutivo"}), ambito="ooad:23")
    at = run_page("pages/servicios_medicos.py", user=head)
    assert at.sidebar.selectbox(key="ooad").options == ["Puebla"]
    assert list(at.dataframe[0].value["Clave"]) == ["23"]
    assert any("la comparación de regiones no aplica" in c.value for c in at.caption)


def test_breadcrumb_goes_back_up_to_the_nation(db):
    at = run_page("pages/servicios_medicos.py", region="Norte", ooad="Coahuila")
    assert len(at.dataframe[0].value) == 8  # the ranking shows Coahuila's region
    at.button(key="miga_1").click().run()  # «Norte ›»
    assert at.sidebar.selectbox(key="region").value == "Norte"
    assert at.sidebar.selectbox(key="ooad").value is None
    at.button(key="miga_0").click().run()  # «Nacional ›»
    assert at.sidebar.selectbox(key="region").value is None
    assert len(at.dataframe[0].value) == 35


def test_a_umae_from_the_url_shows_hospital_kpis_at_the_umae_and_the_others_at_its_ooad(db):
    umae = "Hospital de Cardiología, CMN Siglo XXI"
    at = run_page("pages/servicios_medicos.py", region="Centro", ooad="Ciudad de México Sur", umae=umae)
    assert at.sidebar.selectbox(key="umae").value == umae
    assert len(at.sidebar.selectbox(key="umae").options) == 5  # the UMAE of CDMX Sur (Siglo XXI, Gineco 4)
    latest = f"{engine.latest_period():%Y-%m}"
    shown = metrics(at)
    hospital = {k.id for k in by_rubric("servicios_medicos") if "umae" in k.niveles}
    assert hospital == {
        "consultas_especialidades",
        "consultas_urgencias",
        "intervenciones_quirurgicas",
        "oportunidad_quirurgica",
        "ocupacion_hospitalaria",
    }
    for kpi in by_rubric("servicios_medicos"):
        scope = "umae:U01" if kpi.id in hospital else "ooad:10" if "ooad" in kpi.niveles else "nacional"
        v = engine.value(kpi.id, latest, scope)
        assert shown[kpi.nombre] == fmt_value_meta(kpi, v.valor, v.meta)[0], kpi.id
    at.button(key="miga_2").click().run()  # «Ciudad de México Sur ›»: back to the OOAD
    assert at.sidebar.selectbox(key="ooad").value == "Ciudad de México Sur"
    assert at.sidebar.selectbox(key="umae").value is None

"""Issue 11: the «Entidad federativa» filter of the sidebar, on real pages (AppTest) and real DuckDB.

A hand-built warehouse, loaded through the real loader, holds for January 2024:
- consultas by OOAD for all 35 offices, consultas_medicina_familiar = 100 × the OOAD's number, so
  Ciudad de México (OOAD 09 Norte + 10 Sur) = 900 + 1,000 = 1,900 and Estado de México (16 + 17)
  = 1,600 + 1,700 = 3,300;
- afiliacion by state (puestos_trabajo = 1,000 × the INEGI code: Estado de México 15,000) and a
  national employers row (patrones 1,001,793), so a state reads its own row for jobs and has no
  figure for employers («No disponible a este nivel»), and an OOAD has no figure for jobs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from indicators import engine
from indicators.catalog import get
from loaders import load_file
from tests.cards import shown as shown_cards
from tests.cards import texts as card_texts
from tests.loaders.helpers import HEADER, MEASURES
from ui.format import fmt_value
from ui.session import User

ROOT = Path(__file__).resolve().parents[2]
MONTH = "2024-01"
CONSULTAS = get("consultas_medicina_familiar")
PUESTOS = get("puestos_trabajo_afiliados")
PATRONES = get("patrones_registrados")
INCOME = get("ingresos_obrero_patronales")


def _load(db: Path, path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_file(path, db=db, accept_warnings=True)
    assert result.loaded, result.message


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("entidad")
    path = folder / "cmi.duckdb"
    warehouse.connect(path)
    consultas = [HEADER]
    for n in range(1, 36):
        values = ["0"] * len(MEASURES)
        values[MEASURES.index("consultas_medicina_familiar")] = str(100 * n)
        consultas.append(f"{MONTH},{n:02d}," + ",".join(values))
    _load(path, folder / "consultas.csv", consultas)
    states = ["periodo,cve_entidad,puestos_trabajo"] + [f"{MONTH},{n:02d},{1000 * n}" for n in range(1, 33)]
    _load(path, folder / "afiliacion_entidad.csv", states)
    _load(path, folder / "afiliacion_nacional.csv", ["periodo,patrones", f"{MONTH},1001793"])
    warehouse.close_all()
    yield path
    warehouse.close_all()


@pytest.fixture
def env(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CMI_DB", str(db))
    yield db
    warehouse.close_all()


def _user(ambito: str = "nacional") -> User:
    return User("u", "Usuaria", frozenset({"direccion_general"}), None, ambito)


def run(page: str, user: User, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.session_state["user"] = user
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def cards(at: AppTest) -> dict[str, str]:
    return shown_cards(at)


def captions(at: AppTest) -> str:
    return " | ".join([c.value for c in at.caption] + card_texts(at))


def test_the_engine_figures_are_the_hand_computed_ones(env):
    assert engine.value(CONSULTAS.id, MONTH, "entidad:09", env).valor == 1900
    assert engine.value(CONSULTAS.id, MONTH, "entidad:15", env).valor == 3300
    assert engine.value(CONSULTAS.id, MONTH, "nacional", env).valor == 100 * sum(range(1, 36))
    assert engine.value(PUESTOS.id, MONTH, "entidad:15", env).valor == 15_000
    assert engine.value(PATRONES.id, MONTH, "nacional", env).valor == 1_001_793
    assert engine.value(PATRONES.id, MONTH, "entidad:15", env).valor is None


def test_a_planner_picks_a_state_among_the_32_and_its_offices_follow(env):
    at = run("pages/resumen.py", _user(), mes="enero 2024")
    state = at.sidebar.selectbox(key="entidad")
    assert len(state.options) == 32 and state.value is None
    assert {"Ciudad de México", "Estado de México", "Veracruz", "Yucatán"} <= set(state.options)
    state.select("Ciudad de México").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="ooad").options == ["Ciudad de México Norte", "Ciudad de México Sur"]
    assert cards(at)[CONSULTAS.nombre] == fmt_value(CONSULTAS, 1900)  # the sum of its two OOAD
    # the address keeps it: tests/browser/test_state_filter.py reads it in Chromium


def test_a_deep_link_to_a_state_shows_its_own_figures_and_says_what_it_cannot_give(env):
    at = run("pages/incorporacion_recaudacion.py", _user(), mes="enero 2024", entidad="Estado de México")
    shown = cards(at)
    assert shown[PUESTOS.nombre] == fmt_value(PUESTOS, 15_000)  # its state row, not a split
    assert shown[PATRONES.nombre] == "—"  # national-only data for the month
    assert "No disponible a este nivel: los datos de este periodo son solo nacionales." in captions(at)


def test_on_the_demo_warehouse_a_state_reads_its_offices_and_national_only_kpis_stay_national(
    demo_db, monkeypatch
):
    monkeypatch.setenv("CMI_DB", str(demo_db))
    latest = f"{engine.latest_period(demo_db):%Y-%m}"
    at = run("pages/resumen.py", _user(), entidad="Veracruz")
    north, south = (engine.value(CONSULTAS.id, latest, f"ooad:{c}", demo_db).valor for c in ("32", "33"))
    assert cards(at)[CONSULTAS.nombre] == fmt_value(CONSULTAS, north + south)
    national_income = engine.value(INCOME.id, latest, "nacional", demo_db).valor
    assert cards(at)[INCOME.nombre] == fmt_value(INCOME, national_income)
    assert any(
        f"Meta: {fmt_value(INCOME, engine.value(INCOME.id, latest).meta)} · nacional" in m
        for m in card_texts(at)
    )
    warehouse.close_all()


def test_an_office_of_a_state_level_series_has_no_jobs_figure(env):
    at = run(
        "pages/incorporacion_recaudacion.py",
        _user(),
        mes="enero 2024",
        entidad="Estado de México",
        ooad="Estado de México Oriente",
    )
    assert cards(at)[PUESTOS.nombre] == "—"
    assert "No disponible a este nivel: los datos de este periodo son por entidad federativa." in captions(at)


def test_the_region_narrows_the_states_and_a_state_outside_it_is_cleared(env):
    at = run("pages/resumen.py", _user(), mes="enero 2024", region="Norte")
    options = at.sidebar.selectbox(key="entidad").options
    assert "Coahuila" in options and "Ciudad de México" not in options and len(options) == 8
    at = run("pages/resumen.py", _user(), mes="enero 2024", region="Norte", entidad="Ciudad de México")
    assert at.sidebar.selectbox(key="entidad").value is None
    assert cards(at)[CONSULTAS.nombre] == fmt_value(
        CONSULTAS, engine.value(CONSULTAS.id, MONTH, "region:Norte").valor
    )


def test_a_region_user_may_pick_a_state_of_the_region_and_not_another(env):
    at = run("pages/resumen.py", _user("region:Centro"), mes="enero 2024", entidad="Puebla")
    assert cards(at)[CONSULTAS.nombre] == fmt_value(CONSULTAS, 2300)  # OOAD 23 Puebla
    at = run("pages/resumen.py", _user("region:Centro"), mes="enero 2024", entidad="Coahuila")
    assert any("«Coahuila»" in w.value and "fuera de su ámbito" in w.value for w in at.warning)
    centro = engine.value(CONSULTAS.id, MONTH, "region:Centro").valor
    assert cards(at)[CONSULTAS.nombre] == fmt_value(CONSULTAS, centro)


def test_an_office_user_sees_only_its_own_state_and_office(env):
    at = run("pages/resumen.py", _user("ooad:16"), mes="enero 2024")
    state = at.sidebar.selectbox(key="entidad")
    assert state.options == ["Estado de México"] and state.value == "Estado de México"
    assert cards(at)[CONSULTAS.nombre] == fmt_value(CONSULTAS, 1600)  # its own OOAD, not the state


def test_agreement_kpis_have_no_state_figure_in_the_strategy_map(env):
    from ui.cards import card_scope, unavailable_here

    kpi = get("cumplimiento_acuerdos")
    assert card_scope(kpi, "entidad:09") is None
    assert card_scope(INCOME, "entidad:09") == "nacional"
    assert card_scope(CONSULTAS, "entidad:09") == "entidad:09"
    assert unavailable_here(kpi, "entidad:09") == (
        "No disponible a este nivel: este indicador se mide por región y OOAD, no por entidad federativa."
    )
    at = run("pages/mapa_estrategico.py", _user(), mes="enero 2024", entidad="Ciudad de México")
    labels = [b.label for b in at.button if b.label.startswith(kpi.nombre)]
    assert labels == [f"{kpi.nombre} · No disponible a este nivel · peso 40"]

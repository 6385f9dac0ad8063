"""The medical-unit level on the Servicios médicos page (AppTest) over the tiny hand-built
warehouse with the five units of OOAD 09 (tests/indicators/tiny_warehouse.add_units)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from indicators.catalog import by_rubric
from tests.cards import shown as shown_cards
from tests.cards import texts as card_texts
from tests.indicators import tiny_warehouse
from ui.session import User

ROOT = Path(__file__).resolve().parents[2]
DG = User("dg", "Directora General", frozenset({"direccion_general"}))
OOAD_09 = "Ciudad de México Norte"
UNITS_09 = ["HGZ 24 Insurgentes", "HGZ 27 Tlatelolco", "UMF 20 Vallejo", "UMF 41 Fortuna", "UMF 94 Aragón"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("unidad_ui") / "tiny.duckdb"
    return tiny_warehouse.add_units(tiny_warehouse.build(path))


@pytest.fixture
def db(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CMI_DB", str(tiny))
    monkeypatch.setenv("CMI_WAREHOUSE", "")
    yield tiny
    warehouse.close_all()


def run_page(user: User = DG, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages/servicios_medicos.py"), default_timeout=120)
    at.session_state["user"] = user
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_unit_from_the_url_shows_its_figures_and_says_what_it_does_not_measure(db):
    at = run_page(mes="febrero 2024", region="Centro", ooad=OOAD_09, unidad="UMF 20 Vallejo")
    unit = at.sidebar.selectbox(key="unidad")
    assert unit.value == "UMF 20 Vallejo"
    assert sorted(unit.options) == UNITS_09  # only the chosen OOAD's units
    shown = shown_cards(at)
    # February 2024 at UMF 20: 650 consultations (the OOAD had 1,300)
    assert shown["Consultas de medicina familiar"] == "650"
    captions = " ".join([c.value for c in at.caption] + card_texts(at))
    assert "No disponible a este nivel: esta unidad no registra «Oportunidad quirúrgica»" in captions
    # a KPI with no unit grain at all: the same words as for a state
    not_by_unit = [
        k for k in by_rubric("servicios_medicos") if "unidad" not in k.niveles and "ooad" in k.niveles
    ]
    assert not_by_unit  # satisfaction is measured by OOAD, not by unit
    for kpi in not_by_unit:
        assert shown[kpi.nombre] == "—"
    assert "no por unidad médica" in captions
    # the breadcrumb: Nacional › Centro › Ciudad de México Norte › UMF 20 Vallejo
    assert any(m.value == "**UMF 20 Vallejo**" for m in at.markdown)
    at.button(key="miga_2").click().run()  # «Ciudad de México Norte ›»: back to the OOAD
    assert at.sidebar.selectbox(key="ooad").value == OOAD_09
    assert at.sidebar.selectbox(key="unidad").value is None
    shown = shown_cards(at)
    assert shown["Consultas de medicina familiar"] == "1,300"


def test_the_units_ranking_of_an_ooad_drills_to_a_unit(db):
    at = run_page(mes="febrero 2024", region="Centro", ooad=OOAD_09)
    go = at.selectbox(key="ir_unidad_consultas_medicina_familiar_ooad:09")
    # February, against 800 / 450 / 250: UMF 41 450 (100 %), UMF 94 200 (80 %), UMF 20 650 (81.25 %)
    assert go.options == ["UMF 41 Fortuna", "UMF 20 Vallejo", "UMF 94 Aragón"]
    go.set_value("09UMF041").run()
    assert at.sidebar.selectbox(key="unidad").value == "UMF 41 Fortuna"
    assert shown_cards(at)["Consultas de medicina familiar"] == "450"


def test_an_ooad_user_sees_only_their_units(db):
    user = User("o1", "Titular OOAD 01", frozenset({"ejecutivo"}), ambito="ooad:01")
    at = run_page(user, mes="febrero 2024", unidad="UMF 20 Vallejo")
    assert at.sidebar.selectbox(key="ooad").value == "Aguascalientes"
    unit = at.sidebar.selectbox(key="unidad")
    assert unit.value is None
    assert sorted(unit.options) == [
        "HGZ 1 Aguascalientes",
        "HGZ 2 Aguascalientes Ojocaliente",
        "UMF 1 Aguascalientes Centro",
        "UMF 11 Jesús María",
        "UMF 8 Aguascalientes Jardines",
    ]
    warnings = " ".join(w.value for w in at.warning)
    assert "La unidad médica «UMF 20 Vallejo» de la dirección está fuera de su ámbito" in warnings

"""Medical units below the OOAD: hand-built rows for the five units of OOAD 09 that add up to its
consultations (tiny_warehouse.add_units), read at unit scope, ranked, and splitting the OOAD's gap
with nothing left over."""

from __future__ import annotations

import pytest

from indicators import engine, gap
from indicators.periods import InvalidArgumentError, parse_scope
from tests.indicators import tiny_warehouse
from warehouse import close_all


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory):
    path = tiny_warehouse.add_units(tiny_warehouse.build(tmp_path_factory.mktemp("unidades") / "tiny.duckdb"))
    yield path
    close_all()


def test_a_unit_scope_reads_its_own_rows(db):
    v = engine.value("consultas_medicina_familiar", "2024", "unidad:09umf020", db)  # keys read upper-case
    assert (v.ambito, v.valor, v.meta, v.estado) == ("unidad:09UMF020", 1250.0, 1600.0, "Fuera de meta")
    feb = engine.value("consultas_medicina_familiar", "2024-02", "unidad:09UMF041", db)
    assert (feb.valor, feb.meta, feb.estado, feb.valor_periodo_anterior) == (450.0, 450.0, "En meta", 400.0)
    # HGZ 27: (60 + 65) / (70 + 70); no unit meta, so the national rate of February (90)
    hgz = engine.value("oportunidad_quirurgica", "2024", "unidad:09HGZ027", db)
    assert (hgz.valor, hgz.meta) == (pytest.approx(125 / 140 * 100), 90.0)


def test_the_units_of_an_ooad_add_up_to_it(db):
    ranked = engine.breakdown("consultas_medicina_familiar", "2024", "unidad", "ooad:09", db)
    assert ranked.set_index("clave")["valor"].to_dict() == {
        "09UMF020": 1250.0,
        "09UMF041": 850.0,
        "09UMF094": 400.0,
    }
    assert ranked["valor"].sum() == engine.value("consultas_medicina_familiar", "2024", "ooad:09", db).valor
    assert ranked.set_index("clave")["nombre"]["09UMF020"] == "UMF 20 Vallejo"
    # best first: 850 / 900 = 94.4 %, 400 / 500 = 80 %, 1250 / 1600 = 78.1 %; all under the KPI's
    # amber threshold (95 % of the meta)
    assert list(ranked["clave"]) == ["09UMF041", "09UMF094", "09UMF020"]
    assert list(ranked["cumplimiento"]) == pytest.approx([850 / 900, 0.8, 1250 / 1600])
    assert set(ranked["estado"]) == {"Fuera de meta"}
    assert engine.breakdown("consultas_medicina_familiar", "2024", "unidad", "ooad:01", db).empty


def test_a_unit_without_the_measure_says_so(db):
    # a UMF has no operating rooms: no value, and the reason in words
    v = engine.value("oportunidad_quirurgica", "2024", "unidad:09UMF020", db)
    assert v.valor is None
    assert v.nota.startswith("No disponible a este nivel: esta unidad no registra «Oportunidad quirúrgica»")
    hospitals = engine.breakdown("oportunidad_quirurgica", "2024", "unidad", "ooad:09", db)
    assert list(hospitals["clave"]) == ["09HGZ024", "09HGZ027"]  # 100 % before 89.3 %; no UMF


def test_gap_of_a_sum_split_by_unit_has_no_rest(db):
    value, meta, frame = gap.decompose("consultas_medicina_familiar", "2024", "unidad", "ooad:09", db)
    assert (value, meta) == (2500.0, 3000.0)
    # 1250 − 1600 = −350; 850 − 900 = −50; 400 − 500 = −100: together the OOAD's −500
    assert frame.set_index("clave")["contribucion"].to_dict() == {
        "09UMF020": -350.0,
        "09UMF094": -100.0,
        "09UMF041": -50.0,
    }


def test_gap_of_a_ratio_split_by_unit(db):
    value, meta, frame = gap.decompose("oportunidad_quirurgica", "2024", "unidad", "ooad:09", db)
    assert (value, meta) == (92.5, 90.0)
    # weights 140 and 60 of 200 programadas: 0.7 × (89.29 − 90) = −0.5; 0.3 × (100 − 90) = +3
    by = frame.set_index("clave")["contribucion"].to_dict()
    assert by == pytest.approx({"09HGZ024": 3.0, "09HGZ027": -0.5})


def test_unit_scopes_in_spanish(db):
    assert parse_scope("unidad:09umf020").code == "unidad:09UMF020"
    with pytest.raises(InvalidArgumentError, match="no se mide por unidad médica"):
        engine.value("puestos_trabajo_afiliados", "2024", "unidad:09UMF020", db)
    with pytest.raises(InvalidArgumentError, match="Unidad médica desconocida: «09UMF999»"):
        engine.value("consultas_medicina_familiar", "2024", "unidad:09UMF999", db)
    assert engine.intersect("ooad:09", "unidad:09UMF020", db).code == "unidad:09UMF020"
    assert engine.intersect("region:Centro", "unidad:09UMF020", db).code == "unidad:09UMF020"
    assert engine.intersect("entidad:09", "unidad:09UMF020", db).code == "unidad:09UMF020"
    for outside in ("ooad:10", "region:Norte"):  # CDMX Sur is a sibling OOAD in the same state
        with pytest.raises(InvalidArgumentError, match="fuera de su ámbito"):
            engine.intersect(outside, "unidad:09UMF020", db)
    # an OOAD-scoped user asking for the nation's units gets only their own OOAD's
    own = engine.breakdown("consultas_medicina_familiar", "2024", "unidad", "nacional", db, within="ooad:01")
    assert own.empty

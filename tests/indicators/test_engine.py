"""The engine against a tiny hand-built DuckDB file; every expected value worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from indicators import engine
from indicators.periods import InvalidArgumentError
from tests.indicators import tiny_warehouse


@pytest.fixture(scope="module")
def db(warehouses):
    path = tiny_warehouse.build(warehouses.new("tiny"))
    yield path
    import warehouse

    warehouse.close_all()


def test_flow_year_sums_the_months_with_data_and_compares_a_year_before(db):
    v = engine.value("consultas_medicina_familiar", "2024", "nacional", db)
    assert v.valor == 3200  # (120+130) + (220+230) + (1200+1300)
    assert (v.desde, v.hasta) == ("2024-01", "2024-02")
    assert v.valor_anio_anterior == 2720  # Jan-Feb 2023: 210 + 410 + 2100
    assert v.variacion_anual == pytest.approx(480 / 2720)
    assert v.meta == 3200 and v.cumplimiento == 1.0 and v.estado == "En meta"


def test_flow_month_against_previous_month_and_meta(db):
    v = engine.value("consultas_medicina_familiar", "2024-02", "nacional", db)
    assert v.valor == 1660
    assert v.valor_periodo_anterior == 1540
    assert v.valor_anio_anterior == 1420
    assert v.cumplimiento == pytest.approx(1660 / 1700)
    assert v.estado == "En riesgo"


def test_flow_by_region_and_ooad(db):
    assert engine.value("consultas_medicina_familiar", "2024", "region:Norte", db).valor == 700
    v = engine.value("consultas_medicina_familiar", "2024", "ooad:09", db)
    assert v.valor == 2500 and v.meta == 3000 and v.estado == "Fuera de meta"


def test_stock_takes_the_last_month_of_the_period(db):
    v = engine.value("puestos_trabajo_afiliados", "2024", "nacional", db)
    assert v.valor == 9200  # February 2024: 1100 + 2900 + 5200
    assert v.valor_anio_anterior == 8700  # February 2023
    assert v.meta == 9000 and v.estado == "En meta"
    assert engine.value("puestos_trabajo_afiliados", "2024-01", "region:Norte", db).valor == 4000


def test_ratio_is_a_ratio_of_sums_not_an_average_of_ratios(db):
    v = engine.value("oportunidad_quirurgica", "2024", "region:Norte", db)
    assert v.valor == pytest.approx(100 * 92 / 110)  # not the mean of ratios, 83.75
    # no regional meta: the national target rate (February, the period's last month) applies
    assert v.meta == 90
    assert v.estado == "Fuera de meta"  # 83.64 / 90 = 0.929 < 0.93


def test_ratio_of_stocks_uses_last_month(db):
    v = engine.value("salario_base_cotizacion_promedio", "2024", "nacional", db)
    assert v.valor == pytest.approx(4_700_000 / 8000)


def test_descending_kpi_attainment_is_meta_over_value(db):
    v = engine.value("dias_incapacidad_eg", "2024-02", "nacional", db)
    assert v.valor == 100
    assert v.cumplimiento == pytest.approx(0.95)
    assert v.estado == "En riesgo"


def test_yearly_survey_applies_to_any_month_of_its_year(db):
    v = engine.value("satisfaccion_atencion_medica", "2023-06", "nacional", db)
    assert v.valor == pytest.approx(100 * 630 / 800)
    assert engine.value("satisfaccion_atencion_medica", "2023", "ooad:05", db).valor == pytest.approx(75.0)


def test_breakdown_by_ooad_ranks_by_attainment_and_region_filters(db):
    frame = engine.breakdown("consultas_medicina_familiar", "2024", "ooad", "nacional", db)
    assert list(frame["clave"]) == ["01", "09", "05"]  # 250/200 = 1.25, 2500/3000, 05 has no meta
    assert list(frame["estado"]) == ["En meta", "Fuera de meta", "Sin meta"]
    assert list(frame["nombre"]) == ["Aguascalientes", "Ciudad de México Norte", "Coahuila"]
    assert list(frame["region"]) == ["Norte", "Centro", "Norte"]
    norte = engine.breakdown("consultas_medicina_familiar", "2024", "ooad", "region:Norte", db)
    assert set(norte["clave"]) == {"01", "05"}
    regions = engine.breakdown("consultas_medicina_familiar", "2024", "region", "nacional", db)
    assert dict(zip(regions["clave"], regions["valor"], strict=True)) == {"Norte": 700, "Centro": 2500}


def test_series_is_monthly_with_meta(db):
    frame = engine.series("consultas_medicina_familiar", date(2024, 1, 1), date(2024, 2, 1), "nacional", db)
    assert list(frame["valor"]) == [1540, 1660]
    assert list(frame["meta"]) == [1500, 1700]


def test_agreements_flows_and_stocks_as_of_period_end(db):
    assert engine.value("acuerdos_registrados", "2024", "nacional", db).valor == 4
    assert engine.value("acuerdos_registrados", "2024-02", "nacional", db).valor == 1
    assert engine.value("acuerdos_concluidos", "2024-02", "nacional", db).valor == 1
    # concluded by 29 Feb: A; registered and not cancelled: A, B, D
    assert engine.value("cumplimiento_acuerdos", "2024-02", "nacional", db).valor == pytest.approx(100 / 3)
    assert engine.value("acuerdos_vencidos", "2024-01", "nacional", db).valor == 1  # A, late
    assert (
        engine.value("acuerdos_vencidos", "2024-02", "nacional", db).valor == 1
    )  # D; A concluded, C cancelled
    assert engine.value("acuerdos_registrados", "2024", "region:Centro", db).valor == 2


def test_agreements_seen_by_a_directorate_include_co_responsibility(db):
    # DPM is responsible for A and C and co-responsible for D
    assert engine.value("acuerdos_registrados", "2024", "nacional", db, direccion="DPM").valor == 3
    assert engine.value("acuerdos_registrados", "2024", "nacional", db, direccion="DA").valor == 1


@pytest.mark.parametrize(
    ("kpi", "periodo", "ambito", "fragment"),
    [
        ("no_existe", "2024", "nacional", "Indicador desconocido"),
        ("consultas_medicina_familiar", "2024-13", "nacional", "Periodo no válido"),
        ("consultas_medicina_familiar", "2030", "nacional", "No hay datos"),
        ("consultas_medicina_familiar", "2024", "region:Atlantida", "Región desconocida"),
        ("consultas_medicina_familiar", "2024", "ooad:77", "OOAD desconocido"),
        ("ingresos_totales", "2024", "region:Norte", "solo se mide a nivel nacional"),
    ],
)
def test_invalid_arguments_are_refused_in_spanish(db, kpi, periodo, ambito, fragment):
    with pytest.raises((InvalidArgumentError, KeyError)) as info:
        engine.value(kpi, periodo, ambito, db)
    assert fragment in str(info.value)


def test_cache_key_follows_loads_and_agreement_edits(warehouses):
    from datetime import datetime

    import warehouse
    from agreements.register import append_history
    from warehouse.ids import next_id

    db = tiny_warehouse.build(warehouses.new("k"))
    before = engine.cache_key(db)
    with warehouse.transaction(db) as cur:
        append_history(cur, "B", "dg", datetime(2024, 3, 1), "comentario", None, "Revisado", "Revisado")
    after_edit = engine.cache_key(db)
    with warehouse.transaction(db) as cur:
        cur.execute(
            "INSERT INTO cargas (id, dataset, archivo, filas, usuario, fecha, modo) "
            "VALUES (?, 'consultas', 'x.csv', 1, 'p', now(), 'agregar')",
            [next_id(cur, "seq_cargas")],
        )
    after_load = engine.cache_key(db)
    warehouse.close_all()
    assert len({before, after_edit, after_load}) == 3

"""Periodicity is part of a KPI (issue 26): an annual survey says «Encuesta 2026» under any month,
compares with the survey before, and its trend is yearly; every value worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from indicators import engine, results
from indicators.catalog import get
from indicators.definitions import QUARTERLY
from indicators.engine import KpiValue
from indicators.periodicity import in_the_points, period_name, period_short, point_label, points_noun
from indicators.status import META, PERIOD_BEFORE, YEAR_BEFORE
from tests.indicators import tiny_warehouse
from ui import figures
from ui.cards import comparison_label, data_line, kpi_card, period_shown, trend_words
from ui.filters import Filters
from warehouse.connection import connect

SURVEY = get("satisfaccion_atencion_medica")  # frecuencia anual, «Encuesta»
MONTHLY = get("ocupacion_hospitalaria")
QUARTER = replace(MONTHLY, frecuencia=QUARTERLY)  # no catalog KPI is quarterly yet: the labels are ready


def test_each_frequency_names_its_periods_in_its_own_terms():
    assert period_name(MONTHLY, "2026-11", "2026-11") == "noviembre 2026"
    assert period_name(MONTHLY, "2026-01", "2026-11") == "enero a noviembre 2026"
    assert period_name(MONTHLY, "2025-12", "2026-11") == "diciembre 2025 a noviembre 2026"
    assert period_short(MONTHLY, "2026-01", "2026-11") == "ene–nov 2026"
    assert period_name(SURVEY, "2026-01", "2026-12") == "Encuesta 2026"
    assert period_name(SURVEY, "2026-11", "2026-11") == "Encuesta 2026"  # never «noviembre»
    assert period_short(SURVEY, "2026-01", "2026-12") == "Encuesta 2026"
    assert period_name(QUARTER, "2026-07", "2026-09") == "T3 2026"
    assert period_name(QUARTER, "2026-01", "2026-09") == "T1 a T3 2026"
    assert period_name(QUARTER, "2025-10", "2026-03") == "T4 2025 a T1 2026"
    assert [point_label(k, date(2026, 8, 1)) for k in (MONTHLY, QUARTER, SURVEY)] == [
        "ago 2026",
        "T3 2026",
        "2026",
    ]
    assert (points_noun(MONTHLY, 13), points_noun(MONTHLY, 1)) == ("13 meses", "1 mes")
    assert (points_noun(SURVEY, 6), points_noun(SURVEY, 1), points_noun(QUARTER, 4)) == (
        "6 encuestas",
        "1 encuesta",
        "4 trimestres",
    )
    assert [in_the_points(k, 3) for k in (MONTHLY, SURVEY)] == ["En los 3 meses", "En las 3 encuestas"]
    assert [in_the_points(k, 1) for k in (MONTHLY, SURVEY)] == ["En el único mes", "En la única encuesta"]


def _survey_value(periodo: str = "2026-11") -> KpiValue:
    """The 2026 survey as the engine gives it under the month chosen: its months are the survey year's."""
    return KpiValue(
        kpi=SURVEY.id, nombre=SURVEY.nombre, periodo=periodo, ambito="nacional", valor=83.1, unidad="%",
        meta=82.0, cumplimiento=83.1 / 82.0, estado="En meta", valor_periodo_anterior=82.8,
        variacion_periodo=None, valor_anio_anterior=82.8, variacion_anual=None, desde="2026-01", hasta="2026-12",
    )  # fmt: skip


def test_an_annual_card_under_a_month_says_its_survey_and_compares_with_the_survey_before():
    v = _survey_value()
    assert period_shown(SURVEY, v) == "Encuesta 2026"
    assert data_line(SURVEY, v) == "Datos: Encuesta 2026"
    assert comparison_label(SURVEY, v, META) == "Encuesta 2026 vs meta"
    assert comparison_label(SURVEY, v, YEAR_BEFORE) == "Encuesta 2026 vs Encuesta 2025"
    assert comparison_label(SURVEY, v, PERIOD_BEFORE) == "Encuesta 2026 vs Encuesta 2025"  # not «vs oct 2026»
    # 83.1 − 82.8 = +0.3 pp, better; 83.1 / 82.0 = 1.013, in meta: green
    card = kpi_card(SURVEY, v, [80.9, 81.5, 83.1], Filters("2026-11", PERIOD_BEFORE, None, None))
    assert (card.datos, card.comparacion, card.delta, card.tono) == (
        "Datos: Encuesta 2026",
        "Encuesta 2026 vs Encuesta 2025 · mejor",
        "+0.3 pp",
        "green",
    )
    assert "noviembre" not in f"{card.datos} {card.comparacion}" and "nov" not in card.comparacion
    assert card.tendencia_texto == "Tendencia de 3 encuestas: de 80.9 % a 83.1 %"
    monthly = kpi_card(
        MONTHLY, replace(v, desde="2026-11", hasta="2026-11"), [], Filters("2026-11", META, None, None)
    )
    assert monthly.datos == "Datos de noviembre 2026"
    assert trend_words(MONTHLY, [1.0, 2.0]) == "Tendencia de 2 meses: de 1.0 % a 2.0 %"


def _title(fig) -> str:
    return " ".join(fig.layout.title.text.replace("<br>", " ").split())  # the title wraps for a phone


def test_an_annual_trend_is_titled_yearly_with_one_point_a_survey():
    series = pd.DataFrame(
        {
            "periodo": pd.to_datetime(["2024-01-01", "2025-01-01", "2026-01-01"]),
            "valor": [82.3, 82.8, 83.1],
            "meta": [81.0, 81.5, 82.0],
        }
    )
    fig = figures.trend(SURVEY, series)
    title = _title(fig)
    assert "tendencia anual" in title and "mensual" not in title
    assert list(fig.data[0].x) == ["2024", "2025", "2026"]
    assert figures.trend_summary(SURVEY, series) == (
        "2026: 83.1 %, meta 82.0 %. En las 3 encuestas: mínimo 82.3 % (2024), máximo 83.1 % (2026)."
    )
    monthly = series.assign(periodo=pd.to_datetime(["2026-09-01", "2026-10-01", "2026-11-01"]))
    assert "tendencia mensual" in _title(figures.trend(MONTHLY, monthly))
    assert figures.trend_summary(MONTHLY, monthly).startswith("nov 2026: 83.1 %, meta 82.0 %. En los 3 meses")


# --- the engine and the results table on a tiny warehouse with two surveys -----------------------
# 2023 (tiny_warehouse): (80 + 150 + 400) / (100 + 200 + 500) = 630 / 800 = 78.75 %
# 2022 (added here):     (70 + 140 + 380) / (100 + 200 + 500) = 590 / 800 = 73.75 %
SURVEY_2022 = {"01": (70, 100), "05": (140, 200), "09": (380, 500)}
# the survey's meta is the year's (its last month's): 79 for 2023, not June's 80
SURVEY_METAS = [("2022-12-01", 76.0), ("2023-06-01", 80.0), ("2023-12-01", 79.0)]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory):
    path = tiny_warehouse.build(tmp_path_factory.mktemp("encuestas") / "tiny.duckdb")
    con = connect(path)
    for cve, (sat, enc) in SURVEY_2022.items():
        con.execute("INSERT INTO satisfaccion VALUES (2022, ?, 'atencion_medica', ?, ?, 1)", [cve, enc, sat])
    con.executemany(
        "INSERT INTO metas VALUES (?, ?, 'nacional', ?, 1)", [(SURVEY.id, m, v) for m, v in SURVEY_METAS]
    )
    yield path
    import warehouse

    warehouse.close_all()


@pytest.mark.parametrize("periodo", ["2023-06", "2023-01", "2023"])
def test_under_any_month_an_annual_kpi_is_its_survey_against_the_survey_before(db, periodo):
    v = engine.value(SURVEY.id, periodo, "nacional", db)
    assert v.valor == pytest.approx(78.75)
    assert (v.desde, v.hasta) == ("2023-01", "2023-12")
    assert v.meta == 79.0  # December's: the year's meta, whatever month is asked
    assert v.valor_periodo_anterior == pytest.approx(73.75)  # the 2022 survey, not the same one again
    assert v.valor_anio_anterior == pytest.approx(73.75)
    assert v.estado == "En meta"  # 78.75 / 79 = 0.9968 ≥ 0.98
    card = kpi_card(SURVEY, v, [], Filters(periodo, YEAR_BEFORE, None, None))
    # 78.75 − 73.75 = +5.0 pp, better
    assert (card.datos, card.comparacion, card.delta) == (
        "Datos: Encuesta 2023",
        "Encuesta 2023 vs Encuesta 2022 · mejor",
        "+5.0 pp",
    )


def test_the_results_table_gives_the_engine_s_survey_figures(db):
    table = results.build(db)
    for periodo in ("2023-06", "2023-12", "2023", "2022-03"):
        for ambito in ("nacional", "ooad:09"):
            mine = table.values([SURVEY.id], periodo, ambito)
            assert mine == engine.values([SURVEY.id], periodo, ambito, db=db), (periodo, ambito)
    assert table.values([SURVEY.id], "2023-06", "nacional")[SURVEY.id].desde == "2023-01"
    # the first survey has none before it
    assert engine.value(SURVEY.id, "2022-03", "nacional", db).valor_periodo_anterior is None

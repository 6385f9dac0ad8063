"""Figure builders are pure: DataFrame in, Plotly figure out; checked without Streamlit."""

import pandas as pd
import pytest

from indicators.catalog import get
from ui import figures

KPI = get("consultas_medicina_familiar")


def _breakdown() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "clave": ["01", "09", "05"],
            "nombre": ["Aguascalientes", "Ciudad de México Norte", "Coahuila"],
            "region": ["Norte", "Centro", "Norte"],
            "valor": [2_500_000.0, 25_000_000.0, 4_500_000.0],
            "meta": [200.0, 3000.0, None],
            "cumplimiento": [1.25, 2500 / 3000, None],
            "estado": ["En meta", "Fuera de meta", "Sin meta"],
        }
    )


def test_ranking_puts_the_best_on_top_and_colours_and_patterns_by_status():
    fig = figures.ranking(KPI, _breakdown(), "Ranking")
    bar = fig.data[0]
    assert list(bar.y) == ["Coahuila", "Ciudad de México Norte", "Aguascalientes"]  # plotly draws bottom-up
    assert list(bar.customdata) == ["05", "09", "01"]
    assert list(bar.marker.color) == ["#6B7079", "#B3261E", "#1E7B4F"]
    assert list(bar.marker.pattern.shape) == [".", "x", ""]
    assert bar.text[2] == "125.0 % · 2.5 M"
    assert bar.hovertext[2] == "En meta"  # the status: in the hover, the colour and the pattern
    assert bar.text[0] == "4.5 M"  # no meta: no %, its bar at 0, last


def test_ranking_draws_what_it_sorts_by_the_percent_of_the_meta_with_the_meta_line():
    # handed over in volume order (the bug: sorted by % of meta, drawn by volume)
    frame = pd.DataFrame(
        {
            "clave": ["19", "20", "10"],
            "nombre": ["Nuevo León", "Oaxaca", "Durango"],
            "region": ["Norte", "Sureste", "Norte"],
            "valor": [610_791.0, 122_176.0, 111_478.0],
            "meta": [600_000.0, 100_000.0, 125_000.0],
            "cumplimiento": [610_791 / 600_000, 122_176 / 100_000, 111_478 / 125_000],
            "estado": ["En meta", "En meta", "En riesgo"],
        }
    )
    bar = figures.ranking(KPI, frame, "Ranking de OOAD · nacional", where="nacional · noviembre 2026").data[0]
    top_down = list(bar.x)[::-1]
    assert top_down == sorted(top_down, reverse=True)  # the order is the drawn values' order
    assert list(bar.y)[::-1] == ["Oaxaca", "Nuevo León", "Durango"]
    assert top_down == pytest.approx([122.176, 101.7985, 89.1824])  # % of the meta, by hand
    assert list(bar.text)[::-1][0] == "122.2 % · 122,176"
    fig = figures.ranking(KPI, frame, "Ranking de OOAD · nacional", where="nacional · noviembre 2026")
    assert fig.layout.xaxis.title.text == "% de la meta"
    assert [s.x0 for s in fig.layout.shapes] == [100]  # the meta line
    assert fig.layout.title.text.startswith("Ranking de OOAD · nacional<br>")
    assert "nacional · noviembre 2026" in fig.layout.title.text
    assert figures.ranking_summary(KPI, frame, "OOAD") == (
        "Mejor: Oaxaca 122.2 % de la meta (122,176, En meta); peor: Durango 89.2 % de la meta"
        " (111,478, En riesgo). 1 de 3 OOAD fuera de meta o en riesgo."
    )


def test_a_ranking_without_metas_draws_and_sorts_the_values_by_sentido():
    frame = _breakdown().assign(meta=None, cumplimiento=None, estado="Sin meta")
    bar = figures.ranking(KPI, frame, "Ranking").data[0]
    assert list(bar.x)[::-1] == [25_000_000.0, 4_500_000.0, 2_500_000.0]  # more is better: highest on top
    sick = get("dias_incapacidad_eg")  # less is better: lowest on top
    assert list(figures.ranking(sick, frame, "Ranking").data[0].x)[::-1] == [
        2_500_000.0,
        4_500_000.0,
        25_000_000.0,
    ]
    assert figures.ranking_summary(sick, frame, "OOAD").startswith("Mejor: Aguascalientes 2.5 M (Sin meta)")


def test_trend_has_value_meta_and_year_before_aligned_by_month():
    series = pd.DataFrame(
        {
            "periodo": pd.to_datetime(["2024-01-01", "2024-02-01"]),
            "valor": [1540.0, 1660.0],
            "meta": [1500.0, 1700.0],
        }
    )
    before = pd.DataFrame(
        {"periodo": pd.to_datetime(["2023-01-01", "2023-02-01"]), "valor": [1310.0, 1420.0]}
    )
    fig = figures.trend(KPI, series, before)
    assert [t.name for t in fig.data] == ["Valor", "Meta", "Año anterior"]
    assert list(fig.data[0].x) == ["ene 2024", "feb 2024"]
    assert list(fig.data[2].y) == [1310.0, 1420.0]


def test_tile_map_draws_every_state_as_a_square_with_its_status():
    states = pd.DataFrame(
        {
            "cve_entidad": ["01", "09"],
            "nombre": ["Aguascalientes", "Ciudad de México"],
            "abreviatura": ["AGS", "CDMX"],
            "fila": [3, 5],
            "columna": [5, 7],
        }
    )
    values = pd.DataFrame(
        {"clave": ["09"], "nombre": ["CDMX"], "valor": [2500.0], "estado": ["Fuera de meta"]}
    )
    fig = figures.tile_map(KPI, states, values)
    labels = fig.data[0]
    assert list(labels.text) == ["AGS<br>?", "CDMX<br>✕"]  # the status symbol: readable without colour
    assert list(labels.y) == [-3, -5]
    squares = fig.layout.shapes
    assert [s.fillcolor for s in squares] == ["#C4C7CC", "#B3261E"]  # AGS has no value: «Sin dato»
    assert (squares[1].x0, squares[1].x1) == (7 - 0.46, 7 + 0.46)


def test_tiles_outside_the_chosen_region_are_told_apart_from_sin_meta_and_sin_dato():
    states = pd.DataFrame(
        {
            "cve_entidad": ["01", "09", "05"],
            "nombre": ["Aguascalientes", "Ciudad de México", "Coahuila"],
            "abreviatura": ["AGS", "CDMX", "COAH"],
            "fila": [3, 5, 1],
            "columna": [5, 7, 5],
        }
    )
    values = pd.DataFrame({"clave": ["09", "05"], "valor": [2500.0, 10.0], "estado": ["En meta", "Sin meta"]})
    fig = figures.tile_map(KPI, states, values, in_scope={"09", "05"})
    assert [s.fillcolor for s in fig.layout.shapes] == ["white", "#1E7B4F", "#6B7079"]
    assert [c[2] for c in fig.data[0].customdata] == ["Fuera de la región", "En meta", "Sin meta"]
    assert "fuera de la región" in figures.status_legend(outside=True)
    assert "fuera de la región" not in figures.status_legend()


def test_axes_name_their_unit_and_use_one_es_mx_format_per_axis():
    ingresos, ocupacion = get("ingresos_obrero_patronales"), get("ocupacion_hospitalaria")
    series = pd.DataFrame(
        {"periodo": pd.to_datetime(["2024-01-01"]), "valor": [30_000.0], "meta": [29_000.0]}
    )
    fig = figures.trend(ingresos, series)
    assert fig.layout.yaxis.title.text == "millones de pesos (MDP)"
    # 29,000–30,000 in steps of 200 (≤ 5 intervals): «$29,000» … never «30k»
    assert list(fig.layout.yaxis.ticktext) == [
        "$29,000",
        "$29,200",
        "$29,400",
        "$29,600",
        "$29,800",
        "$30,000",
    ]
    bars = figures.ranking(ocupacion, _breakdown(), "Ranking")
    assert bars.layout.xaxis.title.text == "% de la meta"
    assert list(bars.layout.xaxis.ticktext) == ["0 %", "50 %", "100 %", "150 %"]
    assert bars.data[0].textposition == "outside"  # labels beside the bar: readable on red stripes
    assert bars.layout.xaxis.range[1] == 125.0 * 1.75


def test_value_ticks_by_hand():
    # consultations in millions: 6.4–8.7 M in steps of 0.5 M, all «x.x M» (the cards print «8.1 M»)
    ticks = figures.value_ticks(KPI, 6_400_000, 8_700_000)
    assert ticks["tickvals"] == [6e6, 6.5e6, 7e6, 7.5e6, 8e6, 8.5e6, 9e6]
    assert ticks["ticktext"] == ["6.0 M", "6.5 M", "7.0 M", "7.5 M", "8.0 M", "8.5 M", "9.0 M"]
    # a gap below a million: full numbers, signed, no «−50k»
    gap = figures.value_ticks(KPI, -181_000, 0, most=4, signed=True)
    assert gap["ticktext"] == ["-200,000", "-150,000", "-100,000", "-50,000", "0"]
    # a rate's gap is in percentage points
    beds = figures.value_ticks(get("ocupacion_hospitalaria"), -1.2, 0.3, signed=True)
    assert beds["ticktext"] == ["-1.5 pp", "-1.0 pp", "-0.5 pp", "0.0 pp", "+0.5 pp"]


def test_trend_months_are_horizontal_few_and_the_title_says_scope_and_period():
    months = pd.date_range("2024-12-01", "2026-11-01", freq="MS")
    series = pd.DataFrame({"periodo": months, "valor": [8e6] * 24, "meta": [8.2e6] * 24})
    fig = figures.trend(KPI, series, where="OOAD Jalisco · hasta noviembre 2026")
    axis = fig.layout.xaxis
    assert axis.tickangle == 0
    # 24 months, at most 7 labels: every 4th, counted back from the last month
    assert list(axis.tickvals) == ["mar 2025", "jul 2025", "nov 2025", "mar 2026", "jul 2026", "nov 2026"]
    assert list(axis.ticktext)[-1] == "nov<br>2026"
    # wrapped to fit a 390 px phone (40 characters a line), the scope and period on their own line
    assert fig.layout.title.text.split("<br>")[:2] == ["Consultas de medicina familiar:", "tendencia mensual"]
    assert "OOAD Jalisco · hasta noviembre 2026" in fig.layout.title.text
    assert list(fig.layout.yaxis.ticktext) == ["8.00 M", "8.05 M", "8.10 M", "8.15 M", "8.20 M"]


def _contributions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "clave": ["14", "28", "19"],
            "nombre": ["Jalisco", "Tamaulipas", "Nuevo León"],
            "contribucion": [-36_819.0, -31_279.0, 46_190.0],
        }
    )


def test_waterfall_colours_follow_the_sentido_and_the_total_that_hurts_is_red():
    red, green = "#B3261E", "#1E7B4F"
    fig = figures.waterfall(
        KPI, _contributions(), "Contribución a la brecha frente a la meta", where="nacional · noviembre 2026"
    )
    bars = fig.data[0]
    assert bars.orientation == "h" and fig.layout.yaxis.autorange == "reversed"  # names read across
    assert list(bars.y) == ["Jalisco", "Tamaulipas", "Nuevo León", "Brecha total"]
    assert list(bars.x) == [-36_819.0, -31_279.0, 46_190.0, -21_908.0]  # −36,819 − 31,279 + 46,190
    assert (bars.decreasing.marker.color, bars.increasing.marker.color) == (red, green)
    assert bars.totals.marker.color == red  # below the meta: a gap that hurts, never dark green
    assert list(bars.text) == ["-36,819", "-31,279", "+46,190", "-21,908"]
    assert list(fig.layout.xaxis.ticktext) == ["-75,000", "-50,000", "-25,000", "0"]  # 68,098 / 3 → 25,000
    assert "nacional · noviembre 2026" in fig.layout.title.text
    sick = get("dias_incapacidad_eg")  # lower is better: above the meta (+) hurts
    down = figures.waterfall(
        sick, _contributions().assign(contribucion=[36_819.0, 31_279.0, -46_190.0]), "T"
    ).data[0]
    assert (down.increasing.marker.color, down.decreasing.marker.color, down.totals.marker.color) == (
        red,
        green,
        red,
    )
    good = figures.waterfall(KPI, _contributions().assign(contribucion=[10.0, 5.0, -1.0]), "T").data[0]
    assert good.totals.marker.color == green


def test_a_rate_gap_is_in_percentage_points():
    beds = get("ocupacion_hospitalaria")
    fig = figures.waterfall(beds, _contributions().assign(contribucion=[-0.8, -0.45, 0.25]), "T")
    assert list(fig.data[0].text) == ["-0.80 pp", "-0.45 pp", "+0.25 pp", "-1.00 pp"]
    assert fig.layout.xaxis.title.text == "Brecha (pp)"
    assert figures.difference_unit(beds) == "pp"


def test_the_toolbar_only_downloads_a_png():
    assert figures.PLOTLY_CONFIG["modeBarButtons"] == [["toImage"]]
    assert figures.PLOTLY_CONFIG["displaylogo"] is False


def test_every_chart_has_a_one_sentence_text_alternative():
    series = pd.DataFrame(
        {
            "periodo": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
            "valor": [1_540_000.0, 1_420_000.0, 1_660_000.0],
            "meta": [1_500_000.0, 1_500_000.0, 1_700_000.0],
        }
    )
    assert figures.trend_summary(KPI, series) == (
        "mar 2024: 1.7 M, meta 1.7 M. En los 3 meses: mínimo 1.4 M (feb 2024), máximo 1.7 M (mar 2024)."
    )
    assert figures.ranking_summary(KPI, _breakdown(), "OOAD") == (
        "Mejor: Aguascalientes 125.0 % de la meta (2.5 M, En meta); peor: Ciudad de México Norte"
        " 83.3 % de la meta (25.0 M, Fuera de meta). 1 de 3 OOAD fuera de meta o en riesgo."
    )

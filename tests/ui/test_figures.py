"""Figure builders are pure: DataFrame in, Plotly figure out; checked without Streamlit."""

import pandas as pd

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
    assert bar.text[2] == "2.5 M · En meta"


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


def test_axes_name_their_unit_and_use_full_numbers():
    ingresos, ocupacion = get("ingresos_obrero_patronales"), get("ocupacion_hospitalaria")
    series = pd.DataFrame(
        {"periodo": pd.to_datetime(["2024-01-01"]), "valor": [30_000.0], "meta": [29_000.0]}
    )
    fig = figures.trend(ingresos, series)
    assert fig.layout.yaxis.title.text == "millones de pesos (MDP)"
    assert fig.layout.yaxis.tickformat == ",.0f"  # 130,000 — never «130k»
    bars = figures.ranking(ocupacion, _breakdown(), "Ranking")
    assert (bars.layout.xaxis.title.text, bars.layout.xaxis.ticksuffix) == ("%", " %")
    assert bars.data[0].textposition == "outside"  # labels beside the bar: readable on red stripes
    assert bars.layout.xaxis.range[1] == 25_000_000.0 * 1.6


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
    ranked = _breakdown().iloc[[1, 2, 0]]  # the engine's order: best first
    assert figures.ranking_summary(KPI, ranked, "OOAD") == (
        "Mejor: Ciudad de México Norte 25.0 M (Fuera de meta); peor: Aguascalientes 2.5 M (En meta)."
        " 1 de 3 OOAD fuera de meta o en riesgo."
    )

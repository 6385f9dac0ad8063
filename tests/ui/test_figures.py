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
    assert list(bar.marker.color) == ["#8A8F98", "#B3261E", "#1E7B4F"]
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
    assert list(labels.text) == ["AGS", "CDMX"]
    assert list(labels.y) == [-3, -5]
    squares = fig.layout.shapes
    assert [s.fillcolor for s in squares] == ["#C4C7CC", "#B3261E"]  # AGS has no value: «Sin dato»
    assert (squares[1].x0, squares[1].x1) == (7 - 0.46, 7 + 0.46)

"""The floor: a bare Streamlit page over the same warehouse (one DuckDB aggregate, 4 metrics, 1 line).

Used by bench.browser_sessions as the yardstick for what a filter change can cost at best.
Run: CMI_DB=copy.duckdb streamlit run bench/floor_app.py
"""

from __future__ import annotations

import os

import duckdb
import pandas as pd
import plotly.express as px
import streamlit as st


@st.cache_resource
def _con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(os.environ["CMI_DB"], read_only=True)


def _frame(sql: str, params: list) -> pd.DataFrame:
    return _con().cursor().execute(sql, params).df()


regions = [r[0] for r in _con().cursor().execute("SELECT region FROM regiones ORDER BY 1").fetchall()]
months = [
    f"{r[0]:%Y-%m}"
    for r in _con().cursor().execute("SELECT DISTINCT periodo FROM consultas ORDER BY 1 DESC").fetchall()
]
region = st.sidebar.selectbox("Región", regions, index=None, placeholder="Todas (nacional)")
month = st.sidebar.selectbox("Mes", months[:24])
series = _frame(
    """SELECT c.periodo, sum(consultas_medicina_familiar) AS mf, sum(consultas_especialidades) AS esp,
              sum(consultas_urgencias) AS urg, sum(intervenciones_quirurgicas) AS qx
       FROM consultas c JOIN ooad o USING (cve_ooad)
       WHERE (? IS NULL OR o.region = ?) AND c.periodo <= CAST(? || '-01' AS DATE)
       GROUP BY 1 ORDER BY 1 DESC LIMIT 13""",
    [region, region, month],
)
st.title("Piso de referencia")
now = series.iloc[0]
for column, (name, col) in zip(
    st.columns(4),
    (("Medicina familiar", "mf"), ("Especialidades", "esp"), ("Urgencias", "urg"), ("Cirugías", "qx")),
    strict=True,
):
    column.metric(name, f"{now[col]:,.0f}")
st.plotly_chart(px.line(series, x="periodo", y="mf"))

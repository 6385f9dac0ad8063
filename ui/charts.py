"""The rubric pages' Plotly figures, built once per input and shared by every session.

Building a figure is Python work in Plotly's validators, about half of a rubric page's server
time per filter change (issue 17 profile); the inputs are small frames that change only with the
filters and the data version. Keys hash the frames themselves (st.cache_resource), so a figure
is never older than its data. Figures are shared, not copied: callers only hand them to
st.plotly_chart, which reads them.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators.catalog import get
from ui import figures

SIZE = 256  # figures per kind: a few tens of KB each


@st.cache_resource(max_entries=SIZE, show_spinner=False)
def trend(
    kpi_id: str,
    series: pd.DataFrame,
    year_before: pd.DataFrame,
    projection: pd.DataFrame | None,
    where: str = "",
) -> go.Figure:
    return figures.trend(get(kpi_id), series, year_before, projection, where)


@st.cache_resource(max_entries=SIZE, show_spinner=False)
def ranking(kpi_id: str, frame: pd.DataFrame, title: str, key_label: str, where: str = "") -> go.Figure:
    return figures.ranking(get(kpi_id), frame, title, key_label, where)


@st.cache_resource(max_entries=SIZE, show_spinner=False)
def tile_map(
    kpi_id: str, states: pd.DataFrame, values: pd.DataFrame, in_scope: frozenset[str] | None
) -> go.Figure:
    return figures.tile_map(get(kpi_id), states, values, None if in_scope is None else set(in_scope))


@st.cache_resource(max_entries=SIZE, show_spinner=False)
def waterfall(kpi_id: str, contributions: pd.DataFrame, title: str, where: str = "") -> go.Figure:
    return figures.waterfall(get(kpi_id), contributions, title, where=where)

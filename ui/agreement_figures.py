"""Figures of the agreements board: pure functions from small DataFrames to Plotly (no Streamlit)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.figures import IMSS_GOLD, IMSS_GREEN, _layout
from ui.format import fmt_date_long, fmt_number, fmt_pct

STATE_COLORS = {"Concluidos": IMSS_GREEN, "En proceso": IMSS_GOLD, "Vencidos": "#B3261E"}


def breakdown_bars(frame: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars per group: concluded, open on time, overdue; % de cumplimiento on hover."""
    data = frame.head(25).iloc[::-1]
    groups = data["grupo"].astype(str).tolist()
    parts = {
        "Concluidos": data["concluidos"],
        "En proceso": data["en_proceso"] - data["vencidos"],
        "Vencidos": data["vencidos"],
    }
    fig = go.Figure()
    for name, values in parts.items():
        fig.add_bar(
            y=groups,
            x=values,
            name=name,
            orientation="h",
            marker={"color": STATE_COLORS[name]},
            customdata=[fmt_pct(c) for c in data["cumplimiento"]],
            hovertemplate=f"%{{y}}<br>{name}: %{{x:,}}<br>Cumplimiento: %{{customdata}}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(
        tickformat=",d", rangemode="tozero", dtick=1 if data["registrados"].max() <= 10 else None
    )
    return _layout(fig, title, max(260, 28 * len(groups) + 90))


def aging_bars(frame: pd.DataFrame) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=frame["tramo"],
            y=frame["acuerdos"],
            marker={"color": ["#E8A33D", "#D9732B", "#C04A22", "#8E1B12"][: len(frame)]},
            text=[fmt_number(v) for v in frame["acuerdos"]],
            textposition="outside",
            hovertemplate="%{x} de atraso: %{y:,} acuerdos<extra></extra>",
        )
    )
    fig.update_yaxes(gridcolor="#E5E5E5", tickformat=",d", rangemode="tozero")
    return _layout(fig, "Acuerdos abiertos vencidos por días de atraso", 320)


def completion_lines(frame: pd.DataFrame) -> go.Figure:
    """% of each meeting's agreements concluded, month by month."""
    fig = go.Figure()
    for reunion, part in frame.groupby("reunion", sort=False):
        fig.add_scatter(
            x=part["corte"],
            y=part["cumplimiento"],
            mode="lines+markers",
            name=str(reunion),
            customdata=[fmt_date_long(pd.Timestamp(c).date()) for c in part["corte"]],
            hovertemplate=f"{reunion}<br>%{{customdata}}: %{{y:.1f}} %<extra></extra>",
        )
    fig.update_yaxes(range=[0, 105], ticksuffix=" %", gridcolor="#E5E5E5")
    return _layout(fig, "Curva de cumplimiento por reunión", 380)

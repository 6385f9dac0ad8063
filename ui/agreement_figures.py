"""Figures of the agreements board: pure functions from small DataFrames to Plotly (no Streamlit)."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from agreements import board as ag
from indicators.periods import parse_period
from ui.figures import IMSS_GOLD, IMSS_GREEN, _layout
from ui.format import MONTHS_SHORT, fmt_date_long, fmt_number, fmt_pct

STATE_COLORS = {"Concluidos": IMSS_GREEN, "Abiertos en plazo": IMSS_GOLD, "Vencidos": "#B3261E"}
# One clearly different colour (and dash) per meeting: Okabe–Ito, readable by colour-blind people.
MEETING_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442")
MEETING_DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
LABEL_WIDTH = 28  # characters per line of a bar's label


def cut_caption(c: ag.Cut, periodo: str | None = None) -> str:
    """«Noviembre 2026: cifras al 30 de noviembre de 2026, cierre del periodo» (or «… al día de
    hoy, 7 de diciembre de 2026 (periodo en curso)»): the cut every agreement figure is read at."""
    period = parse_period(periodo) if periodo else None
    if c.en_curso and period is not None and period.end < c.desde:  # «Hoy» chosen over a closed period
        return f"Cifras al día de hoy, {fmt_date_long(c.corte)} (no al cierre de {period.label})"
    name = period.label.capitalize() if period else None
    when = (
        f"al día de hoy, {fmt_date_long(c.corte)} (periodo en curso)"
        if c.en_curso
        else f"al {fmt_date_long(c.corte)}, cierre del periodo"
    )
    return f"{name}: cifras {when}" if name else f"Cifras {when}"


def breakdown_bars(frame: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars per group: concluded, open on time, overdue (the columns of `breakdown_table`,
    the same figures); % de cumplimiento on hover."""
    data = frame.head(25).iloc[::-1]
    # long names (mesas de trabajo) wrap so that on a phone they do not push the bars off the chart
    groups = ["<br>".join(textwrap.wrap(str(g), LABEL_WIDTH)) or str(g) for g in data["grupo"]]
    # categories are evenly spaced: every row gets the room of the longest wrapped label
    row = max(28, 15 * max(g.count("<br>") + 1 for g in groups) + 8) if groups else 28
    parts = {
        "Concluidos": data["concluidos"],
        "Abiertos en plazo": data["abiertos_en_plazo"],
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
    return _layout(fig, title, max(260, row * len(groups) + 90))


def aging_bars(frame: pd.DataFrame) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=frame["tramo"],
            y=frame["acuerdos"],
            marker={"color": ["#E8A33D", "#D9732B", "#C04A22", "#8E1B12"][: len(frame)]},
            text=[fmt_number(v) for v in frame["acuerdos"]],
            textposition="outside",
            hovertemplate="%{x} de atraso: %{y:,} acuerdo(s)<extra></extra>",
        )
    )
    fig.update_yaxes(gridcolor="#E5E5E5", tickformat=",d", rangemode="tozero")
    return _layout(fig, "Acuerdos abiertos vencidos por días de atraso", 320)


def spanish_month_ticks(first: pd.Timestamp, last: pd.Timestamp, most: int = 12) -> tuple[list, list[str]]:
    """Tick positions (first day of a month) and labels like «ene 2024», at most `most` of them."""
    months = pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS")
    step = max(1, -(-len(months) // most))
    chosen = months[::step]
    return list(chosen), [f"{MONTHS_SHORT[d.month - 1]} {d.year}" for d in chosen]


def completion_lines(frame: pd.DataFrame) -> go.Figure:
    """% of each meeting's agreements concluded, month by month (up to the cut, never beyond)."""
    fig = go.Figure()
    for i, (reunion, part) in enumerate(frame.groupby("reunion", sort=False)):
        fig.add_scatter(
            x=part["corte"],
            y=part["cumplimiento"],
            mode="lines",
            name=str(reunion),
            line={"color": MEETING_COLORS[i % len(MEETING_COLORS)], "dash": MEETING_DASHES[i % len(MEETING_DASHES)],
                  "width": 2.5},
            customdata=[fmt_date_long(pd.Timestamp(c).date()) for c in part["corte"]],
            hovertemplate=f"{reunion}<br>%{{customdata}}: %{{y:.1f}} %<extra></extra>",
        )  # fmt: skip
    first, last = pd.Timestamp(frame["corte"].min()), pd.Timestamp(frame["corte"].max())
    ticks, labels = spanish_month_ticks(first, last)
    fig.update_xaxes(tickvals=ticks, ticktext=labels, range=[first, last], gridcolor="#F0F0F0")
    fig.update_yaxes(range=[0, 105], ticksuffix=" %", gridcolor="#E5E5E5", title="Concluidos")
    return _layout(fig, "Curva de cumplimiento por reunión", 380)

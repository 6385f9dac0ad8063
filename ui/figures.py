"""Figure builders: pure functions from small DataFrames to Plotly figures (no Streamlit)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.definitions import DOWN, Kpi
from indicators.gap import REST, UNASSIGNED
from indicators.status import AT_RISK, NO_DATA, NO_TARGET, OFF_TARGET, ON_TARGET, STATUS_COLORS, STATUS_SYMBOL
from ui.format import MONTHS_SHORT, fmt_value

# Patterns make the semáforo readable without colour.
STATUS_PATTERNS = {ON_TARGET: "", AT_RISK: "/", OFF_TARGET: "x", NO_TARGET: ".", NO_DATA: ""}
OUTSIDE = "Fuera de la región"
# Every chart's toolbar: download as PNG only (Tab reaches the content quickly), no logo.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtons": [["toImage"]],
    "toImageButtonOptions": {"format": "png", "filename": "grafica_cmi"},
}
IMSS_GREEN = "#235B4E"
IMSS_GOLD = "#BC955C"
FONT = "Source Sans, Helvetica, Arial, sans-serif"


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 16}},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        font={"family": FONT},
        separators=".,",
        legend={"orientation": "h", "y": -0.15},
        plot_bgcolor="white",
    )
    return fig


def axis_format(kpi: Kpi) -> dict[str, str]:
    """Axis title with the unit and full es-MX numbers (no «130k», no «G» for billions)."""
    title = {"porcentaje": "%", "mdp": "millones de pesos (MDP)", "pesos": "pesos"}.get(
        kpi.formato, kpi.unidad
    )
    tickformat = {"porcentaje": ",.1f", "pesos": ",.2f", "decimal": ",.1f"}.get(kpi.formato, ",.0f")
    return {
        "title": title,
        "tickformat": tickformat,
        "ticksuffix": " %" if kpi.formato == "porcentaje" else "",
    }


def _month_labels(dates: pd.Series) -> list[str]:
    return [f"{MONTHS_SHORT[d.month - 1]} {d.year}" for d in pd.to_datetime(dates)]


def trend(
    kpi: Kpi,
    series: pd.DataFrame,
    year_before: pd.DataFrame | None = None,
    projection: pd.DataFrame | None = None,
) -> go.Figure:
    """Monthly values with the meta line, the same months a year before and, when given, the
    projection to the year's end (periodo, pronostico, inferior, superior) with its interval."""
    fig = go.Figure()
    labels = _month_labels(series["periodo"])
    if projection is not None and not projection.empty:
        if not series.empty:  # start the projection at the last observed month, so the lines join
            last = series.iloc[-1]
            anchor = {
                "periodo": last["periodo"],
                **dict.fromkeys(("pronostico", "inferior", "superior"), last["valor"]),
            }
            projection = pd.concat([pd.DataFrame([anchor]), projection], ignore_index=True)
        _projection(fig, kpi, projection)
        ahead = [x for x in _month_labels(projection["periodo"]) if x not in labels]
        fig.update_xaxes(categoryorder="array", categoryarray=labels + ahead)
    text = [fmt_value(kpi, v) for v in series["valor"]]
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=series["valor"],
            name="Valor",
            mode="lines+markers",
            line={"color": IMSS_GREEN, "width": 3},
            text=text,
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    if "meta" in series and series["meta"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=series["meta"],
                name="Meta",
                mode="lines",
                line={"color": IMSS_GOLD, "dash": "dash", "width": 2},
                text=[fmt_value(kpi, v) for v in series["meta"]],
                hovertemplate="Meta %{x}: %{text}<extra></extra>",
            )
        )
    if year_before is not None and not year_before.empty:
        shifted = year_before.assign(periodo=pd.to_datetime(year_before["periodo"]) + pd.DateOffset(years=1))
        merged = series[["periodo"]].merge(shifted[["periodo", "valor"]], on="periodo", how="left")
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=merged["valor"],
                name="Año anterior",
                mode="lines",
                line={"color": "#6F7271", "dash": "dot", "width": 2},
                text=[fmt_value(kpi, v) for v in merged["valor"]],
                hovertemplate="Año anterior: %{text}<extra></extra>",
            )
        )
    axis = axis_format(kpi)
    fig.update_yaxes(
        gridcolor="#E5E5E5",
        title={"text": axis["title"]},
        tickformat=axis["tickformat"],
        ticksuffix=axis["ticksuffix"],
    )
    fig.update_xaxes(title={"text": "mes"})
    return _layout(fig, f"{kpi.nombre}: tendencia mensual", 380)


def _projection(fig: go.Figure, kpi: Kpi, projection: pd.DataFrame) -> None:
    """The projected months: a shaded interval and a dashed median line (drawn first, underneath)."""
    labels = _month_labels(projection["periodo"])
    fig.add_trace(
        go.Scatter(
            x=labels + labels[::-1],
            y=list(projection["superior"]) + list(projection["inferior"])[::-1],
            fill="toself",
            mode="lines",
            fillcolor="rgba(35, 91, 78, 0.15)",
            line={"width": 0},
            name="Intervalo de la proyección",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=projection["pronostico"],
            name="Proyección",
            mode="lines+markers",
            line={"color": IMSS_GREEN, "dash": "dash", "width": 2},
            marker={"symbol": "circle-open"},
            text=[fmt_value(kpi, v) for v in projection["pronostico"]],
            hovertemplate="Proyección %{x}: %{text}<extra></extra>",
        )
    )


def ranking(kpi: Kpi, frame: pd.DataFrame, title: str, key_label: str = "OOAD") -> go.Figure:
    """Horizontal bars of a breakdown, coloured and patterned by semáforo; customdata carries the key."""
    frame = frame.iloc[::-1]  # best on top
    statuses = list(frame["estado"])
    fig = go.Figure(
        go.Bar(
            x=frame["valor"],
            y=frame["nombre"],
            orientation="h",
            customdata=frame["clave"],
            marker={
                "color": [STATUS_COLORS.get(s, STATUS_COLORS[NO_TARGET]) for s in statuses],
                "pattern": {"shape": [STATUS_PATTERNS.get(s, "") for s in statuses]},
            },
            text=[f"{fmt_value(kpi, v)} · {s}" for v, s in zip(frame["valor"], statuses, strict=True)],
            textposition="outside",  # beside the bar, dark on white: readable on red and amber stripes
            textfont={"color": "#1F2328"},
            cliponaxis=False,
            hovertemplate=f"{key_label} %{{y}}<br>%{{text}}<extra></extra>",
        )
    )
    axis = axis_format(kpi)
    top = float(frame["valor"].max()) if len(frame) and frame["valor"].notna().any() else 1.0
    fig.update_xaxes(
        gridcolor="#E5E5E5",
        title={"text": axis["title"]},
        tickformat=axis["tickformat"],
        ticksuffix=axis["ticksuffix"],
        range=[0, top * 1.6],  # room for the label outside the longest bar
    )
    return _layout(fig, title, max(260, 26 * len(frame) + 80))


def tile_map(
    kpi: Kpi, states: pd.DataFrame, values: pd.DataFrame, in_scope: set[str] | None = None
) -> go.Figure:
    """Mexico as a grid of squares, one per state in its approximate position (works offline).

    `states` has cve_entidad, abreviatura, nombre, fila, columna; `values` has clave
    (cve_entidad), valor and estado. Squares are shapes in data units, so they scale with
    the chart; an invisible text layer carries the labels, the status symbol (readable without
    colour) and the hover. States outside `in_scope` (the chosen region) are drawn white, apart
    from «Sin meta» and «Sin dato».
    """
    data = states.merge(
        values[["clave", "valor", "estado"]], left_on="cve_entidad", right_on="clave", how="left"
    )
    data["estado"] = data["estado"].astype(object).fillna(NO_DATA)  # all-NaN floats when no value
    if in_scope is not None:
        data.loc[~data["cve_entidad"].isin(in_scope), "estado"] = OUTSIDE
    fig = go.Figure(
        go.Scatter(
            x=data["columna"],
            y=-data["fila"],
            mode="text",
            text=[
                f"{a}<br>{STATUS_SYMBOL.get(e, '')}"
                for a, e in zip(data["abreviatura"], data["estado"], strict=True)
            ],
            textfont={"color": [_tile_ink(e) for e in data["estado"]], "size": 12},
            customdata=list(
                zip(
                    data["nombre"],
                    [fmt_value(kpi, v) for v in data["valor"]],
                    data["estado"],
                    data["cve_entidad"],
                    strict=True,
                )
            ),
            hovertemplate="%{customdata[0]}<br>%{customdata[1]} · %{customdata[2]}<extra></extra>",
        )
    )
    # One list of shapes: add_shape one at a time re-validates the layout each call (10x slower).
    fig.update_layout(
        shapes=[
            {
                "type": "rect",
                "x0": row.columna - 0.46,
                "x1": row.columna + 0.46,
                "y0": -row.fila - 0.46,
                "y1": -row.fila + 0.46,
                "fillcolor": "white"
                if row.estado == OUTSIDE
                else STATUS_COLORS.get(row.estado, STATUS_COLORS[NO_TARGET]),
                "line": {"color": "#8A8F98" if row.estado == OUTSIDE else "white", "width": 1},
                "layer": "below",
            }
            for row in data.itertuples()
        ]
    )
    fig.update_xaxes(visible=False, range=[-0.6, data["columna"].max() + 0.6])
    fig.update_yaxes(visible=False, range=[-data["fila"].max() - 0.6, 0.6], scaleanchor="x")
    return _layout(fig, f"{kpi.nombre} por entidad", 340)


def _tile_ink(estado: str) -> str:
    return "#1F2328" if estado in (OUTSIDE, NO_DATA) else "white"


def status_legend(outside: bool = False) -> str:
    """The semáforo legend in words and symbols (bars also differ by pattern, tiles by symbol)."""
    text = (
        "✓ verde: En meta · ▲ ámbar (rayas): En riesgo · ✕ rojo (cruces): Fuera de meta"
        " · – gris (puntos): Sin meta · ? gris claro: Sin dato"
    )
    return text + (" · □ blanco: fuera de la región elegida" if outside else "")


def trend_summary(kpi: Kpi, series: pd.DataFrame) -> str:
    """The trend chart in one sentence (its text alternative): last month, its meta, the range."""
    known = series.dropna(subset=["valor"])
    if known.empty:
        return "Sin datos en los meses mostrados."
    last = known.iloc[-1]
    low, high = known.loc[known["valor"].idxmin()], known.loc[known["valor"].idxmax()]
    meta = f", meta {fmt_value(kpi, last['meta'])}" if "meta" in known and pd.notna(last.get("meta")) else ""
    month = _month_labels(pd.Series([last["periodo"]]))[0]
    return (
        f"{month}: {fmt_value(kpi, last['valor'])}{meta}. En los {len(known)} meses: mínimo "
        f"{fmt_value(kpi, low['valor'])} ({_month_labels(pd.Series([low['periodo']]))[0]}), máximo "
        f"{fmt_value(kpi, high['valor'])} ({_month_labels(pd.Series([high['periodo']]))[0]})."
    )


def ranking_summary(kpi: Kpi, frame: pd.DataFrame, noun: str) -> str:
    """A ranking in one sentence (its text alternative): best, worst and how many miss the meta."""
    known = frame.dropna(subset=["valor"])
    if known.empty:
        return "Sin datos para comparar."
    best, worst = known.iloc[0], known.iloc[-1]
    missing = int(known["estado"].isin([OFF_TARGET, AT_RISK]).sum())
    return (
        f"Mejor: {best['nombre']} {fmt_value(kpi, best['valor'])} ({best['estado']}); peor: "
        f"{worst['nombre']} {fmt_value(kpi, worst['valor'])} ({worst['estado']}). "
        f"{missing} de {len(known)} {noun} fuera de meta o en riesgo."
    )


def waterfall(kpi: Kpi, contributions: pd.DataFrame, title: str, top: int = 10) -> go.Figure:
    """Each unit's contribution to the gap (valor − meta), most harmful first, then the total.

    `contributions` has clave, nombre and contribucion, already ordered; beyond `top` units the
    rest are one bar, «Resto», so the bars still add up to the total. The part of the scope
    outside the UMAE and the unassigned residual keep their own bars, after the units.
    """
    keys = (
        contributions["clave"]
        if "clave" in contributions.columns
        else pd.Series("", index=contributions.index)
    )
    apart = keys.isin([REST, UNASSIGNED])
    units, special = contributions[~apart], contributions[apart]
    head = units.head(top)
    names, amounts = list(head["nombre"]), [float(x) for x in head["contribucion"]]
    if len(units) > top:
        names.append(f"Resto ({len(units) - top})")
        amounts.append(float(units["contribucion"].iloc[top:].sum()))
    names += list(special["nombre"])
    amounts += [float(x) for x in special["contribucion"]]
    total = float(contributions["contribucion"].sum())
    good, bad = STATUS_COLORS[ON_TARGET], STATUS_COLORS[OFF_TARGET]
    if kpi.sentido == DOWN:  # lower is better: a unit above its meta widens the gap
        good, bad = bad, good
    fmt = (
        (lambda v: f"{v:+,.2f}")
        if kpi.formato in ("porcentaje", "pesos", "decimal")
        else (lambda v: f"{v:+,.0f}")
    )
    fig = go.Figure(
        go.Waterfall(
            x=[*names, "Brecha total"],
            y=[*amounts, total],
            measure=["relative"] * len(amounts) + ["total"],
            text=[fmt(v) for v in [*amounts, total]],
            textposition="outside",
            increasing={"marker": {"color": good}},
            decreasing={"marker": {"color": bad}},
            totals={"marker": {"color": IMSS_GREEN}},
            connector={"line": {"color": "#B0B0B0"}},
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(gridcolor="#E5E5E5", title=f"Brecha ({kpi.unidad})")
    return _layout(fig, title, 420)

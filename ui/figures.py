"""Figure builders: pure functions from small DataFrames to Plotly figures (no Streamlit)."""

from __future__ import annotations

import itertools
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from indicators.definitions import DOWN, Kpi
from indicators.gap import REST, UNASSIGNED
from indicators.periodicity import in_the_points, point_label, trend_adjective
from indicators.status import AT_RISK, NO_DATA, NO_TARGET, OFF_TARGET, ON_TARGET, STATUS_COLORS, STATUS_SYMBOL
from ui.format import MONTHS_SHORT, fmt_pct, fmt_value

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


TITLE_WIDTH = 40  # characters per title line: a 390 px phone shows the whole title


def chart_title(title: str, subtitle: str = "") -> str:
    """A chart's title wrapped for a phone, with its scope and period («nacional · noviembre 2026»)
    on a smaller second line."""
    lines = textwrap.wrap(title, TITLE_WIDTH) or [""]
    if subtitle:
        lines.append(f'<span style="font-size:13px;color:#5A605D">{subtitle}</span>')
    return "<br>".join(lines)


def _layout(fig: go.Figure, title: str, height: int, subtitle: str = "") -> go.Figure:
    text = chart_title(title, subtitle)
    top = 30 + 22 * (text.count("<br>") + 1)
    fig.update_layout(
        title={"text": text, "x": 0, "font": {"size": 16}},
        height=height + top - 50,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
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


def _step(span: float, most: int) -> float:
    """The 1-2-2.5-5 step that cuts `span` into at most `most` intervals."""
    raw = span / most if span > 0 else 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if raw <= m * power * (1 + 1e-9))


def _decimals(step: float) -> int:
    return next((d for d in range(4) if abs(round(step, d) - step) < 1e-9 * max(step, 1.0)), 3)


def value_ticks(
    kpi: Kpi, low: float, high: float, most: int = 5, signed: bool = False, percent: bool = False
) -> dict[str, object]:
    """Ticks from `low` to `high` (an axis's data range), every one in the same es-MX format.

    Plotly's own labels mix «8,000,000» and «−50k» beside cards that print «8.1 M»; here a count
    in millions reads «8.0 M», a percentage «85 %» (a difference of percentages «−1.5 pp»), money
    «$350,000», all with one number of decimals. `signed` puts «+» on positive differences;
    `percent` labels a «% de la meta» axis whatever the KPI's unit.
    """
    low, high = min(low, high), max(low, high)
    millions = not percent and kpi.formato == "millones" and max(abs(low), abs(high)) >= 1e6
    scale = 1e6 if millions else 1.0
    step = _step((high - low) / scale, most)
    start, end = math.floor(low / scale / step), math.ceil(high / scale / step)
    values = [i * step for i in range(start, end + 1)]
    decimals = max(_decimals(step), 1 if millions else 0)
    pct = percent or kpi.formato == "porcentaje"
    unit = (" pp" if signed else " %") if pct else (" M" if millions else "")
    money = "$" if kpi.formato in ("mdp", "pesos") and not percent else ""

    def label(v: float) -> str:
        sign = "+" if signed and v > 0 else "-" if v < 0 else ""
        return f"{sign}{money}{abs(v):,.{decimals}f}{unit}"

    return {
        "tickmode": "array",
        "tickvals": [v * scale for v in values],
        "ticktext": [label(v) for v in values],
    }


def difference_text(kpi: Kpi, amount: float) -> str:
    """A difference in the KPI's unit, signed: «-36,819», «-1.25 pp», «+$1,204 MDP»."""
    sign = "-" if amount < 0 else "+"
    if kpi.formato == "porcentaje":
        return f"{sign}{abs(amount):,.2f} pp"
    if kpi.formato == "pesos":
        return f"{sign}${abs(amount):,.2f}"
    if kpi.formato == "mdp":
        return f"{sign}${abs(amount):,.0f} MDP"
    return f"{sign}{abs(amount):,.0f}"


def difference_unit(kpi: Kpi) -> str:
    """The unit of a difference of the KPI: percentage points for a percentage, else its own."""
    return "pp" if kpi.formato == "porcentaje" else kpi.unidad


def _month_labels(dates: pd.Series) -> list[str]:
    return [f"{MONTHS_SHORT[d.month - 1]} {d.year}" for d in pd.to_datetime(dates)]


def period_labels(kpi: Kpi, dates: pd.Series) -> list[str]:
    """A trend's points in the KPI's own terms: «oct 2026» (monthly), «2026» (an annual survey)."""
    return [point_label(kpi, d.date()) for d in pd.to_datetime(dates)]


MONTH_TICKS = 7  # at most: «nov<br>2026» side by side fit a 390 px phone


def month_ticks(labels: list[str], most: int = MONTH_TICKS) -> dict[str, object]:
    """Horizontal month ticks, every k-th month (the last one always), month over year."""
    step = max(1, math.ceil(len(labels) / most))
    shown = labels[::-1][::step][::-1]
    return {
        "tickmode": "array",
        "tickvals": shown,
        "ticktext": [label.replace(" ", "<br>") for label in shown],
        "tickangle": 0,
    }


def trend(
    kpi: Kpi,
    series: pd.DataFrame,
    year_before: pd.DataFrame | None = None,
    projection: pd.DataFrame | None = None,
    where: str = "",
) -> go.Figure:
    """Monthly values with the meta line, the same months a year before and, when given, the
    projection to the year's end (periodo, pronostico, inferior, superior) with its interval.
    `where`: the scope and period under the title («nacional · noviembre 2026»)."""
    fig = go.Figure()
    labels = period_labels(kpi, series["periodo"])
    months = labels
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
        months = labels + ahead
        fig.update_xaxes(categoryorder="array", categoryarray=months)
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
    drawn = pd.to_numeric(
        pd.Series([y for t in fig.data if t.y is not None for y in t.y]), errors="coerce"
    ).dropna()
    ticks = value_ticks(kpi, float(drawn.min()), float(drawn.max())) if len(drawn) else {}
    fig.update_yaxes(gridcolor="#E5E5E5", title={"text": axis_format(kpi)["title"]}, **ticks)
    fig.update_xaxes(**month_ticks(months))
    _layout(fig, f"{kpi.nombre}: tendencia {trend_adjective(kpi)}", 400, where)
    # below the two-line month ticks
    return fig.update_layout(legend={"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0})


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


def ranked(kpi: Kpi, frame: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """A breakdown best first by what its chart draws, in column `dibujo`; True when that is the %
    of the meta (cumplimiento × 100, rows without a meta last), False when no row has a meta and the
    chart draws the values (highest first, lowest for a KPI where lower is better)."""
    done = pd.to_numeric(frame["cumplimiento"], errors="coerce").replace([math.inf, -math.inf], math.nan)
    by_meta = bool(done.notna().any())
    drawn = done * 100 if by_meta else pd.to_numeric(frame["valor"], errors="coerce")
    best_first = not (kpi.sentido == DOWN and not by_meta)
    out = frame.assign(dibujo=drawn).sort_values(
        ["dibujo", "clave"], ascending=[not best_first, True], na_position="last", kind="stable"
    )
    return out.reset_index(drop=True), by_meta


def _bar_text(kpi: Kpi, row: pd.Series, by_meta: bool) -> str:
    """Short enough to sit beside its bar on a phone; the status is the bar's colour and pattern."""
    value = fmt_value(kpi, row["valor"])
    if by_meta and pd.notna(row["dibujo"]):
        return f"{fmt_pct(row['dibujo'])} · {value}"
    return value


def ranking(kpi: Kpi, frame: pd.DataFrame, title: str, key_label: str = "OOAD", where: str = "") -> go.Figure:
    """Horizontal bars of a breakdown, best on top, coloured and patterned by semáforo; customdata
    carries the key. The bars are what the order is: the % of the meta with the meta's line at
    100 % (a large OOAD's volume never hides a small one's miss), or the values when no row has a
    meta. `where`: the scope and period under the title."""
    table, by_meta = ranked(kpi, frame)
    table = table.iloc[::-1]  # plotly draws the first row at the bottom: best on top
    statuses = list(table["estado"])
    fig = go.Figure(
        go.Bar(
            x=table["dibujo"].fillna(0.0),
            y=table["nombre"],
            orientation="h",
            customdata=table["clave"],
            marker={
                "color": [STATUS_COLORS.get(s, STATUS_COLORS[NO_TARGET]) for s in statuses],
                "pattern": {"shape": [STATUS_PATTERNS.get(s, "") for s in statuses]},
            },
            text=[_bar_text(kpi, row, by_meta) for _, row in table.iterrows()],
            textposition="outside",  # beside the bar, dark on white: readable on red and amber stripes
            textfont={"color": "#1F2328"},
            cliponaxis=False,
            hovertext=statuses,
            hovertemplate=f"{key_label} %{{y}}<br>%{{text}} · %{{hovertext}}<extra></extra>",
        )
    )
    known = table["dibujo"].dropna()
    top = max(float(known.max()) if len(known) else 0.0, 100.0 if by_meta else 0.0) or 1.0
    fig.update_xaxes(
        gridcolor="#E5E5E5",
        title={"text": "% de la meta" if by_meta else axis_format(kpi)["title"]},
        range=[0, top * 1.75],  # room for the label outside the longest bar
        tickangle=0,
        **value_ticks(kpi, 0.0, top, most=4, percent=by_meta),
    )
    if by_meta:
        fig.add_vline(x=100, line={"color": IMSS_GOLD, "dash": "dash", "width": 2}, layer="below")
        fig.add_annotation(
            x=100,
            y=1,
            yref="paper",
            yanchor="bottom",
            text="Meta",
            showarrow=False,
            font={"color": "#6B4E1F"},
        )
    return _layout(fig, title, max(260, 26 * len(table) + 80), where)


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
    month = period_labels(kpi, pd.Series([last["periodo"]]))[0]
    return (
        f"{month}: {fmt_value(kpi, last['valor'])}{meta}. {in_the_points(kpi, len(known))}: mínimo "
        f"{fmt_value(kpi, low['valor'])} ({period_labels(kpi, pd.Series([low['periodo']]))[0]}), máximo "
        f"{fmt_value(kpi, high['valor'])} ({period_labels(kpi, pd.Series([high['periodo']]))[0]})."
    )


def ranking_summary(kpi: Kpi, frame: pd.DataFrame, noun: str) -> str:
    """A ranking in one sentence (its text alternative): best, worst and how many miss the meta."""
    known = frame.dropna(subset=["valor"])
    if known.empty:
        return "Sin datos para comparar."
    table, by_meta = ranked(kpi, known)
    measured = table.dropna(subset=["dibujo"])
    best, worst = measured.iloc[0], measured.iloc[-1]
    missing = int(known["estado"].isin([OFF_TARGET, AT_RISK]).sum())

    def said(row: pd.Series) -> str:
        if by_meta:
            return f"{row['nombre']} {fmt_pct(row['dibujo'])} de la meta ({fmt_value(kpi, row['valor'])}, {row['estado']})"
        return f"{row['nombre']} {fmt_value(kpi, row['valor'])} ({row['estado']})"

    return (
        f"Mejor: {said(best)}; peor: {said(worst)}. "
        f"{missing} de {len(known)} {noun} fuera de meta o en riesgo."
    )


def waterfall(kpi: Kpi, contributions: pd.DataFrame, title: str, top: int = 10, where: str = "") -> go.Figure:
    """Each unit's contribution to the gap (valor − meta), most harmful first, then the total.

    `contributions` has clave, nombre and contribucion, already ordered; beyond `top` units the
    rest are one bar, «Resto», so the bars still add up to the total. The part of the scope
    outside the UMAE and the unassigned residual keep their own bars, after the units. Bars run
    sideways (names read across, even on a phone); a bar that widens the gap is red and one that
    closes it green by the KPI's sentido, the total too; a percentage's gap is in pp.
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
    hurts = (total > 0) == (kpi.sentido == DOWN) and total != 0
    running = [0.0, *itertools.accumulate(amounts)]
    fig = go.Figure(
        go.Waterfall(
            y=[*names, "Brecha total"],
            x=[*amounts, total],
            orientation="h",
            measure=["relative"] * len(amounts) + ["total"],
            text=[difference_text(kpi, v) for v in [*amounts, total]],
            textposition="outside",
            cliponaxis=False,
            increasing={"marker": {"color": good}},
            decreasing={"marker": {"color": bad}},
            totals={"marker": {"color": STATUS_COLORS[OFF_TARGET] if hurts else STATUS_COLORS[ON_TARGET]}},
            connector={"line": {"color": "#B0B0B0"}},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    low, high = min(*running, total), max(*running, total)
    pad = 0.35 * (high - low or 1.0)  # room for the labels outside the bars
    fig.update_xaxes(
        gridcolor="#E5E5E5",
        title={"text": f"Brecha ({difference_unit(kpi)})"},
        range=[low - (pad if low < 0 else 0), high + (pad if high > 0 else 0)],
        zeroline=True,
        zerolinecolor="#8A8F98",
        tickangle=0,
        **value_ticks(kpi, low, high, most=3, signed=True),
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, max(300, 30 * (len(names) + 1) + 90), where)

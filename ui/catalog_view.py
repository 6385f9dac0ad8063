"""The ficha técnica of a KPI as rows for the catalog page, and its search."""

from __future__ import annotations

import unicodedata

import pandas as pd

from indicators import commentary, engine, provenance, strategy
from indicators.definitions import ANNUAL, MONTHLY, QUARTERLY, Kpi
from indicators.engine import KpiValue
from indicators.forecast import LEVEL, MIN_MONTHS, PLAUSIBLE, annual_meta_rule, projectable
from indicators.periodicity import period_name
from indicators.status import limits, rule
from ui.format import fmt_value, value_formatter


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")


def matches(kpi: Kpi, query: str | None) -> bool:
    """Accent- and case-insensitive search over the ficha's texts."""
    if not query:
        return True
    haystack = _fold(" ".join([kpi.id, kpi.nombre, kpi.rubro_nombre, kpi.definicion, kpi.metodo, kpi.fuente]))
    return all(word in haystack for word in _fold(query).split())


def _current(kpi: Kpi) -> KpiValue | None:
    """The national figure in force: the latest year's so far (flows) or the latest month's (others)."""
    latest = engine.last_month_with_data(kpi)
    if latest is None:
        return None
    period = f"{latest:%Y}" if kpi.agregacion == "flujo" else f"{latest:%Y-%m}"
    try:
        return engine.value(kpi.id, period, "nacional")
    except engine.InvalidArgumentError:
        return None


def current_target(kpi: Kpi, v: KpiValue | None = None) -> str:
    """The national meta in force: the latest month's (stocks, ratios), the year's sum so far (flows)
    or the latest survey's (annual KPIs)."""
    v = v or _current(kpi)
    if v is None or v.meta is None:
        return "—"
    if kpi.frecuencia != MONTHLY and v.desde and v.hasta:
        suffix = f" ({period_name(kpi, v.desde, v.hasta)})"
    else:
        suffix = f" (acumulada {v.desde} a {v.hasta})" if kpi.agregacion == "flujo" else f" ({v.hasta})"
    return fmt_value(kpi, v.meta) + suffix


def status_rule(kpi: Kpi, v: KpiValue | None = None) -> str:
    """The semáforo's rule in one sentence, with the values where the status changes under the
    national meta in force («… (86.2 % o más) …»)."""
    v = v or _current(kpi)
    meta = v.meta if v is not None else None
    return rule(kpi, meta, value_formatter(kpi, meta, *(limits(kpi, meta) or ())))


def frequency_words(kpi: Kpi, v: KpiValue | None = None) -> str:
    """«mensual», or «anual: una cifra por año («Encuesta 2026»), la misma con cualquier mes elegido»."""
    if kpi.frecuencia == MONTHLY:
        return kpi.frecuencia
    unit = {ANNUAL: "año", QUARTERLY: "trimestre"}.get(kpi.frecuencia, "periodo")
    example = f" («{period_name(kpi, v.desde, v.hasta)}»)" if v is not None and v.desde and v.hasta else ""
    return f"{kpi.frecuencia}: una cifra por {unit}{example}, la misma con cualquier mes elegido"


def current_sources(kpi: Kpi) -> str:
    """The loads (file, user, time) behind the KPI's latest figure."""
    latest = engine.last_month_with_data(kpi)
    if latest is None:
        return "ninguna carga"
    period = f"{latest:%Y}" if kpi.frecuencia != MONTHLY else f"{latest:%Y-%m}"
    return f"{period}: {provenance.sources_text(provenance.sources([kpi.id], period))}"


def ficha_rows(kpi: Kpi, within: str | None = None) -> pd.DataFrame:
    current = _current(kpi)
    rows = [
        ("Clave", kpi.id),
        ("Definición", kpi.definicion),
        ("Método de cálculo", kpi.metodo),
        ("Unidad", kpi.unidad),
        ("Frecuencia", frequency_words(kpi, current)),
        ("Sentido", kpi.sentido),
        ("Tipo de agregación", kpi.agregacion),
        ("Fuente", kpi.fuente),
        ("Niveles de desglose", ", ".join(kpi.niveles)),
        ("Meta vigente (nacional)", current_target(kpi, current)),
        ("Cargas que alimentan las cifras", current_sources(kpi)),
        ("Regla del semáforo", status_rule(kpi, current)),
    ]
    rows += strategy_rows(kpi)
    last = commentary.history(kpi.id, within=within).head(1)  # the reader's ámbito only
    if not last.empty:
        c = last.iloc[0]
        rows.append(
            (
                "Último comentario del responsable",
                f"{c['periodo']} ({c['ambito']}) · ¿Por qué? {c['por_que']} · ¿Qué se hace? {c['que_se_hace']} "
                f"· {c['usuario']}, {c['fecha']:%d/%m/%Y}",
            )
        )
    return pd.DataFrame(rows, columns=["Campo", "Valor"]).set_index("Campo")


def strategy_rows(kpi: Kpi) -> list[tuple[str, str]]:
    """The KPI's place in the strategy map (objective, weight, owner), the roll-up and forecast rules."""
    found = strategy.owner(kpi.id)
    rows = []
    if found is not None:
        rows += [
            ("Objetivo PIIMSS 2020-2024", f"{found['cve_objetivo']} · {found['objetivo']}"),
            ("Peso en el objetivo", f"{found['peso']:g}"),
            ("Responsable", f"{found['responsable']} ({found['cve_direccion']})"),
            ("Regla de agregación al objetivo", strategy.RULE),
        ]
    rows.append(("Meta anual", annual_meta_rule(kpi)))
    if projectable(kpi):
        rows.append(
            (
                "Proyección al cierre del año",
                "Modelo ETS de statsmodels ajustado a la serie mensual del indicador desde su último cambio "
                "de nivel (estacional con dos años o más de historia); intervalo de "
                f"{LEVEL * 100:.0f} % y probabilidad de alcanzar la meta anual a partir de 1,000 trayectorias "
                f"simuladas. «Proyección no confiable», sin cifra, con menos de {MIN_MONTHS} meses desde el "
                f"último cambio de nivel o si el intervalo sale de {PLAUSIBLE[0] * 100:.0f}–"
                f"{PLAUSIBLE[1] * 100:.0f} % de la meta anual.",
            )
        )
    return rows

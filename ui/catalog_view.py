"""The ficha técnica of a KPI as rows for the catalog page, and its search."""

from __future__ import annotations

import unicodedata

import pandas as pd

from indicators import commentary, engine, provenance, strategy
from indicators.definitions import Kpi
from indicators.forecast import LEVEL, projectable
from ui.format import fmt_value


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")


def matches(kpi: Kpi, query: str | None) -> bool:
    """Accent- and case-insensitive search over the ficha's texts."""
    if not query:
        return True
    haystack = _fold(" ".join([kpi.id, kpi.nombre, kpi.rubro_nombre, kpi.definicion, kpi.metodo, kpi.fuente]))
    return all(word in haystack for word in _fold(query).split())


def current_target(kpi: Kpi) -> str:
    """The national meta in force: the latest month's (stocks, ratios) or the year's sum so far (flows)."""
    latest = engine.last_month_with_data(kpi)
    if latest is None:
        return "—"
    period = f"{latest:%Y}" if kpi.agregacion == "flujo" else f"{latest:%Y-%m}"
    try:
        v = engine.value(kpi.id, period, "nacional")
    except engine.InvalidArgumentError:
        return "—"
    suffix = f" (acumulada {v.desde} a {v.hasta})" if kpi.agregacion == "flujo" else f" ({v.hasta})"
    return fmt_value(kpi, v.meta) + (suffix if v.meta is not None else "")


def current_sources(kpi: Kpi) -> str:
    """The loads (file, user, time) behind the KPI's latest figure."""
    latest = engine.last_month_with_data(kpi)
    if latest is None:
        return "ninguna carga"
    period = f"{latest:%Y}" if kpi.frecuencia == "anual" else f"{latest:%Y-%m}"
    return f"{period}: {provenance.sources_text(provenance.sources([kpi.id], period))}"


def ficha_rows(kpi: Kpi, within: str | None = None) -> pd.DataFrame:
    rows = [
        ("Clave", kpi.id),
        ("Definición", kpi.definicion),
        ("Método de cálculo", kpi.metodo),
        ("Unidad", kpi.unidad),
        ("Frecuencia", kpi.frecuencia),
        ("Sentido", kpi.sentido),
        ("Tipo de agregación", kpi.agregacion),
        ("Fuente", kpi.fuente),
        ("Niveles de desglose", ", ".join(kpi.niveles)),
        ("Meta vigente (nacional)", current_target(kpi)),
        ("Cargas que alimentan las cifras", current_sources(kpi)),
        (
            "Umbrales del semáforo",
            f"En meta ≥ {kpi.umbral_verde:.0%} de cumplimiento; en riesgo ≥ {kpi.umbral_amarillo:.0%}; "
            "por debajo, fuera de meta",
        ),
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
    if projectable(kpi):
        rows.append(
            (
                "Proyección al cierre del año",
                "Modelo ETS de statsmodels ajustado a la serie mensual del indicador (estacional con dos "
                f"años o más de historia); intervalo de {LEVEL * 100:.0f} % y probabilidad de alcanzar "
                "la meta anual a partir de 1,000 trayectorias simuladas.",
            )
        )
    return rows

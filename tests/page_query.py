"""The global filters as a shared link carries them (the sidebar widgets are bound to the URL)."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from ui.format import fmt_month

OOAD_NAMES = {"01": "Aguascalientes", "05": "Coahuila", "09": "Ciudad de México Norte"}


def set_filters(
    at: AppTest, f_periodo: str | None = None, f_region: str | None = None, f_ooad: str | None = None
) -> None:
    """Put period, region and OOAD in the URL query of an AppTest before it runs."""
    if f_periodo and len(f_periodo) == 4:
        at.query_params["tipo"] = "Año"
        at.query_params["anio"] = f_periodo
    elif f_periodo:
        at.query_params["mes"] = fmt_month(date.fromisoformat(f_periodo + "-01"))
    if f_region:
        at.query_params["region"] = f_region
    if f_ooad:
        at.query_params["ooad"] = OOAD_NAMES[f_ooad]

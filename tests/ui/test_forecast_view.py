"""The year-end projection in words: plurals, the meta it is judged against, why «97.4 % de la
meta» can go with «Probabilidad: 0 %», and «proyección no confiable» with its reason."""

from __future__ import annotations

from datetime import date

import pandas as pd

from indicators.catalog import get
from indicators.forecast import Unreliable, YearEnd
from ui.forecast_view import card_line, chance_line, pace_line

FLOW_KPI = get("consultas_medicina_familiar")  # formato millones
STOCK_KPI = get("patrones_registrados")  # formato entero


def year_end(meta: float, proyeccion: float, probabilidad: float, restantes: int, **kw: float) -> YearEnd:
    return YearEnd(
        kpi=FLOW_KPI.id,
        anio=2026,
        hasta=date(2026, 12 - restantes, 1),
        meses_restantes=restantes,
        observado=kw.get("observado", 90e6),
        proyeccion=proyeccion,
        inferior=kw.get("inferior", proyeccion * 0.995),
        superior=kw.get("superior", proyeccion * 1.005),
        meta=meta,
        probabilidad=probabilidad,
        ritmo_necesario=kw.get("ritmo_necesario", 8.4e6),
        ritmo_proyectado=kw.get("ritmo_proyectado", 6.1e6),
        mensual=pd.DataFrame(),
    )


def test_one_month_left_is_singular_and_the_probability_is_explained() -> None:
    # 97.4 % of a 100 M meta, reached in none of the 1,000 simulated years
    f = year_end(100e6, 97.4e6, 0.0, 1, inferior=96.9e6, superior=97.9e6)
    assert card_line(f) == "Cierre 2026 · proyección: 97.4 % de la meta anual, intervalo 96.9–97.9 %"
    assert chance_line(FLOW_KPI, f) == (
        "Probabilidad de alcanzar la meta anual (100.0 M): 0 %. La proyección central queda 2.6 % por "
        "debajo de ella, y la alcanza en 0 de 1,000 años simulados."
    )
    line = pace_line(FLOW_KPI, f)
    assert "8.4 M por mes en el mes restante;" in line
    assert "meses restantes" not in line


def test_several_months_left_and_a_probability_near_one() -> None:
    f = year_end(100e6, 101e6, 0.995, 3)
    line = pace_line(FLOW_KPI, f)
    assert "en los 3 meses restantes" in line
    # 995 of 1,000 is not «100 %»
    assert "Probabilidad de alcanzar la meta anual (100.0 M): > 99 %." in line
    assert "queda 1.0 % por encima de ella, y la alcanza en 995 de 1,000 años simulados" in line


def test_a_meta_already_met_says_so_instead_of_a_negative_pace() -> None:
    # a stock 145,182 above December's meta: no «Ritmo necesario: −145,182»
    f = YearEnd(
        kpi=STOCK_KPI.id,
        anio=2026,
        hasta=date(2026, 11, 1),
        meses_restantes=1,
        observado=1_762_773,
        proyeccion=1_768_839,
        inferior=1_762_746,
        superior=1_774_831,
        meta=1_617_591,
        probabilidad=1.0,
        ritmo_necesario=-145_182,
        ritmo_proyectado=6_066,
        mensual=pd.DataFrame(),
    )
    line = pace_line(STOCK_KPI, f)
    assert "La meta anual ya se cumple con el nivel actual" in line
    assert "−145,182" not in line and "+6,066 de cambio neto por mes en el mes restante" in line


def test_an_unreliable_projection_shows_its_reason_and_no_number() -> None:
    f = Unreliable(
        STOCK_KPI.id,
        2026,
        date(2026, 11, 1),
        514_944.0,
        "su intervalo (342–345 % de la meta anual de 514,944) sale del rango creíble de 50–200 %",
    )
    assert card_line(f) == (
        "Cierre 2026 · proyección no confiable: su intervalo (342–345 % de la meta anual de 514,944) "
        "sale del rango creíble de 50–200 %"
    )
    detail = pace_line(STOCK_KPI, f)
    assert detail.startswith("Sin cifra de cierre (con datos a nov 2026)")
    assert detail.endswith("Meta anual: 514,944.")
    assert "Probabilidad" not in detail

"""The status language on hand-built values: arrow colour, unit of the difference and words."""

from __future__ import annotations

import pytest

from indicators.definitions import DOWN, UP, Kpi
from indicators.engine import KpiValue
from indicators.status import (
    AT_RISK,
    META,
    OFF_TARGET,
    ON_TARGET,
    PERIOD_BEFORE,
    YEAR_BEFORE,
    difference,
    status,
    status_reason,
)
from ui.cards import comparison_label, delta_for
from ui.format import fmt_difference, fmt_value


def _kpi(sentido: str, formato: str) -> Kpi:
    return Kpi(
        id="k",
        nombre="K",
        rubro="servicios_medicos",
        definicion="",
        metodo="",
        unidad="%" if formato == "porcentaje" else "días",
        formato=formato,
        fuente="x",
        agregacion="razon",
        numerador="a",
        sentido=sentido,
        umbral_verde=0.98,
        umbral_amarillo=0.90,
    )


RATE_UP, RATE_DOWN = _kpi(UP, "porcentaje"), _kpi(DOWN, "porcentaje")
COUNT_UP, COUNT_DOWN = _kpi(UP, "decimal"), _kpi(DOWN, "decimal")

# (kpi, value, meta, expected status, colour of the arrow against the meta, difference text)
AGAINST_META = [
    (RATE_UP, 83.8, 85.0, ON_TARGET, "green", "-1.2 pp"),  # below meta, within tolerance: green
    (RATE_UP, 80.0, 85.0, AT_RISK, "orange", "-5.0 pp"),
    (RATE_UP, 71.5, 85.0, OFF_TARGET, "red", "-13.5 pp"),  # points, not -15.9 %
    (RATE_UP, 90.0, 85.0, ON_TARGET, "green", "+5.0 pp"),
    (RATE_DOWN, 10.0, 12.0, ON_TARGET, "green", "-2.0 pp"),
    (RATE_DOWN, 12.6, 12.5, ON_TARGET, "green", "+0.1 pp"),  # 12.5/12.6 = 0.992 ≥ 0.98
    (RATE_DOWN, 13.5, 12.5, AT_RISK, "orange", "+1.0 pp"),  # 0.926
    (RATE_DOWN, 15.0, 12.5, OFF_TARGET, "red", "+2.5 pp"),
    (COUNT_UP, 110.0, 100.0, ON_TARGET, "green", "+10.0 %"),
    (COUNT_UP, 92.0, 100.0, AT_RISK, "orange", "-8.0 %"),
    (COUNT_UP, 80.0, 100.0, OFF_TARGET, "red", "-20.0 %"),
    (COUNT_DOWN, 8.0, 10.0, ON_TARGET, "green", "-20.0 %"),
    (COUNT_DOWN, 10.5, 10.0, AT_RISK, "orange", "+5.0 %"),
    (COUNT_DOWN, 12.0, 10.0, OFF_TARGET, "red", "+20.0 %"),
]


@pytest.mark.parametrize(("kpi", "value", "meta", "estado", "tone", "text"), AGAINST_META)
def test_against_meta_the_arrow_takes_the_status_colour(kpi, value, meta, estado, tone, text):
    assert status(kpi, value, meta) == estado
    d = difference(kpi, value, meta, META)
    assert d.tone == tone
    assert d.unit == ("pp" if kpi.formato == "porcentaje" else "%")
    assert fmt_difference(d) == text
    assert d.arrow == ("up" if value > meta else "down")


# (kpi, now, before, colour): up is good for ascending KPIs, down for descending ones
AGAINST_EARLIER = [
    (RATE_UP, 71.5, 69.0, "green", "+2.5 pp"),
    (RATE_UP, 69.0, 71.5, "red", "-2.5 pp"),
    (RATE_DOWN, 69.0, 71.5, "green", "-2.5 pp"),
    (RATE_DOWN, 71.5, 69.0, "red", "+2.5 pp"),
    (COUNT_UP, 102.5, 100.0, "green", "+2.5 %"),
    (COUNT_UP, 97.5, 100.0, "red", "-2.5 %"),
    (COUNT_DOWN, 97.5, 100.0, "green", "-2.5 %"),
    (COUNT_DOWN, 102.5, 100.0, "red", "+2.5 %"),
    (COUNT_UP, 100.0, 100.0, "gray", "+0.0 %"),
]


@pytest.mark.parametrize("comparison", [YEAR_BEFORE, PERIOD_BEFORE])
@pytest.mark.parametrize(("kpi", "now", "before", "tone", "text"), AGAINST_EARLIER)
def test_against_an_earlier_period_the_colour_follows_the_good_direction(
    kpi, now, before, tone, text, comparison
):
    d = difference(kpi, now, before, comparison)
    assert (d.tone, fmt_difference(d)) == (tone, text)


def test_undefined_differences_show_nothing():
    assert difference(RATE_UP, None, 85.0) is None
    assert difference(RATE_UP, 80.0, None, YEAR_BEFORE) is None
    assert difference(COUNT_UP, 5.0, 0.0, YEAR_BEFORE) is None  # no relative change from zero
    assert fmt_difference(difference(RATE_UP, 5.0, 0.0, YEAR_BEFORE)) == "+5.0 pp"  # points still are


REASONS = [
    (RATE_UP, 83.8, 85.0, "83.8 % ≥ 98 % de la meta 85.0 %."),
    (RATE_UP, 80.0, 85.0, "80.0 % ≥ 90 % de la meta 85.0 %, pero < 98 %."),
    (RATE_UP, 71.5, 85.0, "71.5 % < 90 % de la meta 85.0 %."),
    (COUNT_DOWN, 10.0, 9.8, "10.0 ≤ 10.0, el máximo para estar en meta (meta 9.8; menor es mejor)."),
    (COUNT_DOWN, 10.5, 9.8, "10.5 > 10.0, pero ≤ 10.9 (meta 9.8; menor es mejor)."),
    (COUNT_DOWN, 12.0, 9.8, "12.0 > 10.9, el máximo tolerable (meta 9.8; menor es mejor)."),
    (COUNT_UP, 12.0, None, "El indicador no tiene meta para este periodo y ámbito."),
    (COUNT_UP, None, 10.0, "Sin dato en el periodo."),
]


@pytest.mark.parametrize(("kpi", "value", "meta", "reason"), REASONS)
def test_status_reason_in_one_line(kpi, value, meta, reason):
    assert status_reason(kpi, value, meta, lambda x: fmt_value(kpi, x)) == reason


def _value(periodo: str, desde: str, hasta: str) -> KpiValue:
    return KpiValue(
        kpi="k", nombre="K", periodo=periodo, ambito="nacional", valor=71.5, unidad="%", meta=85.0,
        cumplimiento=None, estado=OFF_TARGET, valor_periodo_anterior=70.0, variacion_periodo=None,
        valor_anio_anterior=73.0, variacion_anual=None, desde=desde, hasta=hasta,
    )  # fmt: skip


def test_cards_name_their_period_and_comparison():
    month, year = _value("2026-10", "2026-10", "2026-10"), _value("2026", "2026-01", "2026-10")
    assert comparison_label(month, META) == "oct 2026 vs meta"
    assert comparison_label(month, YEAR_BEFORE) == "oct 2026 vs oct 2025"
    assert comparison_label(month, PERIOD_BEFORE) == "oct 2026 vs sep 2026"
    assert comparison_label(year, META) == "ene–oct 2026 vs meta"
    assert comparison_label(year, YEAR_BEFORE) == "ene–oct 2026 vs ene–oct 2025"
    assert comparison_label(year, PERIOD_BEFORE) == "ene–oct 2026 vs ene–oct 2025"  # a year's period before
    assert comparison_label(_value("2026-01", "2026-01", "2026-01"), PERIOD_BEFORE) == "ene 2026 vs dic 2025"


def test_card_delta_uses_the_chosen_reference():
    v = _value("2026-10", "2026-10", "2026-10")
    assert fmt_difference(delta_for(RATE_UP, v, META)) == "-13.5 pp"
    assert delta_for(RATE_UP, v, META).tone == "red"
    assert (
        fmt_difference(delta_for(RATE_UP, v, PERIOD_BEFORE)),
        delta_for(RATE_UP, v, PERIOD_BEFORE).tone,
    ) == (
        "+1.5 pp",
        "green",
    )
    assert (fmt_difference(delta_for(RATE_UP, v, YEAR_BEFORE)), delta_for(RATE_UP, v, YEAR_BEFORE).tone) == (
        "-1.5 pp",
        "red",
    )

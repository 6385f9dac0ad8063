"""The status language on hand-built values: the chip's colour (always the status's), the unit and
precision of differences, «mejor»/«peor» by sentido, and the rule in one sentence."""

from __future__ import annotations

import pytest

from indicators.catalog import get
from indicators.definitions import DOWN, UP, Kpi
from indicators.engine import KpiValue
from indicators.status import (
    AT_RISK,
    META,
    OFF_TARGET,
    ON_TARGET,
    PERIOD_BEFORE,
    STATUS_TONE,
    YEAR_BEFORE,
    difference,
    limits,
    rule,
    status,
    status_reason,
)
from ui.cards import comparison_label, delta_for, delta_words, status_help
from ui.format import fmt_difference, fmt_value, fmt_value_meta


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


# (kpi, now, before, meta, colour, text, verdict). The chip's colour is the status's (now against the
# meta), whatever the sign; whether the KPI moved its good way is said in words, by sentido.
AGAINST_EARLIER = [
    (RATE_UP, 71.5, 69.0, None, "gray", "+2.5 pp", "mejor"),  # no meta: no status, gray
    (RATE_UP, 83.8, 84.0, 85.0, "green", "-0.2 pp", "peor"),  # 83.8/85 = 0.986 ≥ 0.98: green though down
    (RATE_UP, 80.0, 79.0, 85.0, "orange", "+1.0 pp", "mejor"),  # 80/85 = 0.941: at risk though up
    (RATE_DOWN, 10.0, 9.0, 12.0, "green", "+1.0 pp", "peor"),  # 12/10 = 1.2: in meta though worse
    (RATE_DOWN, 15.0, 16.0, 12.5, "red", "-1.0 pp", "mejor"),  # 12.5/15 = 0.833 < 0.90: off though better
    (COUNT_UP, 92.0, 90.0, 100.0, "orange", "+2.2 %", "mejor"),  # (92 − 90)/90 = 2.22 %
    (COUNT_UP, 97.5, 100.0, 80.0, "green", "-2.5 %", "peor"),
    (COUNT_DOWN, 8.0, 7.5, 10.0, "green", "+6.7 %", "peor"),  # (8 − 7.5)/7.5 = 6.67 %; 10/8 = 1.25
    (COUNT_DOWN, 12.0, 12.5, 10.0, "red", "-4.0 %", "mejor"),  # 10/12 = 0.833
    (COUNT_UP, 100.0, 100.0, 100.0, "green", "+0.0 %", "igual"),
]


@pytest.mark.parametrize("comparison", [YEAR_BEFORE, PERIOD_BEFORE])
@pytest.mark.parametrize(("kpi", "now", "before", "meta", "tone", "text", "words"), AGAINST_EARLIER)
def test_against_an_earlier_period_the_chip_keeps_the_status_colour_and_says_better_or_worse(
    kpi, now, before, meta, tone, text, words, comparison
):
    d = difference(kpi, now, before, comparison, meta)
    assert (d.tone, fmt_difference(d), d.verdict) == (tone, text, words)
    assert d.tone == STATUS_TONE[status(kpi, now, meta)]
    assert d.arrow == ("up" if now > before else "down" if now < before else "off")


def test_against_the_meta_the_words_are_the_status_not_better_or_worse():
    assert difference(RATE_UP, 83.8, 85.0, META).verdict is None


def test_undefined_differences_show_nothing():
    assert difference(RATE_UP, None, 85.0) is None
    assert difference(RATE_UP, 80.0, None, YEAR_BEFORE, 85.0) is None
    assert difference(COUNT_UP, 5.0, 0.0, YEAR_BEFORE) is None  # no relative change from zero
    assert fmt_difference(difference(RATE_UP, 5.0, 0.0, YEAR_BEFORE)) == "+5.0 pp"  # points still are


# The status hangs on a difference the usual precision hides: value and meta print apart.
CONSULTAS = Kpi(
    id="c", nombre="Consultas", rubro="servicios_medicos", definicion="", metodo="", unidad="consultas",
    formato="millones", fuente="x", agregacion="flujo", numerador="a", umbral_verde=1.0, umbral_amarillo=0.95,
)  # fmt: skip
RATE_EXACT = Kpi(
    id="r", nombre="R", rubro="servicios_medicos", definicion="", metodo="", unidad="%",
    formato="porcentaje", fuente="x", agregacion="razon", numerador="a", umbral_verde=1.0, umbral_amarillo=0.9,
)  # fmt: skip


def test_a_status_below_the_printed_precision_shows_the_digits_it_hangs_on():
    # 1,889,648 against 1,892,803: 0.99833 < 1 → «En riesgo»; at one decimal both read «1.9 M», at
    # two «1.89 M»: three decimals tell them apart. The chip: −3,155 / 1,892,803 = −0.167 %.
    value, meta = 1_889_648.0, 1_892_803.0
    assert status(CONSULTAS, value, meta) == AT_RISK
    assert fmt_value_meta(CONSULTAS, value, meta) == ("1.890 M", "1.893 M")
    d = difference(CONSULTAS, value, meta, META)
    assert (fmt_difference(d), d.tone) == ("-0.2 %", "orange")
    # the year before (1,843,439): +46,209 / 1,843,439 = +2.5 %, better, and still the status's orange
    d = difference(CONSULTAS, value, 1_843_439.0, YEAR_BEFORE, meta)
    assert (fmt_difference(d), d.tone, d.verdict) == ("+2.5 %", "orange", "mejor")
    # the period before (1,935,722): −46,074 / 1,935,722 = −2.4 %, worse
    d = difference(CONSULTAS, value, 1_935_722.0, PERIOD_BEFORE, meta)
    assert (fmt_difference(d), d.tone, d.verdict) == ("-2.4 %", "orange", "peor")
    # the «?»: 1,892,803 × 0.95 = 1,798,163, printed with the same three decimals
    assert status_help(CONSULTAS, value, meta).startswith(
        "1.890 M < 1.893 M (la meta), pero ≥ 1.798 M (95 % de la meta 1.893 M). En meta si alcanza la meta"
    )
    # equal numbers keep the format's own precision; so does a pair that already reads apart
    assert fmt_value_meta(CONSULTAS, 1_892_803.0, 1_892_803.0) == ("1.9 M", "1.9 M")
    assert fmt_value_meta(CONSULTAS, 8_092_562.0, 8_227_144.0) == ("8.1 M", "8.2 M")


def test_a_rate_a_hundredth_under_its_meta_prints_hundredths_and_a_chip_that_is_not_zero():
    # 84.96 % against 85.0 %: 0.99953 < 1 → «En riesgo»; both read «85.0 %» at one decimal
    assert status(RATE_EXACT, 84.96, 85.0) == AT_RISK
    assert fmt_value_meta(RATE_EXACT, 84.96, 85.0) == ("84.96 %", "85.00 %")
    d = difference(RATE_EXACT, 84.96, 85.0, META)
    assert (fmt_difference(d), d.tone) == ("-0.04 pp", "orange")  # not «-0.0 pp»


REASONS = [
    # 85 × 0.98 = 83.3, 85 × 0.90 = 76.5
    (RATE_UP, 83.8, 85.0, "83.8 % ≥ 83.3 % (98 % de la meta 85.0 %)."),
    (RATE_UP, 80.0, 85.0, "80.0 % < 83.3 % (98 % de la meta 85.0 %), pero ≥ 76.5 % (90 %)."),
    (RATE_UP, 71.5, 85.0, "71.5 % < 76.5 % (90 % de la meta 85.0 %)."),
    # 9.8 / 0.98 = 10.0, 9.8 / 0.90 = 10.89
    (COUNT_DOWN, 10.0, 9.8, "10.0 ≤ 10.0, el máximo para estar en meta (meta 9.8; menor es mejor)."),
    (COUNT_DOWN, 10.5, 9.8, "10.5 > 10.0, pero ≤ 10.9 (meta 9.8; menor es mejor)."),
    (COUNT_DOWN, 12.0, 9.8, "12.0 > 10.9, el máximo tolerable (meta 9.8; menor es mejor)."),
    (COUNT_UP, 12.0, None, "El indicador no tiene meta para este periodo y ámbito."),
    (COUNT_UP, None, 10.0, "Sin dato en el periodo."),
]


@pytest.mark.parametrize(("kpi", "value", "meta", "reason"), REASONS)
def test_status_reason_in_one_line(kpi, value, meta, reason):
    assert status_reason(kpi, value, meta, lambda x: fmt_value(kpi, x)) == reason


def test_the_rule_in_one_sentence_explains_86_5_against_88_as_in_meta():
    guarderias = get("ocupacion_guarderias")  # 98 % and 92 % of the meta
    # 88.0 × 0.98 = 86.24, 88.0 × 0.92 = 80.96; 86.5 / 88.0 = 0.983 ≥ 0.98
    assert status(guarderias, 86.5, 88.0) == ON_TARGET
    assert limits(guarderias, 88.0) == pytest.approx((86.24, 80.96))
    assert rule(guarderias, 88.0, lambda x: fmt_value(guarderias, x)) == (
        "En meta si alcanza al menos el 98 % de la meta (86.2 % o más); en riesgo desde el 92 % de la"
        " meta (81.0 % o más); por debajo, fuera de meta."
    )
    assert rule(guarderias) == (
        "En meta si alcanza al menos el 98 % de la meta; en riesgo desde el 92 % de la meta;"
        " por debajo, fuera de meta."
    )
    # the card's «?»: the reason, then the rule, with the limit printed apart from the value
    assert status_help(guarderias, 86.5, 88.0) == (
        "86.5 % ≥ 86.2 % (98 % de la meta 88.0 %). En meta si alcanza al menos el 98 % de la meta"
        " (86.2 % o más); en riesgo desde el 92 % de la meta (81.0 % o más); por debajo, fuera de meta."
    )


def test_the_rule_of_a_kpi_where_lower_is_better():
    dias = get("dias_incapacidad_eg")  # meta itself, then up to 1/0.95 − 1 = 5.3 % above it
    # 10,000,000 / 0.95 = 10,526,316 → «10.5 M»
    assert rule(dias, 10_000_000.0, lambda x: fmt_value(dias, x)) == (
        "Menor es mejor: en meta si no rebasa la meta (10.0 M o menos); en riesgo si la rebasa hasta en"
        " 5.3 % (10.5 M o menos); por encima, fuera de meta."
    )
    assert rule(RATE_DOWN) == (  # 1/0.98 − 1 = 2.04 %, 1/0.90 − 1 = 11.1 %
        "Menor es mejor: en meta si no rebasa la meta en más de 2 %; en riesgo si la rebasa hasta en"
        " 11.1 %; por encima, fuera de meta."
    )


def test_the_help_prints_the_limit_apart_from_a_value_just_above_it():
    # 85 × 0.98 = 83.3: 83.31 is in meta by a hundredth, so value and limit print hundredths
    assert status(RATE_UP, 83.31, 85.0) == ON_TARGET
    assert status_help(RATE_UP, 83.31, 85.0).startswith("83.31 % ≥ 83.30 % (98 % de la meta 85.00 %).")


def _value(periodo: str, desde: str, hasta: str) -> KpiValue:
    return KpiValue(
        kpi="k", nombre="K", periodo=periodo, ambito="nacional", valor=71.5, unidad="%", meta=85.0,
        cumplimiento=None, estado=OFF_TARGET, valor_periodo_anterior=70.0, variacion_periodo=None,
        valor_anio_anterior=73.0, variacion_anual=None, desde=desde, hasta=hasta,
    )  # fmt: skip


def test_cards_name_their_period_and_comparison():
    month, year = _value("2026-10", "2026-10", "2026-10"), _value("2026", "2026-01", "2026-10")
    assert comparison_label(RATE_UP, month, META) == "oct 2026 vs meta"
    assert comparison_label(RATE_UP, month, YEAR_BEFORE) == "oct 2026 vs oct 2025"
    assert comparison_label(RATE_UP, month, PERIOD_BEFORE) == "oct 2026 vs sep 2026"
    assert comparison_label(RATE_UP, year, META) == "ene–oct 2026 vs meta"
    assert comparison_label(RATE_UP, year, YEAR_BEFORE) == "ene–oct 2026 vs ene–oct 2025"
    assert (
        comparison_label(RATE_UP, year, PERIOD_BEFORE) == "ene–oct 2026 vs ene–oct 2025"
    )  # a year's period before
    january = _value("2026-01", "2026-01", "2026-01")
    assert comparison_label(RATE_UP, january, PERIOD_BEFORE) == "ene 2026 vs dic 2025"


def test_card_delta_uses_the_chosen_reference_and_the_status_colour():
    v = _value("2026-10", "2026-10", "2026-10")  # 71.5 against 85.0: 0.84 < 0.90, «Fuera de meta»
    assert (fmt_difference(delta_for(RATE_UP, v, META)), delta_for(RATE_UP, v, META).tone) == (
        "-13.5 pp",
        "red",
    )
    # up 1.5 pp on the month before (70.0): better, and still red, the status's colour
    before = delta_for(RATE_UP, v, PERIOD_BEFORE)
    assert (fmt_difference(before), before.tone, before.verdict) == ("+1.5 pp", "red", "mejor")
    ago = delta_for(RATE_UP, v, YEAR_BEFORE)  # 73.0 a year before
    assert (fmt_difference(ago), ago.tone, ago.verdict) == ("-1.5 pp", "red", "peor")
    assert delta_words(RATE_UP, v, YEAR_BEFORE, ago) == "oct 2026 vs oct 2025 · peor"
    assert delta_words(RATE_UP, v, META, delta_for(RATE_UP, v, META)) == "oct 2026 vs meta"

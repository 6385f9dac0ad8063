"""The caption that says as of which day the agreement figures are read."""

from __future__ import annotations

from datetime import date

from agreements import board as ag
from ui.agreement_figures import cut_caption

DAY = date(2026, 12, 7)


def test_a_closed_month_is_read_at_its_close() -> None:
    caption = cut_caption(ag.cut("2026-11", DAY), "2026-11")
    assert caption == "Noviembre 2026: cifras al 30 de noviembre de 2026, cierre del periodo"


def test_the_period_in_course_is_read_today() -> None:
    caption = cut_caption(ag.cut("2026", DAY), "2026")
    assert caption == "2026: cifras al día de hoy, 7 de diciembre de 2026 (periodo en curso)"


def test_today_chosen_over_a_closed_period_does_not_call_that_period_in_course() -> None:
    caption = cut_caption(ag.cut(None, DAY), "2024-03")
    assert caption == "Cifras al día de hoy, 7 de diciembre de 2026 (no al cierre de marzo 2024)"

"""The business calendar's «today»: the real date, or the one fixed by CMI_HOY.

Every rule that depends on the date (the demo's last complete month, the default period, the
agreements' cut, deadlines, the dates stamped on agreement history) asks here, so a test suite or
a rehearsal can run the whole product as of any day. Sessions, sign-in throttling and the audit log
keep the real clock: they measure elapsed time, not the business calendar.
"""

from __future__ import annotations

from datetime import date, datetime

from warehouse.settings import settings


class InvalidToday(ValueError):
    """CMI_HOY is set but is not a date."""


def today() -> date:
    """CMI_HOY if set (YYYY-MM-DD), else the calendar's date."""
    text = settings().today
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidToday(f"CMI_HOY debe ser una fecha AAAA-MM-DD; tiene «{text}».") from None


def now() -> datetime:
    """This moment on the business calendar: today()'s date at the real time of day."""
    real = datetime.now()
    return datetime.combine(today(), real.time()) if settings().today else real

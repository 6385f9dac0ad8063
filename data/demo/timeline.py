"""The demo's months (January 2018 to the last complete month) and their calendar effects."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

FIRST_YEAR = 2018

# Consultations by month of the year: fewer in December, in the summer holidays and in
# February's short month; Holy Week is applied separately because Easter moves.
CARE_SEASON = np.array([0.99, 0.97, 1.04, 1.02, 1.04, 1.03, 0.95, 1.05, 1.02, 1.06, 1.03, 0.80])
HOLY_WEEK_FACTOR = 0.92

# National shock of the 2020-2022 pandemic on in-person care, as a multiplier per month.
_COVID_CARE = {
    (2020, 3): 0.92, (2020, 4): 0.55, (2020, 5): 0.52, (2020, 6): 0.58, (2020, 7): 0.62,
    (2020, 8): 0.66, (2020, 9): 0.70, (2020, 10): 0.74, (2020, 11): 0.74, (2020, 12): 0.66,
    (2021, 1): 0.62, (2021, 2): 0.70, (2021, 3): 0.78, (2021, 4): 0.82, (2021, 5): 0.85,
    (2021, 6): 0.87, (2021, 7): 0.84, (2021, 8): 0.82, (2021, 9): 0.86, (2021, 10): 0.90,
    (2021, 11): 0.92, (2021, 12): 0.93, (2022, 1): 0.86, (2022, 2): 0.91, (2022, 3): 0.94,
    (2022, 4): 0.95, (2022, 5): 0.96, (2022, 6): 0.95, (2022, 7): 0.95, (2022, 8): 0.97,
    (2022, 9): 0.97, (2022, 10): 0.98, (2022, 11): 0.98, (2022, 12): 0.98,
}  # fmt: skip


def last_complete_month(today: date) -> date:
    """First day of the month before today's month."""
    prev = today.replace(day=1) - timedelta(days=1)
    return prev.replace(day=1)


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    w = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * w) // 451
    month, day = divmod(h + w - 7 * m + 114, 31)
    return date(year, month, day + 1)


@dataclass(frozen=True)
class Timeline:
    """Consecutive months; arrays are indexed by month position t."""

    periods: tuple[date, ...]

    @classmethod
    def until(cls, today: date) -> Timeline:
        last = last_complete_month(today)
        months = []
        y, m = FIRST_YEAR, 1
        while (y, m) <= (last.year, last.month):
            months.append(date(y, m, 1))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return cls(tuple(months))

    def __len__(self) -> int:
        return len(self.periods)

    @property
    def year(self) -> np.ndarray:
        return np.array([p.year for p in self.periods])

    @property
    def month(self) -> np.ndarray:
        return np.array([p.month for p in self.periods])

    @property
    def days(self) -> np.ndarray:
        return np.array([calendar.monthrange(p.year, p.month)[1] for p in self.periods])

    @property
    def years(self) -> list[int]:
        return sorted({p.year for p in self.periods})

    @property
    def last(self) -> date:
        return self.periods[-1]

    def index(self, year: int, month: int) -> int:
        return self.periods.index(date(year, month, 1))

    def fractional_year(self) -> np.ndarray:
        """Years since January 2019, for smooth trends."""
        return self.year - 2019 + (self.month - 1) / 12

    def care_season(self) -> np.ndarray:
        """Seasonal multiplier for consultations, with the Holy Week dip where Easter falls."""
        season = CARE_SEASON[self.month - 1].copy()
        for t, p in enumerate(self.periods):
            if (easter(p.year) - timedelta(days=2)).month == p.month:
                season[t] *= HOLY_WEEK_FACTOR
        return season

    def covid(self, depth: float = 1.0) -> np.ndarray:
        """Pandemic multiplier per month; depth scales how hard a service was hit."""
        base = np.array([_COVID_CARE.get((p.year, p.month), 1.0) for p in self.periods])
        return np.clip(1.0 - depth * (1.0 - base), 0.15, None)

"""The suite's calendar: every test runs «as of» one fixed day, never the machine's.

The demo warehouse ends at the month before «today», the default period is its last month, and
agreements fall due against «today» (warehouse.clock, CMI_HOY). Left to the machine's calendar, a
suite that passed in November failed in December. This plugin, loaded first, fixes CMI_HOY for
the whole run (workers and the servers they start inherit it) unless the caller set it:
`CMI_HOY=2027-01-01 pytest -m calendario` runs the date-sensitive modules as of another day.
"""

from __future__ import annotations

import os

SUITE_DAY = "2026-12-07"  # a Monday in the middle of the demo's last year
# Days `make test` also runs the date-sensitive modules on (Makefile): a January 1st (a new year,
# December just closed) and the 28th of a month; all after the demo's last regional meeting
# (April 2026), which the agreements tests read.
OTHER_DAYS = ("2027-01-01", "2026-07-28")

os.environ.setdefault("CMI_HOY", SUITE_DAY)


def pytest_report_header() -> str:
    return f"CMI_HOY={os.environ['CMI_HOY']} (tests/clock.py)"


if __name__ == "__main__":  # `make test` reads the other days from here
    print(" ".join(OTHER_DAYS))

"""Deterministic demo warehouse calibrated to published IMSS national figures.

Run `python -m data.demo --db PATH [--force]`. One module per dataset family; `build`
orchestrates them and swaps the finished file into place.
"""

from data.demo.build import build, table_checksums

__all__ = ["build", "table_checksums"]

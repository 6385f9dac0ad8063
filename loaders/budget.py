"""A wall-clock budget per validation: a file that keeps the loader busy too long is refused.

Caps on size, rows, cells and columns (`loaders.guard`) stop the hostile files we know of before
they are read; the budget stops the ones we do not. While a load runs, a timer thread waits for
`SECONDS`; when they pass it interrupts the DuckDB cursors the load registered (`watch`), again
every `REPEAT` seconds until the load ends, since a cursor between two statements has nothing to
interrupt. The load's transaction rolls back, so nothing is written, and the refusal is Spanish.
"""

from __future__ import annotations

import contextlib
import threading
from types import TracebackType

import duckdb

from warehouse.errors import UserError

SECONDS = 300.0  # far above a legitimate file of any contract (the largest take a few seconds)
REPEAT = 0.2


class OverBudget(UserError, RuntimeError):
    """A load that passed its wall-clock budget; the message (Spanish) names the file."""


class Budget:
    """`with Budget(file) as budget: budget.watch(cur); …` — raises OverBudget when time runs out.

    Call `check()` before a transaction commits: a load that finished its statements after the
    budget ran out is refused as well, and its transaction rolls back.
    """

    def __init__(self, file: str, seconds: float | None = None) -> None:
        self.file = file
        self.seconds = SECONDS if seconds is None else seconds
        self.expired = threading.Event()
        self._done = threading.Event()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._thread = threading.Thread(target=self._run, name="cmi-budget", daemon=True)

    def watch(self, cur: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
        """Interrupt this cursor when the budget runs out (and refuse at once if it already has)."""
        self._cursors.append(cur)
        self.check()
        return cur

    def check(self) -> None:
        """Raise OverBudget if the time has run out (for steps between DuckDB statements)."""
        if self.expired.is_set():
            raise self.refusal()

    def refusal(self) -> OverBudget:
        return OverBudget(
            f"«{self.file}» tardó más de {self.seconds:,g} s en leerse y validarse; se detuvo y no se "
            "cargó nada. Divídalo en archivos más pequeños (o con menos columnas) y cárguelos por separado."
        )

    def _run(self) -> None:
        if self._done.wait(self.seconds):
            return
        self.expired.set()
        while not self._done.is_set():
            for cur in list(self._cursors):
                with contextlib.suppress(duckdb.Error):  # closed meanwhile
                    cur.interrupt()
            self._done.wait(REPEAT)

    def __enter__(self) -> Budget:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._done.set()
        self._thread.join()
        if self.expired.is_set() and isinstance(exc, duckdb.Error):  # interrupted: rolled back
            raise self.refusal() from None

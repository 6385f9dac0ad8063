"""Warehouses for tests in both modes: an embedded DuckDB file, or a DuckLake on a real PostgreSQL.

A test (or fixture) opts into both modes by taking the `warehouses` fixture (tests/conftest.py):
it runs once per mode, ids `[embebido]` and `[compartido]`. `warehouses.new()` gives a fresh,
empty warehouse, `warehouses.demo()` a private copy of the demo warehouse, `warehouses.select()`
points this process's settings at one and `warehouses.env()` gives a subprocess's settings.

Shared warehouses are copies of two template lakes (empty and demo) built once per session:
a PostgreSQL `createdb -T` of the catalog plus a copy of the Parquet folder, well under a second,
instead of running the migrations (seconds) for every test.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

import pytest

import warehouse
from warehouse import clock, local_postgres
from warehouse.connection import Location, is_shared

# The day the session's demo warehouse is built «as of» (its agreements depend on the date): a test
# that builds it again uses the same day, so a run that crosses midnight compares like with like.
SESSION_DAY = clock.today()  # CMI_HOY, fixed for the suite by tests/clock.py
EMBEDDED = "embebido"
SHARED = "compartido"
MODES = (EMBEDDED, SHARED)
# For page tests (AppTest) whose fixtures take `warehouses`: the pages ask the same engine, which
# already runs in both modes, so they run on the embedded warehouse only (keeps `make test` short).
embedded_only = pytest.mark.parametrize("warehouses", [EMBEDDED], indirect=True)
T = TypeVar("T")


class Lazy(Generic[T]):
    """Made on first call, then the same object (so a run that needs no PostgreSQL starts none)."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self.made: T | None = None

    def __call__(self) -> T:
        if self.made is None:
            self.made = self._make()
        return self.made


def warehouse_env(where: Location) -> dict[str, str]:
    """CMI_WAREHOUSE (shared) or CMI_DB (embedded) for a subprocess; the other one emptied."""
    if is_shared(where):
        return {"CMI_WAREHOUSE": str(where), "CMI_DB": ""}
    return {"CMI_DB": str(where), "CMI_WAREHOUSE": ""}


class PostgresForTests:
    """One PostgreSQL server for the whole session, in a temp folder owned by `postgres`."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="cmi-pg-"))
        self.server = local_postgres.start(self.folder)

    def stop(self) -> None:
        local_postgres.stop_server(self.server, throwaway=True)
        shutil.rmtree(self.folder, ignore_errors=True)


class Warehouses:
    """Makes warehouses of one mode for tests."""

    _numbers = itertools.count(1)

    def __init__(
        self,
        mode: str,
        folder: Path,
        postgres: Callable[[], PostgresForTests],
        demo_file: Callable[[], Path],
    ) -> None:
        self.mode = mode
        self.folder = folder
        self._postgres = postgres
        self._demo_file = demo_file
        self._templates: dict[str, tuple[str, Path]] = {}

    @property
    def shared(self) -> bool:
        return self.mode == SHARED

    def _name(self, name: str) -> str:
        return f"{name}_{next(self._numbers)}"

    def _template(self, kind: str) -> tuple[str, Path]:
        """(database, data folder) of the empty or demo template lake, built on first use."""
        if kind not in self._templates:
            server = self._postgres().server
            dbname = self._name(f"plantilla_{kind}")  # unique: a worker may set the mode up twice
            data = self.folder / f"{dbname}_datos"
            spec = server.create_database(dbname)
            os.environ["CMI_LAKE_DATA"] = str(data)
            try:
                warehouse.connect(spec)
                if kind == "demo":
                    from warehouse.transfer import copy_to_shared

                    copy_to_shared(self._demo_file(), spec, replace=True)
            finally:
                os.environ.pop("CMI_LAKE_DATA", None)
                warehouse.connection.close(spec)
            self._templates[kind] = (dbname, data)
        return self._templates[kind]

    def _clone(self, kind: str, name: str) -> Location:
        template, template_data = self._template(kind)
        dbname = self._name(name)
        return self._postgres().server.clone_lake(
            template, dbname, template_data, self.folder / f"{dbname}_datos"
        )

    def new(self, name: str = "cmi") -> Location:
        """A fresh warehouse: a DuckDB path not yet created, or an empty migrated lake."""
        if self.shared:
            return self._clone("vacio", name)
        return self.folder / f"{self._name(name)}.duckdb"

    def demo(self, name: str = "demo") -> Location:
        """A private, writable copy of the demo warehouse."""
        if self.shared:
            return self._clone("demo", name)
        path = self.folder / f"{self._name(name)}.duckdb"
        shutil.copy(self._demo_file(), path)
        return path

    def env(self, where: Location) -> dict[str, str]:
        """The settings that point a subprocess at this warehouse (merge into os.environ)."""
        return warehouse_env(where)

    def select(self, monkeypatch: pytest.MonkeyPatch, where: Location) -> None:
        """Point this process's settings (CMI_DB or CMI_WAREHOUSE) at the warehouse."""
        for key, value in self.env(where).items():
            if value:
                monkeypatch.setenv(key, value)
            else:
                monkeypatch.delenv(key, raising=False)

    def stored_bytes(self, where: Location) -> int:
        """Bytes on disk: the DuckDB file, or the lake's Parquet folder."""
        if not self.shared:
            return Path(where).stat().st_size
        dbname = str(where).split("dbname=")[1].split()[0]
        folder = self.folder / f"{dbname}_datos"
        return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())

"""Session fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from data.demo import build
from tests.agreements.test_smtp import smtp_server  # noqa: F401  (a real local SMTP server, for every package)
from tests.warehouses import MODES, SESSION_DAY, Lazy, PostgresForTests, Warehouses
from warehouse import close_all


@pytest.fixture(scope="session")
def _demo_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lazy[Path]]:
    def make() -> Path:
        path = tmp_path_factory.mktemp("demo") / "cmi.duckdb"
        build(path, force=True, today=SESSION_DAY)
        return path

    yield Lazy(make)
    close_all()


@pytest.fixture(scope="session")
def demo_db(_demo_file: Lazy[Path]) -> Path:
    """The demo warehouse, built once per session into a temporary directory (read it, copy it to write)."""
    return _demo_file()


@pytest.fixture(scope="session")
def _postgres() -> Iterator[Lazy[PostgresForTests]]:
    lazy = Lazy(PostgresForTests)
    yield lazy
    close_all()
    if lazy.made is not None:
        lazy.made.stop()


@pytest.fixture(scope="session")
def postgres_server(_postgres: Lazy[PostgresForTests]) -> PostgresForTests:
    """A real PostgreSQL (Debian's package) in a temp folder on a free port, stopped at the end."""
    return _postgres()


@pytest.fixture(scope="session", params=MODES)
def warehouses(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    _postgres: Lazy[PostgresForTests],
    _demo_file: Lazy[Path],
) -> Iterator[Warehouses]:
    """Warehouses of one mode; a test taking this fixture runs in both modes (tests/warehouses.py)."""
    yield Warehouses(
        request.param, tmp_path_factory.mktemp(f"almacenes_{request.param}"), _postgres, _demo_file
    )
    close_all()

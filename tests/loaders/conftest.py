"""A fresh, migrated warehouse per test, in both modes (CMI_DB or CMI_WAREHOUSE points at it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import warehouse
from loaders import load_file
from tests.loaders.helpers import HEADER, consultas_lines, write
from tests.warehouses import Warehouses
from warehouse.connection import Location

OOADS = ["01", "09", "35"]


@pytest.fixture
def db(warehouses: Warehouses, monkeypatch: pytest.MonkeyPatch) -> Iterator[Location]:
    path = warehouses.new("cmi")
    warehouses.select(monkeypatch, path)
    warehouse.connect(path)
    yield path
    warehouse.close_all()


@pytest.fixture
def seeded(db: Path, tmp_path: Path) -> Path:
    """The fresh warehouse plus consultas for 2024-01 and 2024-02 (one load)."""
    base = write(tmp_path / "consultas_base.csv", [HEADER, *consultas_lines(["2024-01", "2024-02"], OOADS)])
    result = load_file(base, db=db, accept_warnings=True)
    assert result.loaded, result.message
    return db

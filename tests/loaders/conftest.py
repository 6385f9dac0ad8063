"""A fresh, migrated DuckDB file per test (CMI_DB points at it), closed afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import warehouse
from loaders import load_file
from tests.loaders.helpers import HEADER, consultas_lines, write

OOADS = ["01", "09", "35"]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "cmi.duckdb"
    monkeypatch.setenv("CMI_DB", str(path))
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

"""A fresh warehouse file per test, with cheap bcrypt rounds (the cost factor is not under test)."""

from __future__ import annotations

from pathlib import Path

import pytest

import warehouse
from access import users


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "auth.duckdb"
    monkeypatch.setenv("CMI_DB", str(path))
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)
    warehouse.connect(path)
    yield path
    warehouse.close_all()

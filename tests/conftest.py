"""Session fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from data.demo import build
from tests.agreements.test_smtp import smtp_server  # noqa: F401  (a real local SMTP server, for every package)
from warehouse import close_all


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo warehouse, built once per session into a temporary directory (read it, copy it to write)."""
    path = tmp_path_factory.mktemp("demo") / "cmi.duckdb"
    build(path, force=True)
    yield path
    close_all()

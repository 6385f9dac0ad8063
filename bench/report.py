"""docs/benchmarks.md: each benchmark owns one `## ` section and replaces only its own."""

from __future__ import annotations

import platform
import re
from datetime import datetime
from pathlib import Path

import duckdb

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = (
    "# Benchmarks\n\nTimed runs, not tests: each section is rewritten by the command it names.\n"
    "Run them all with `make bench`.\n"
)


def machine() -> str:
    """One line saying where the figures were measured."""
    import os

    return (
        f"{os.cpu_count()} núcleos, Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
        f"{datetime.now():%Y-%m-%d %H:%M}"
    )


def write_section(title: str, body: str, doc: Path = DOC) -> None:
    """Replace (or append) the section `## title` of docs/benchmarks.md with body."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else HEADER
    section = f"## {title}\n\n{body.strip()}\n\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text.rstrip() + "\n", encoding="utf-8")

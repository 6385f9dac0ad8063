"""One place reads the environment (warehouse/settings.py) and the README documents every setting."""

from __future__ import annotations

import re
from pathlib import Path

from warehouse.settings import DATA_DIR, VARIABLES, Settings, settings

ROOT = Path(__file__).resolve().parents[1]
CODE = [
    p for p in ROOT.rglob("*.py") if p.relative_to(ROOT).parts[0] not in {".venv", "tests", "wip", "bench"}
]


def _readme_table() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuración", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `CMI_")]
    return {name for row in rows for name in re.findall(r"`(CMI_[A-Z_]+)`", row.split("|")[1])}


def test_the_readme_table_and_the_settings_name_the_same_variables() -> None:
    assert _readme_table() == set(VARIABLES)


def test_every_variable_named_in_the_code_is_a_setting() -> None:
    named = {m for p in CODE for m in re.findall(r"\bCMI_[A-Z_]+\b", p.read_text(encoding="utf-8"))}
    assert named <= set(VARIABLES)
    assert set(VARIABLES.values()) == {f for f in Settings.__dataclass_fields__}


def test_only_the_settings_module_reads_the_environment() -> None:
    readers = {
        str(p.relative_to(ROOT))
        for p in CODE
        if re.search(r"os\.environ|os\.getenv", p.read_text(encoding="utf-8"))
    }
    assert readers == {"warehouse/settings.py"}


def test_defaults_and_values() -> None:
    default = settings({})
    assert default.db == DATA_DIR / "cmi.duckdb"
    assert (default.session_minutes, default.session_hours, default.smtp_port) == (30.0, 12.0, 25)
    assert not default.smtp_configured and default.base_url == "http://localhost:8501"
    given = settings({"CMI_DB": "/x/a.duckdb", "CMI_SMTP_HOST": "mail", "CMI_BASE_URL": "https://cmi.imss/"})
    assert given.db == Path("/x/a.duckdb") and given.smtp_configured
    assert given.base_url == "https://cmi.imss"

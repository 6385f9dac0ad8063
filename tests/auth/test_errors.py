"""Every page's failure path: a Spanish notice with an incident number, the traceback only in the log."""

from __future__ import annotations

import logging
import re

import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from ui.registry import ROOT, SCREENS
from ui.session import ROLES, User

ENTRY = ROOT / "tests" / "auth" / "entry.py"
EVERY_ROLE = User("todo", "Todas las funciones", frozenset(ROLES), cve_direccion="DPM")


@pytest.fixture
def broken_warehouse(tmp_path, monkeypatch):
    """A warehouse file that is not a DuckDB database: every read fails for real."""
    path = tmp_path / "cmi.duckdb"
    path.write_bytes(b"esto no es una base de datos DuckDB\n" * 200)
    monkeypatch.setenv("CMI_DB", str(path))
    yield path
    warehouse.close_all()


def _everything(at: AppTest) -> str:
    kinds = ("markdown", "error", "warning", "info", "success", "caption", "exception", "code")
    return "\n".join(
        str(getattr(e, "value", "") or getattr(e, "message", "")) for k in kinds for e in getattr(at, k)
    )


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.url_path)
def test_a_failing_page_shows_an_incident_number_and_no_traceback(broken_warehouse, caplog, screen):
    caplog.set_level(logging.ERROR, logger="cmi.incidentes")
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.session_state["user"] = EVERY_ROLE
    at.switch_page(f"../../{screen.path}").run()
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "Ocurrió un error inesperado" in errors[0], errors
    folio = re.search(r"folio \*\*([0-9A-F]{8})\*\*", errors[0]).group(1)
    shown = _everything(at)
    for leak in ("Traceback", 'File "', "duckdb", str(broken_warehouse), "Error:"):
        assert leak not in shown
    assert f"incidente {folio}" in caplog.text and "Traceback" in caplog.text

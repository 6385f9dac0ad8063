"""«Seguir este indicador» is open to every role that sees the KPI: an executive (no directorate)
follows one, and its alerts land in their own inbox, read in «Mis pendientes»."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from indicators import alerts
from ui.session import User
from warehouse import query_rows

ROOT = Path(__file__).resolve().parents[2]
EXECUTIVE = User("ejecutivo", "Ejecutivo (demo)", frozenset({"ejecutivo"}))


@pytest.fixture
def db(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "cmi.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("CMI_DB", str(path))
    yield path
    warehouse.close_all()


def _run(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=180)
    at.session_state["user"] = EXECUTIVE
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_executive_follows_a_kpi_and_reads_its_alert_in_mis_pendientes(db: Path):
    at = _run("pages/servicios_medicos.py")
    toggle = next(t for t in at.toggle if t.label.startswith("Seguir este indicador"))
    toggle.set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    follows = query_rows("SELECT usuario, bandeja, kpi FROM seguimiento_kpi", path=db)
    assert [(u, b) for u, b, _ in follows] == [("ejecutivo", "usuario:ejecutivo")]
    kpi = follows[0][2]
    assert alerts.is_following("ejecutivo", kpi, "nacional", db)
    # an alert of that KPI reaches the executive's own inbox
    if not alerts.alert_now_if_off("ejecutivo", "usuario:ejecutivo", kpi, "nacional", "2019-12", db):
        _leave_alert(db)
    inbox = _run("pages/mis_pendientes.py")
    text = " ".join(c.value for c in inbox.caption) + " ".join(m.value for m in inbox.markdown)
    assert "1 notificación sin leer." in text and "Alerta" in text
    assert not inbox.metric  # no agreement figures for someone without agreements


def _leave_alert(db: Path) -> None:
    """The KPI was not off target: leave the alert the evaluation would leave."""
    from access.inbox import Notice, write_inbox

    with warehouse.transaction(db) as cur:
        notice = Notice("Consultas", alerts.EVENT, "Alerta: «Consultas» pasó a «Fuera de meta».", "sistema",
                        ("usuario:ejecutivo",))  # fmt: skip
        write_inbox(cur, notice, datetime(2026, 6, 30, 9, 0))

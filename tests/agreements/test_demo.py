"""On the demo warehouse: the DPM page shows the engine's figures and only DPM's agreements."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from agreements import board as ag
from indicators import engine
from tests.agreements.conftest import DPM
from ui.format import fmt_number, fmt_pct

pytestmark = pytest.mark.calendario  # reads the demo's dates: `make test` runs it on other days too

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CMI_DB", str(demo_db))
    yield demo_db
    warehouse.close_all()


def test_dpm_page_on_demo(demo):
    at = AppTest.from_file(str(ROOT / "pages/acuerdos.py"), default_timeout=120)
    at.session_state["user"] = DPM
    at.run()
    assert not at.exception
    # the page opens on the latest month with data (noviembre 2026), read at its cut (its last day)
    at_cut = ag.cut(f"{engine.latest_period():%Y-%m}")
    k = ag.kpis(direccion="DPM", **at_cut.span)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Registrados · acumulado"] == fmt_number(k.registrados)
    assert shown["Cumplimiento · acumulado"] == fmt_pct(k.cumplimiento)
    assert 0 < k.registrados < ag.kpis(**at_cut.span).registrados
    folios = at.selectbox(key="acuerdos_folio").options
    outside = warehouse.query_rows(
        "SELECT folio FROM acuerdos WHERE list_contains(?, folio) AND cve_direccion <> 'DPM' "
        "AND folio NOT IN (SELECT folio FROM acuerdos_corresponsables WHERE cve_direccion = 'DPM')",
        [folios],
    )
    assert outside == []
    coresp = warehouse.query_rows(
        "SELECT count(*) FROM acuerdos_corresponsables c JOIN acuerdos a USING (folio) "
        "WHERE c.cve_direccion = 'DPM' AND a.cve_direccion <> 'DPM' AND a.fecha_registro <= ?",
        [at_cut.corte],
    )[0][0]
    responsible = warehouse.query_rows(
        "SELECT count(*) FROM acuerdos WHERE cve_direccion = 'DPM' AND fecha_registro <= ?", [at_cut.corte]
    )[0][0]
    assert k.registrados == responsible + coresp > responsible  # co-responsible ones are included

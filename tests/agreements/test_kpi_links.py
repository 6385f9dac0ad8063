"""Agreements that aim at a KPI: registered with the KPI and a target, listed on its ficha."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agreements import actions as act
from agreements import board as ag
from tests.agreements.conftest import DG, DPM, PLANNER
from warehouse import clock

pytestmark = pytest.mark.calendario  # deadlines and the period in course follow the clock

ROOT = Path(__file__).resolve().parents[2]


def _aimed(**kw) -> act.NewAgreement:
    base = dict(
        cve_reunion="R1",
        cve_mesa="M1",
        descripcion="Alcanzar una ocupación hospitalaria de 88 % en el HGZ/MF No. 18",
        cve_direccion="DPM",
        fecha_compromiso=clock.today() + timedelta(days=180),  # open, not yet due, on any day
        fecha_registro=clock.today() - timedelta(days=30),
        cve_ooad="09",
        cve_kpi="ocupacion_hospitalaria",
        meta_kpi=88.0,
    )
    return act.NewAgreement(**{**base, **kw})


def test_registration_keeps_kpi_and_target_and_refuses_unknown_kpis(board_db):
    out = act.register(_aimed(), PLANNER, board_db)
    row = ag.agreement(out.folio, board_db)
    assert (row["cve_kpi"], row["meta_kpi"], row["cve_ooad"]) == ("ocupacion_hospitalaria", 88.0, "09")
    with pytest.raises(act.AgreementValidationError, match="indicador desconocido «no_existe»"):
        act.register(_aimed(cve_kpi="no_existe"), PLANNER, board_db)
    with pytest.raises(act.AgreementValidationError, match="indique el indicador"):
        act.register(_aimed(cve_kpi=None), PLANNER, board_db)
    listed = ag.kpi_agreements("ocupacion_hospitalaria", board_db)
    assert listed["folio"].tolist() == [out.folio]
    assert ag.kpi_agreements("ocupacion_hospitalaria", board_db, direccion="DA").empty  # scope applies
    assert ag.kpi_agreements("ocupacion_hospitalaria", board_db, ambito="region:Norte").empty


def test_ficha_lists_the_agreements_aiming_at_the_kpi(board_db):
    out = act.register(_aimed(), PLANNER, board_db)
    at = AppTest.from_file(str(ROOT / "pages/catalogo.py"), default_timeout=60)
    at.session_state["user"] = DG
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    tables = [df.value for df in at.dataframe if "Meta del acuerdo" in df.value.columns]
    assert len(tables) == 1  # only the ocupación hospitalaria ficha has one
    assert tables[0][["Folio", "Estado", "Meta del acuerdo"]].values.tolist() == [
        [out.folio, "Registrado", "88.0"]
    ]
    assert "1 acuerdo apunta a este indicador." in [c.value for c in at.caption]
    other = AppTest.from_file(str(ROOT / "pages/catalogo.py"), default_timeout=60)
    other.session_state["user"] = DPM
    other.run()
    assert len([df for df in other.dataframe if "Meta del acuerdo" in df.value.columns]) == 1  # DPM's own

"""Scope cannot be widened from the page: defaults, URL values and filters follow the user.

The reproduction: an executive with region:Centro opening /?ooad=Coahuila saw Coahuila (Norte);
by default a region:Centro user saw national cards and an ooad:23 user Centro's total.
"""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from indicators import engine
from indicators.catalog import get
from indicators.periods import add_months
from tests.cards import shown as shown_cards
from tests.cards import value_shown
from ui.session import User

ROOT = Path(__file__).resolve().parents[2]
ROLES = ("direccion_general", "ejecutivo", "director_normativo", "planeacion", "analista", "administrador")
SCOPES = ("region:Centro", "ooad:23")
KPI = get("consultas_medicina_familiar")


@pytest.fixture
def db(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CMI_DB", str(demo_db))
    yield demo_db
    warehouse.close_all()


def _user(rol: str, ambito: str) -> User:
    return User("u", "Usuaria", frozenset({rol}), "DPM" if rol == "director_normativo" else None, ambito)


def run(page: str, user: User, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.session_state["user"] = user
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def card(at: AppTest, kpi=KPI) -> str:
    return shown_cards(at)[kpi.nombre]


@pytest.mark.parametrize("rol", ROLES)
@pytest.mark.parametrize("ambito", SCOPES)
def test_the_default_view_is_the_users_scope(db, rol, ambito):
    latest = f"{engine.latest_period():%Y-%m}"
    own = engine.value(KPI.id, latest, ambito)
    assert own.valor != engine.value(KPI.id, latest, "nacional").valor
    at = run("pages/resumen.py", _user(rol, ambito))
    assert card(at) == value_shown(KPI, own)
    region = at.sidebar.selectbox(key="region")
    assert region.options == ["Centro"] and region.value == "Centro"
    ooad = at.sidebar.selectbox(key="ooad")
    if ambito == "ooad:23":
        assert ooad.options == ["Puebla"] and ooad.value == "Puebla"
    else:
        assert "Coahuila" not in ooad.options and "Puebla" in ooad.options and ooad.value is None


@pytest.mark.parametrize("rol", ROLES)
def test_a_link_outside_the_scope_is_refused_and_falls_back_to_the_scope(db, rol):
    latest = f"{engine.latest_period():%Y-%m}"
    at = run("pages/resumen.py", _user(rol, "region:Centro"), ooad="Coahuila")
    assert card(at) == value_shown(KPI, engine.value(KPI.id, latest, "region:Centro"))
    assert card(at) != value_shown(KPI, engine.value(KPI.id, latest, "ooad:05"))
    assert any("«Coahuila»" in w.value and "fuera de su ámbito" in w.value for w in at.warning)
    at = run("pages/resumen.py", _user(rol, "ooad:23"), region="Norte", ooad="Coahuila")
    assert card(at) == value_shown(KPI, engine.value(KPI.id, latest, "ooad:23"))
    assert sum("fuera de su ámbito" in w.value for w in at.warning) == 2


def _trend_points(at: AppTest) -> list[float]:
    """The y values of the trend's «Valor» trace (Plotly sends arrays as base64 typed arrays)."""
    traces = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    y = next(t for t in traces if t.get("name") == "Valor")["y"]
    if isinstance(y, dict):
        y = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
    return [v for v in y if v is not None and v == v]


@pytest.mark.parametrize("ambito", SCOPES)
def test_a_scoped_analysts_trend_holds_the_scoped_series(db, ambito):
    """The trend chart and its CSV are built from one series: it must be the scope's, not the nation's."""
    at = run("pages/servicios_medicos.py", _user("analista", ambito))
    end = engine.latest_period()
    own = engine.series(KPI.id, add_months(end, -23), end, ambito)["valor"].tolist()
    national = engine.series(KPI.id, add_months(end, -23), end, "nacional")["valor"].tolist()
    assert _trend_points(at) == pytest.approx(own)
    assert _trend_points(at) != pytest.approx(national)
    assert isinstance(end, date)

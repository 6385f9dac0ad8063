"""The cards of a rubric page as Streamlit sends them (AppTest, demo warehouse), read from their HTML:
the chip takes the status's colour under «Año anterior», a status hanging on an unprinted digit
shows the digit, and an annual survey says «Encuesta AAAA» and is drawn yearly (issue 26)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import warehouse
from indicators import engine
from indicators.catalog import by_rubric, get
from indicators.periods import MONTHS_ES
from indicators.status import ON_TARGET, STATUS_TONE
from tests.cards import cards
from tests.ui.test_pages import run_page
from ui.format import fmt_value_meta

pytestmark = pytest.mark.calendario  # reads the demo's last month: `make test` runs it on other days too

SURVEY = get("satisfaccion_atencion_medica")


@pytest.fixture
def db(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CMI_DB", str(demo_db))
    yield demo_db
    warehouse.close_all()


def test_against_the_year_before_every_chip_takes_its_status_colour_and_annual_kpis_name_their_survey(db):
    at = run_page(
        "pages/servicios_medicos.py", comparacion="Año anterior", kpi_servicios_medicos=SURVEY.nombre
    )
    latest = engine.latest_period()
    shown = {c["label"]: c for c in cards(at)}
    assert set(shown) == {k.nombre for k in by_rubric("servicios_medicos")}
    for kpi in by_rubric("servicios_medicos"):
        card, v = shown[kpi.nombre], engine.value(kpi.id, f"{latest:%Y-%m}", "nacional")
        assert card["status_tone"] == STATUS_TONE[v.estado], kpi.id
        if card["chip_tone"]:  # the chip says the year before's change in the status's colour
            assert card["chip_tone"] == card["status_tone"], (kpi.id, card["text"])
            assert " · mejor" in card["text"] or " · peor" in card["text"] or " · igual" in card["text"]
        value, meta = fmt_value_meta(kpi, v.valor, v.meta)
        assert card["value"] == value and f"Meta: {meta}" in card["text"], kpi.id
        if (
            v.estado != ON_TARGET
        ):  # a status other than «En meta» never sits beside a value printed as its meta
            assert value != meta, (kpi.id, value, meta)
    survey = engine.value(SURVEY.id, f"{latest:%Y-%m}", "nacional")
    year = int(survey.desde[:4])
    text = shown[SURVEY.nombre]["text"]
    assert f"Datos: Encuesta {year}" in text and f"Encuesta {year} vs Encuesta {year - 1} ·" in text
    month = MONTHS_ES[latest.month - 1]
    assert month not in text and f"{month[:3]} {latest.year}" not in text  # never relabelled monthly
    trend = json.loads(at.get("plotly_chart")[0].proto.spec)
    title = " ".join(trend["layout"]["title"]["text"].replace("<br>", " ").split())
    assert "tendencia anual" in title and "mensual" not in title
    [values] = [t for t in trend["data"] if t.get("name") == "Valor"]
    assert values["x"][-1] == str(year) and all(len(x) == 4 for x in values["x"])  # one point a survey
    assert any("encuestas:" in c.value for c in at.caption), [c.value for c in at.caption]

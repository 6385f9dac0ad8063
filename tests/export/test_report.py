"""The executive report is one self-contained HTML file with the scorecard of every KPI."""

from __future__ import annotations

import re

from indicators.catalog import CATALOG
from ui.report import build_report_html, scorecard_rows


def test_report_has_no_external_requests(tiny_db):
    page = build_report_html("2024-02", "nacional", db=tiny_db)
    assert not re.search(r"<script[^>]+src=", page, flags=re.I)
    assert not re.search(r"<link[^>]+href=", page, flags=re.I)
    outside_scripts = re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.S | re.I)
    assert not re.search(r"https?://", outside_scripts)
    assert "Plotly.newPlot" in page  # charts are embedded …
    assert page.count("plotly.js v") >= 1  # … with plotly.js inlined
    assert "@media print" in page


def test_scorecard_lists_every_kpi_with_hand_values(tiny_db):
    rows = {r["id"]: r for r in scorecard_rows("2024-02", "nacional", tiny_db)}
    assert set(rows) == {k.id for k in CATALOG}
    # consultas MF in 2024-02: 130 + 230 + 1300 = 1,660 against a meta of 1,700
    assert rows["consultas_medicina_familiar"]["valor"] == "1,660"
    assert rows["consultas_medicina_familiar"]["cumplimiento"] == "97.6 %"
    assert rows["consultas_medicina_familiar"]["estado"] == "En riesgo"
    # oportunidad quirúrgica 2024-02: (8 + 30 + 95) / (10 + 40 + 100) = 88.7 % vs meta 90
    assert rows["oportunidad_quirurgica"]["valor"] == "88.7 %"
    page = build_report_html("2024-02", "nacional", db=tiny_db)
    assert "Consultas de medicina familiar" in page and "88.7 %" in page and "Resumen" in page


def test_report_for_a_region_uses_its_values(tiny_db):
    rows = {r["id"]: r for r in scorecard_rows("2024-02", "region:Centro", tiny_db)}
    assert rows["oportunidad_quirurgica"]["valor"] == "95.0 %"

"""The executive report is one self-contained HTML file with the scorecard of every KPI."""

from __future__ import annotations

import re
from html import escape

from indicators import engine
from indicators.catalog import CATALOG
from ui.report import build_report_html, scorecard_rows, status_counts


def test_report_has_no_external_requests(tiny_db):
    page = build_report_html("2024-02", "nacional", db=tiny_db)
    assert not re.search(r"<script[^>]+src=", page, flags=re.I)
    assert not re.search(r"<link[^>]+href=", page, flags=re.I)
    outside_scripts = re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.S | re.I)
    assert not re.search(r"https?://", outside_scripts)
    assert "<script" not in page  # charts are static SVG images, not plotly.js (4.6 MB)
    assert page.count("<svg") >= 1
    assert "@media print" in page


def test_national_report_is_a_light_document_listing_each_indicator_once(demo_db):
    periodo = f"{engine.latest_period(demo_db):%Y-%m}"
    page = build_report_html(periodo, "nacional", db=demo_db)
    assert len(page.encode("utf-8")) < 1_500_000  # 4.9 MB with plotly.js inlined
    rows = scorecard_rows(periodo, "nacional", demo_db)
    assert len(rows) == len(CATALOG)
    for r in rows:  # once, in its rubric's table; the Resumen counts statuses by rubric
        assert page.count(f"<td>{escape(r['nombre'])}</td>") == 1, r["nombre"]
    # the Resumen's counts add up to the catalog, rubric by rubric
    summary = status_counts(rows)
    assert sum(int(r["total"]) for r in summary) == len(CATALOG)
    # Y ticks in es-MX with their unit (no «00» cut out of «8,000,000»): e.g. «8.0 M» for a count in millions
    ticks = re.findall(r'text-anchor="end" fill="#555">([^<]+)</text>', page)
    assert ticks and all(re.fullmatch(r"[-+]?\$?[\d,]+(\.\d+)?( M| %| MDP)?", t) for t in ticks), ticks
    assert any(t.endswith(" M") for t in ticks)
    # the year-end column is the card's own line
    consultas = next(r for r in rows if r["id"] == "consultas_medicina_familiar")
    assert consultas["cierre"].startswith(("Proyección: ", "Proyección no confiable: ", "—"))


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

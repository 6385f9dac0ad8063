"""The strategy map reads as a tree: the header names the period, each objective lists its indicators
left-aligned on one line each, and its projects' table fits the page (1,440 px and a 390 px phone)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from indicators import engine
from tests.browser.test_dashboard import no_exception, open_page, settle, sign_in
from tests.fixtures_app import screenshot
from ui.format import fmt_month

pytestmark = pytest.mark.browser


def test_the_strategy_map_names_its_period_and_lays_out_indicators_and_projects(
    app_server, browser_page, demo_db
):
    page = browser_page
    page.set_default_timeout(120_000)
    sign_in(page, app_server)
    open_page(page, "Mapa estratégico")
    main = page.locator("[data-testid=stMain]")
    period = fmt_month(engine.latest_period(demo_db))
    expect(page.get_by_role("heading", name=f"Mapa estratégico · {period}", level=1)).to_be_visible()
    summary = main.get_by_text(re.compile(r"^\d+ objetivos?: .* · \d+ proyectos? estratégicos?$"))
    expect(summary).to_be_visible()
    assert ": 0" not in summary.inner_text() and " 0 " not in summary.inner_text()
    row = page.get_by_role("button", name=re.compile(r"^Consultas de medicina familiar · .* · peso \d+"))
    box = row.bounding_box()
    objective = main.locator("[class*='st-key-objetivo_']").filter(has=row).first.bounding_box()
    label = row.locator("p").first.bounding_box()
    assert box is not None and objective is not None and label is not None
    assert label["x"] - objective["x"] < 80, (label, objective)  # starts at the left, not centred
    assert label["height"] < 40, label  # one line at 1,440 px: no «peso / 7»
    screenshot(page, "mapa_estrategico_1440")
    # the projects are a list that wraps inside its objective: nothing cut, at any width
    main.get_by_text(re.compile(r"^Proyectos estratégicos \(\d+\)$")).first.click()
    first = main.locator("[class*='st-key-objetivo_']").first
    item = first.locator("li").first
    item.wait_for()
    settle(page)
    for box in (item.bounding_box(), first.bounding_box()):
        assert box is not None
    assert (
        item.bounding_box()["x"] + item.bounding_box()["width"]
        <= first.bounding_box()["x"] + first.bounding_box()["width"]
    )
    screenshot(page, "mapa_estrategico_proyectos_1440")
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    label = row.locator("p").first.bounding_box()
    objective = main.locator("[class*='st-key-objetivo_']").filter(has=row).first.bounding_box()
    assert label is not None and objective is not None
    assert label["x"] - objective["x"] < 80
    item_box, box = item.bounding_box(), first.bounding_box()
    assert item_box is not None and box is not None
    assert item_box["x"] + item_box["width"] <= box["x"] + box["width"]
    no_exception(page)
    screenshot(page, "mapa_estrategico_390")

"""In a real browser: a scoped user cannot widen the scope from the URL, user text is
text (no image is fetched, no link rendered), the data grid has no «Download as CSV», and a scoped
analyst's trend CSV holds the scoped series.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
from playwright.sync_api import expect

import warehouse
from access import users
from indicators import engine
from indicators.catalog import get
from indicators.periods import add_months
from tests.browser.test_dashboard import open_page, settle
from tests.cards import value_shown
from tests.fixtures_app import screenshot, streamlit_server, submit_sign_in

pytestmark = pytest.mark.browser

HOST = "198.51.100.7"  # TEST-NET-2: nothing answers there, but the browser would still ask
PAYLOAD = f"![x](http://{HOST}/p.png) [vuelva a entrar aquí](http://{HOST}/phish)"
PASSWORD = "clave-de-prueba-12"
KPI = get("consultas_medicina_familiar")


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("alcance")
    db = folder / "cmi.duckdb"
    shutil.copy(demo_db, db)
    users.add_user("centro", PAYLOAD, PASSWORD, ["ejecutivo"], ambito="region:Centro", path=db)
    users.add_user("puebla", "Analista Puebla", PASSWORD, ["analista"], ambito="ooad:23", path=db)
    warehouse.close_all()
    with streamlit_server(db, folder / "streamlit.log") as (url, _):
        yield url, db


def _sign_in(page, url: str, usuario: str, query: str = "") -> list[str]:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url + "/" + query)
    page.get_by_label("Usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(PASSWORD)
    submit_sign_in(page)
    settle(page)
    return requests


def _card(page, kpi=KPI) -> str:
    card = page.locator(".cmi-card").filter(has_text=kpi.nombre).first
    return card.locator(".cmi-card-value").inner_text().strip()


def _no_injected_markup(page, requests: list[str]) -> None:
    assert page.locator(f"img[src*='{HOST}']").count() == 0
    assert page.locator(f"a[href*='{HOST}']").count() == 0
    assert not [r for r in requests if urlparse(r).hostname == HOST]


def test_a_region_user_cannot_open_another_regions_ooad_and_its_name_is_text(server, browser_page, demo_db):
    url, _ = server
    page = browser_page
    requests = _sign_in(page, url, "centro", "?ooad=Coahuila")
    page.get_by_text("fuera de su ámbito").first.wait_for()
    latest = f"{engine.latest_period(demo_db):%Y-%m}"
    assert _card(page) == value_shown(KPI, engine.value(KPI.id, latest, "region:Centro", demo_db))
    assert _card(page) != value_shown(KPI, engine.value(KPI.id, latest, "ooad:05", demo_db))
    sidebar = page.locator("[data-testid='stSidebar']")
    # the user's name, shown as the characters it is (word joiners keep URLs from being linked)
    assert PAYLOAD in sidebar.inner_text().replace("\u2060", "")
    _no_injected_markup(page, requests)
    # the data grid's toolbar offers no download of its own (one export door)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.hover()
    expect(page.locator("[data-testid='stElementToolbar']").first).to_be_visible(timeout=10_000)
    assert page.get_by_role("button", name="Download as CSV").count() == 0
    assert page.locator("[data-testid='stElementToolbar'] button[aria-label*='ownload']").count() == 0
    screenshot(page, "alcance_region_centro")


def test_a_url_value_is_echoed_as_text_and_an_ooad_analysts_trend_csv_is_its_own(
    server, browser_page, demo_db
):
    url, _ = server
    page = browser_page
    requests = _sign_in(page, url, "puebla", "?region=" + PAYLOAD.replace(" ", "%20"))
    notice = page.get_by_text("no es válido").first
    notice.wait_for()
    assert PAYLOAD in notice.inner_text().replace("\u2060", "")
    _no_injected_markup(page, requests)
    open_page(page, "Servicios médicos")
    button = page.get_by_role("button", name="Descargar CSV").first
    button.wait_for()
    settle(page)
    with page.expect_download(timeout=90_000) as info:  # the file is built on click (a rerun)
        button.click()
    frame = pd.read_csv(io.BytesIO(Path(info.value.path()).read_bytes()), encoding="utf-8-sig")
    end = engine.latest_period(demo_db)
    assert isinstance(end, date)
    own = engine.series(KPI.id, add_months(end, -23), end, "ooad:23", demo_db)
    assert frame["Valor"].tolist() == pytest.approx(own["valor"].tolist())
    screenshot(page, "alcance_ooad_puebla")

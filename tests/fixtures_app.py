"""Fixtures for whole-app tests: a real Streamlit server on the demo warehouse, and Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.warehouses import warehouse_env

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

VIEWPORT: ViewportSize = {"width": 1440, "height": 1000}

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit terminó con código {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"streamlit no respondió en {timeout} s")


def stop(process: subprocess.Popen) -> None:
    """End a server process (idempotent): releases its DuckDB file and flushes its log."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def streamlit_server(
    db: Path | str,
    log_path: Path,
    env: dict[str, str] | None = None,
    debug: bool = False,
    script: str = "app.py",
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run <script>` (app.py, as `make run`) on a free loopback port over db (a DuckDB
    file or a lake); yields (URL, process)."""
    port = free_port()
    full_env = {**os.environ, **warehouse_env(db), "PYTHONUNBUFFERED": "1", **(env or {})}
    args = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    args += ["--server.headless", "true", "--server.address", "127.0.0.1"]
    args += ["--logger.level", "debug"] if debug else []
    with log_path.open("w") as log:
        process = subprocess.Popen(args, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url, process)
            yield url, process
        finally:
            stop(process)


@contextmanager
def proxy_server(upstreams: list[str], folder: Path) -> Iterator[str]:
    """nginx (deploy/proxy.sh, as this user) on a free loopback port in front of the servers at
    `upstreams` (their URLs); yields the proxy's URL. Its files (access.log: which process served
    each request) stay in folder."""
    port = free_port()
    hosts = [u.removeprefix("http://") for u in upstreams]
    args = ["bash", str(ROOT / "deploy" / "proxy.sh"), f"127.0.0.1:{port}", *hosts]
    with (folder / "proxy.log").open("w") as log:
        process = subprocess.Popen(
            args, cwd=ROOT, env={**os.environ, "PREFIX": str(folder)}, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url, process)
            yield url
        finally:
            stop(process)


@pytest.fixture(scope="session")
def app_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a copy of the demo warehouse; yields the base URL."""
    db = tmp_path_factory.mktemp("servidor") / "cmi.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_server(db, tmp_path_factory.mktemp("logs") / "streamlit.log") as (url, _):
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless system Chromium driven by Playwright (no browser download)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Falta /usr/bin/chromium en CI (.ci/run debe instalarlo)")
        pytest.fail("Chromium no está instalado: apt-get install chromium (lo hace .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def browser_page(browser: Browser) -> Iterator[Page]:
    """A fresh page (own cookies) 1440 px wide, for one test."""
    context = browser.new_context(viewport=VIEWPORT, locale="es-MX", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def submit_sign_in(page: Page) -> None:
    """Press «Entrar» and wait until the browser holds the session cookie: the page trades a one-time
    token for it with a request of its own (ui/web.py) after the signed-in screen is drawn, so a
    `goto` right after «Cerrar sesión» appears could otherwise land signed out."""
    from ui.web import SESSION_URL

    with page.expect_response(lambda r: SESSION_URL in r.url) as exchange:
        page.get_by_role("button", name="Entrar").click()
    exchange.value.finished()
    page.get_by_role("button", name="Cerrar sesión").wait_for()


def settle(page: Page, timeout: int = 90_000) -> None:
    """Wait until Streamlit has finished the script run, no stale element lingers and every chart has drawn."""
    from playwright.sync_api import expect

    app = page.locator("[data-testid='stApp']")
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".every(c => c.querySelector('.main-svg')) && !document.querySelector('[data-stale=\"true\"]')",
        timeout=timeout,
    )
    next_frame(page)


def next_frame(page: Page) -> None:
    """Let the browser paint what the last change laid out (two animation frames, no fixed delay)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot under tests/artifacts/ (ignored by git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # Streamlit scrolls inside its main block, so grow the viewport to the content's height.
    size = page.viewport_size or VIEWPORT
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12_000)})
    settle(page)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path

"""A real browser signs in with a demo account, sees its pages, signs out; no clear password in logs."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import warehouse
from access import users
from tests.fixtures_app import screenshot, stop, streamlit_server
from tests.indicators import tiny_warehouse
from ui.registry import allowed
from ui.session import User

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path, subprocess.Popen]]:
    """`streamlit run app.py` on a tiny warehouse marked as demo, with the demo accounts."""
    folder = tmp_path_factory.mktemp("auth_server")
    db = tiny_warehouse.build(folder / "cmi.duckdb")
    with warehouse.transaction(db) as cur:
        cur.execute("DELETE FROM ajustes WHERE clave = 'datos_demo'")
        cur.execute("INSERT INTO ajustes (clave, valor) VALUES ('datos_demo', 'si')")
        cur.execute("UPDATE cargas SET usuario = 'demo'")  # the demo generator's loads, not real data
    users.create_demo_users(db)
    warehouse.close_all()  # the server process must own the file
    with streamlit_server(db, folder / "streamlit.log", debug=True) as (url, process):
        yield url, db, folder / "streamlit.log", process


def test_demo_user_signs_in_sees_its_pages_and_signs_out(server, browser_page):
    url, db, log_path, process = server
    page = browser_page
    page.goto(url)
    page.get_by_text("Cuentas de demostración").wait_for()
    page.get_by_label("Usuario").fill("planeacion")
    page.get_by_label("Contraseña").fill("demo-planeacion")
    page.get_by_role("button", name="Entrar").click()
    page.get_by_role("button", name="Cerrar sesión").wait_for()
    nav = page.locator('[data-testid="stSidebarNav"] a')
    nav.first.wait_for()
    titles = {t.strip().splitlines()[-1] for t in nav.all_inner_texts()}  # after the icon name
    expected = {s.title for s in allowed(User("planeacion", "P", frozenset({"planeacion"})))}
    screenshot(page, "auth_planeacion")
    assert titles == expected
    assert "Usuarios y roles" not in titles and "Bitácora" not in titles
    page.get_by_role("button", name="Cerrar sesión").click()
    page.get_by_role("button", name="Entrar").wait_for()
    assert page.locator('[data-testid="stSidebarNav"] a').count() == 0

    page.get_by_label("Usuario").fill("analista")
    page.get_by_label("Contraseña").fill("no-es-la-clave")
    page.get_by_role("button", name="Entrar").click()
    page.get_by_text("Usuario o contraseña incorrectos.").wait_for()

    stop(process)  # releases the DuckDB file and flushes the log
    rows = warehouse.query_rows("SELECT usuario, accion FROM auditoria ORDER BY id", path=db)
    warehouse.close_all()
    assert ("planeacion", "inicio_sesion") in rows and ("planeacion", "cierre_sesion") in rows
    assert ("analista", "inicio_sesion_fallido") in rows
    data = db.read_bytes() + log_path.read_bytes()
    for clear in (b"demo-planeacion", b"no-es-la-clave"):
        assert clear not in data

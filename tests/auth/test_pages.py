"""Login gate, timeout and the administrator pages, run for real with AppTest on a DuckDB file."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from ui.auth import NO_ACCESS
from ui.registry import ROOT
from ui.session import User
from warehouse import audit, users

SECRET = "Clave-Del-Admin-7"
ADMIN = User("root", "Administradora", frozenset({"administrador"}))
ANALYST = User("ana", "Ana", frozenset({"analista"}))
GATE = """
import streamlit as st
from ui.auth import login_gate, logout_button
user = login_gate()
if user is not None:
    st.markdown(f"Hola {user.usuario}")
    logout_button()
"""


@pytest.fixture
def accounts(db):
    users.add_user("root", "Administradora", SECRET, ["administrador"], path=db)
    users.add_user("ana", "Ana", SECRET, ["analista"], path=db)
    return db


def _page(path: str, user: User | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=30)
    if user is not None:
        at.session_state["user"] = user
    return at.run()


def _texts(at: AppTest) -> str:
    return " ".join(
        str(e.value)
        for kind in ("markdown", "error", "warning", "info", "success")
        for e in getattr(at, kind)
    )


def test_local_sign_in_wrong_then_right_then_out(accounts):
    at = AppTest.from_string(GATE, default_timeout=30).run()
    assert [t.label for t in at.text_input] == ["Usuario", "Contraseña"]
    at.text_input[0].input("ana")
    at.text_input[1].input("no-es-la-clave")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Usuario o contraseña incorrectos."]
    assert "user" not in at.session_state
    at.text_input[0].input("ana")
    at.text_input[1].input(SECRET)
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["user"].roles == {"analista"}
    assert "Hola ana" in _texts(at)
    at.sidebar.button[0].click().run()
    assert "user" not in at.session_state and len(at.text_input) == 2
    actions = list(audit.audit_log(usuario="ana", path=accounts)["accion"])
    assert actions == ["cierre_sesion", "inicio_sesion", "inicio_sesion_fallido"]


def test_idle_session_expires(accounts):
    at = AppTest.from_string(GATE, default_timeout=30)
    at.session_state["user"] = ANALYST
    at.session_state["auth_last_seen"] = time.time() - 31 * 60
    at.run()
    assert "user" not in at.session_state and "expiró por inactividad" in _texts(at)
    assert audit.audit_log(path=accounts)["accion"].iloc[0] == "sesion_expirada"


def test_deactivated_account_is_signed_out_on_the_next_check(accounts):
    at = AppTest.from_string(GATE, default_timeout=30).run()
    at.text_input[0].input("ana")
    at.text_input[1].input(SECRET)
    at.button[0].click().run()
    assert at.session_state["user"].usuario == "ana"
    users.set_active("ana", False, by="root", path=accounts)
    at.session_state["auth_checked"] = 0.0  # the next rerun re-reads the account
    at.run()
    assert "user" not in at.session_state


def test_demo_notice_only_with_demo_data(accounts):
    at = AppTest.from_string(GATE, default_timeout=30).run()
    assert "Cuentas de demostración" not in _texts(at)
    with warehouse.transaction(accounts) as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS ajustes (clave VARCHAR PRIMARY KEY, valor VARCHAR)")
        cur.execute("INSERT INTO ajustes (clave, valor) VALUES ('datos_demo', 'si')")
    at.run()
    text = _texts(at)
    assert "Cuentas de demostración" in text and "demo-analista" in text


def test_no_accounts_explains_how_to_create_the_first_admin(db, monkeypatch):
    monkeypatch.delenv("CMI_ADMIN_USER", raising=False)
    at = AppTest.from_string(GATE, default_timeout=30).run()
    assert "python -m warehouse users add" in _texts(at)


@pytest.mark.parametrize("path", ["pages/usuarios.py", "pages/auditoria.py"])
def test_admin_pages_refuse_other_roles(accounts, path):
    at = _page(path, ANALYST)
    assert [e.value for e in at.error] == [NO_ACCESS]
    assert not at.title and not at.dataframe and not at.text_input
    at = _page(path, None)
    assert not at.title and "Inicie sesión" in _texts(at)


def test_admin_creates_a_user_and_it_is_audited(accounts):
    at = _page("pages/usuarios.py", ADMIN)
    assert not at.exception
    assert list(at.dataframe[0].value["Usuario"]) == ["ana", "root"]
    form = [
        t
        for t in at.text_input
        if t.label in ("Usuario", "Nombre completo", "Contraseña inicial", "Confirme la contraseña")
    ]
    values = {
        "Usuario": "dir.dpm",
        "Nombre completo": "Directora DPM",
        "Contraseña inicial": "Clave-DPM-2026",
        "Confirme la contraseña": "Clave-DPM-2026",
    }
    for t in form[:4]:
        t.input(values[t.label])
    at.multiselect[0].select("director_normativo")
    at.selectbox[0].select("DPM")
    at.button(key="FormSubmitter:alta_usuario-Crear usuario").click().run()
    assert not at.exception and not at.error
    acc = users.get_user("dir.dpm", accounts)
    assert acc.roles == {"director_normativo"} and acc.cve_direccion == "DPM"
    row = audit.audit_log(accion="usuario_alta", path=accounts).iloc[0]
    assert row["usuario"] == "root" and row["detalle"].startswith("dir.dpm:")


def test_admin_deactivates_a_user(accounts):
    at = _page("pages/usuarios.py", ADMIN)
    at.selectbox(key="estado_usuario").select("ana").run()
    at.button(key="cambiar_estado").click().run()
    assert not at.exception
    assert users.get_user("ana", accounts).activo is False
    assert "Inactivo" in list(at.dataframe[0].value["Estado"])


def test_audit_page_filters_by_user(accounts):
    audit.audit("ana", "exportacion", "resumen.xlsx", path=accounts)
    audit.audit("luis", "carga", "ingresos.csv", path=accounts)
    at = _page("pages/auditoria.py", ADMIN)
    assert not at.exception
    assert set(at.dataframe[0].value["Usuario"]) >= {"ana", "luis"}
    at.selectbox[0].select("ana").run()
    assert list(at.dataframe[0].value["Detalle"]) == ["resumen.xlsx"]
    at.selectbox[1].select("carga").run()
    assert at.dataframe[0].value.empty

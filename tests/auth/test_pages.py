"""Login gate, timeout and the administrator pages, run for real with AppTest on a DuckDB file."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from access import audit_view, users
from ui.auth import NO_ACCESS
from ui.registry import ROOT
from ui.session import User
from warehouse import audit

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
    actions = list(audit_view.audit_log(usuario="ana", path=accounts)["accion"])
    assert actions == ["cierre_sesion", "inicio_sesion", "inicio_sesion_fallido"]


def _signed_in(usuario: str = "ana") -> AppTest:
    at = AppTest.from_string(GATE, default_timeout=30).run()
    at.text_input[0].input(usuario)
    at.text_input[1].input(SECRET)
    at.button[0].click().run()
    assert at.session_state["user"].usuario == usuario
    return at


def test_idle_session_expires(accounts):
    at = _signed_in()
    with warehouse.transaction(accounts) as cur:
        cur.execute("UPDATE sesiones SET ultima = ultima - INTERVAL 31 MINUTE")
    at.run()
    assert "user" not in at.session_state and "expiró por inactividad" in _texts(at)
    assert audit_view.audit_log(path=accounts)["accion"].iloc[0] == "sesion_expirada"
    assert warehouse.query_rows("SELECT motivo FROM sesiones", path=accounts) == [("inactividad",)]


def test_deactivated_account_is_signed_out_at_the_next_interaction(accounts):
    at = _signed_in()
    users.set_active("ana", False, by="root", path=accounts)
    at.run()
    assert "user" not in at.session_state and len(at.text_input) == 2


def test_password_change_ends_the_session(accounts):
    at = _signed_in()
    users.set_password("ana", "Otra-Clave-2026", by="root", path=accounts)
    at.run()
    assert "user" not in at.session_state and "se cerró" in _texts(at)
    assert warehouse.query_rows("SELECT motivo FROM sesiones", path=accounts) == [("contrasena",)]


def test_sign_out_in_one_tab_ends_the_other(accounts):
    first, second = _signed_in(), _signed_in()
    first.sidebar.button[0].click().run()
    assert "user" not in first.session_state
    second.run()  # its next action
    assert "user" not in second.session_state and "se cerró" in _texts(second)
    assert warehouse.query_rows("SELECT DISTINCT motivo FROM sesiones", path=accounts) == [("cierre",)]


def _mark_demo(db) -> None:
    with warehouse.transaction(db) as cur:
        cur.execute("INSERT INTO ajustes (clave, valor) VALUES ('datos_demo', 'si')")


def test_demo_accounts_listed_only_until_real_data_arrives(accounts):
    at = AppTest.from_string(GATE, default_timeout=30).run()
    assert "Cuentas de demostración" not in _texts(at)
    _mark_demo(accounts)
    users.create_demo_users(accounts)
    at.run()
    text = _texts(at)
    assert "Cuentas de demostración" in text and "demo-analista" in text
    demo = AppTest.from_string(GATE, default_timeout=30).run()  # a demo user already signed in
    demo.text_input[0].input("analista")
    demo.text_input[1].input("demo-analista")
    demo.button[0].click().run()
    assert demo.session_state["user"].usuario == "analista"

    with warehouse.transaction(accounts) as cur:  # a real load, as loaders.store records it
        cur.execute(
            "INSERT INTO cargas (dataset, archivo, filas, usuario, fecha, modo) "
            "VALUES ('consultas', 'consultas_2026.csv', 10, 'planeacion.real', now(), 'agregar')"
        )
    at.run()
    assert "Cuentas de demostración" not in _texts(at) and "demo-" not in _texts(at)
    assert {a.usuario for a in users.list_users(accounts)} == {"root", "ana"}
    demo.run()  # the demo session ends at its next action
    assert "user" not in demo.session_state
    at.text_input[0].input("admin")
    at.text_input[1].input("demo-admin")
    at.button[0].click().run()
    assert "user" not in at.session_state and [e.value for e in at.error] == [
        "Usuario o contraseña incorrectos."
    ]
    with pytest.raises(users.AccountError, match="demostración"):
        users.create_demo_users(accounts)


def test_short_admin_password_shows_no_traceback_to_a_visitor(db, monkeypatch, caplog):
    monkeypatch.setenv("CMI_ADMIN_USER", "root")
    monkeypatch.setenv("CMI_ADMIN_PASSWORD", "corta")
    at = AppTest.from_string(GATE, default_timeout=30).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Usuario", "Contraseña"]  # the form is still there
    assert "revise el registro del servidor" in _texts(at) and "corta" not in _texts(at)
    assert "AccountError" in caplog.text and not users.has_users(db)


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
    row = audit_view.audit_log(accion="usuario_alta", path=accounts).iloc[0]
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


def test_audit_page_shows_human_labels_not_action_names_or_json(accounts):
    """the Bitácora showed «exportar» and raw JSON; it shows words."""
    detail = '{"que": "consultas", "formato": "csv", "filtros": {"Periodo": "2024"}, "filas": 1200}'
    audit.audit("ana", "exportar", detail, path=accounts)
    audit.audit("luis", "deshacer_carga_rechazado", "carga=7; motivo=No existe la carga 7.", path=accounts)
    at = _page("pages/auditoria.py", ADMIN)
    assert not at.exception
    shown = at.dataframe[0].value
    rows = dict(zip(shown["Usuario"], zip(shown["Acción"], shown["Detalle"], strict=True), strict=True))
    assert rows["ana"] == ("Exportación", "qué: consultas; formato: csv; filtros: Periodo 2024; filas: 1,200")
    assert rows["luis"][0] == "Deshacer carga rechazado"
    assert not any("{" in d or "_" in a for a, d in rows.values())

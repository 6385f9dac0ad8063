"""Sign-in gate, session timeout, sign-out and the per-page access check.

With an `[auth]` section in `.streamlit/secrets.toml`, Streamlit's OIDC sign-in (`st.login`) is
used and the e-mail is mapped to an account of the users table; otherwise the local login form
checks a bcrypt hash through `warehouse.login`. This is the one `ui` module that imports
`warehouse` (accounts are not indicators).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import streamlit as st

from ui.registry import ROOT, SCREENS
from ui.session import User, current_user
from warehouse import audit as audit_log
from warehouse import login, users

IDLE_MINUTES = float(os.environ.get("CMI_SESSION_MINUTES", "30"))
RECHECK_SECONDS = 60  # re-read the account (deactivated? roles changed?) at most this often
NO_ACCESS = "No tiene acceso a esta página."
_LAST_SEEN = "auth_last_seen"
_CHECKED = "auth_checked"
_METHOD = "auth_method"  # "local" | "oidc"; absent when a test put the user in session_state


def to_user(account: users.Account) -> User:
    return User(
        usuario=account.usuario,
        nombre=account.nombre,
        roles=frozenset(account.roles),
        cve_direccion=account.cve_direccion,
        ambito=account.ambito,
    )


def _oidc_provider() -> tuple[bool, str | None]:
    """(configured, provider name for st.login) from st.secrets["auth"]."""
    try:
        if "auth" not in st.secrets:
            return False, None
        section = st.secrets["auth"]
    except Exception:  # no secrets.toml at all
        return False, None
    named = [k for k, v in section.items() if hasattr(v, "items")]
    return True, named[0] if len(named) == 1 and "client_id" not in section else None


def _sign_in(account: users.Account, method: str) -> User:
    user = to_user(account)
    now = time.time()
    st.session_state.update({"user": user, _LAST_SEEN: now, _CHECKED: now, _METHOD: method})
    return user


def _sign_out(accion: str, detalle: str | None = None) -> None:
    user = current_user()
    if user is not None:
        audit_log.audit(user.usuario, accion, detalle)
    for key in ("user", _LAST_SEEN, _CHECKED, _METHOD):
        st.session_state.pop(key, None)


def _still_valid(user: User) -> User | None:
    """The session's user, refreshed from the users table, or None if the session must end."""
    now = time.time()
    last = st.session_state.get(_LAST_SEEN, now)
    if now - last > IDLE_MINUTES * 60:
        _sign_out(audit_log.SESSION_EXPIRED, f"inactividad > {IDLE_MINUTES:g} min")
        st.session_state["auth_notice"] = "Su sesión expiró por inactividad; inicie sesión de nuevo."
        return None
    st.session_state[_LAST_SEEN] = now
    if _METHOD in st.session_state and now - st.session_state.get(_CHECKED, 0) > RECHECK_SECONDS:
        account = users.get_user(user.usuario)
        if account is None or not account.activo:
            _sign_out(audit_log.LOGOUT, "cuenta desactivada")
            return None
        st.session_state[_CHECKED] = now
        if to_user(account) != user:
            user = _sign_in(account, st.session_state[_METHOD])
    return user


def login_gate() -> User | None:
    """The signed-in user; otherwise render the sign-in screen and return None (caller stops).

    Call it on every run, before `st.navigation`: it also ends idle sessions and re-reads the account.
    """
    user = current_user()
    if user is not None:
        user = _still_valid(user)
        if user is not None:
            return user
    configured, provider = _oidc_provider()
    # A hidden one-page navigation replaces the previous user's page list in the sidebar.
    render = (lambda: _oidc_gate(provider)) if configured else _local_form
    st.navigation(
        [st.Page(render, title="Iniciar sesión", url_path="acceso", default=True)], position="hidden"
    ).run()
    return current_user()


def _oidc_gate(provider: str | None) -> None:
    st.title("Cuadro de Mando Integral — IMSS")
    if not st.user.is_logged_in:
        if st.button("Iniciar sesión con la cuenta institucional", type="primary"):
            st.login(provider) if provider else st.login()
        return
    email = str(st.user.get("email") or "")
    account = users.find_by_email(email) if email else None
    if account is None or not account.activo:
        if not st.session_state.get("auth_oidc_refused"):
            audit_log.audit(email or "(sin correo)", audit_log.LOGIN_FAILED, "oidc: sin cuenta activa")
            st.session_state["auth_oidc_refused"] = True
        st.error(f"La cuenta {email} no tiene acceso al CMI; solicítelo al administrador.")
        st.button("Cerrar sesión", on_click=st.logout)
        return
    audit_log.audit(account.usuario, audit_log.LOGIN_OK, "oidc")
    _sign_in(account, "oidc")
    st.rerun()


def _local_form() -> None:
    users.ensure_admin_from_env()
    st.title("Cuadro de Mando Integral — IMSS")
    notice = st.session_state.pop("auth_notice", None)
    if notice:
        st.info(notice, icon=":material/schedule:")
    if not users.has_users():
        st.warning(
            "No hay cuentas registradas. Cree un administrador con "
            "`python -m warehouse users add USUARIO --rol administrador` o con las variables "
            "de entorno CMI_ADMIN_USER y CMI_ADMIN_PASSWORD.",
            icon=":material/person_add:",
        )
    with st.form("login", clear_on_submit=True):
        st.subheader("Iniciar sesión")
        usuario = st.text_input("Usuario", autocomplete="username")
        password = st.text_input("Contraseña", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Entrar", type="primary")
    if users.is_demo_warehouse():
        _demo_notice()
    if submitted and not (usuario.strip() and password):
        st.error("Escriba su usuario y su contraseña.")
    elif submitted:
        result = login.authenticate(usuario, password)
        if result.ok and result.account is not None:
            _sign_in(result.account, "local")
            st.rerun()
        st.error(result.message, icon=":material/lock:")


def _demo_notice() -> None:
    lines = [
        f"| `{u}` | `{users.demo_password(u)}` | {nombre.removesuffix(' (demo)')} |"
        for u, nombre, _, _ in users.DEMO_USERS
    ]
    st.info(
        "**Cuentas de demostración** (solo para los datos de demostración; no las use con datos reales):\n\n"
        "| Usuario | Contraseña | Perfil |\n|---|---|---|\n" + "\n".join(lines),
        icon=":material/science:",
    )


def logout_button() -> None:
    """A sidebar button that ends the session (and the OIDC session, if any)."""
    if current_user() is None:
        return
    if st.sidebar.button("Cerrar sesión", icon=":material/logout:"):
        oidc = st.session_state.get(_METHOD) == "oidc"
        _sign_out(audit_log.LOGOUT)
        if oidc:
            st.logout()
        st.rerun()


def _screen_path(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            return p.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            return p.as_posix()
    return p.as_posix()


def may_open(user: User | None, path: str) -> bool:
    """Whether the user's roles allow the screen; unknown screens are refused (fail closed)."""
    rel = _screen_path(path)
    screen = next((s for s in SCREENS if s.path == rel), None)
    return user is not None and screen is not None and bool(user.roles & screen.roles)


def require_screen(path: str) -> User:
    """Call at the top of a page (`require_screen(__file__)` or "pages/x.py"): stop unless allowed."""
    user = current_user()
    if user is None:
        st.warning("Inicie sesión para consultar el Cuadro de Mando Integral.", icon=":material/lock:")
        st.stop()
    if not may_open(user, path):
        st.error(NO_ACCESS, icon=":material/block:")
        st.stop()
    return user  # type: ignore[return-value]

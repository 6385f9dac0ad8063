"""Sign-in gate, session timeout, sign-out and the per-page access check.

With an `[auth]` section in `.streamlit/secrets.toml`, Streamlit's OIDC sign-in (`st.login`) is
used and the e-mail is mapped to an account of the users table; otherwise the local login form
checks a bcrypt hash through `access.login`. Either way a warehouse session is opened
(`access.sessions`) and the browser gets a cookie for it through `ui.web`, so a reload or a
new tab finds it again. With `ui.web`, this is the one `ui` module that imports `warehouse`
(accounts and sessions are not indicators).
"""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from access import login, sessions, users
from ui import web
from ui.destination import requested_page
from ui.errors import new_incident
from ui.registry import ROOT, SCREENS
from ui.safe import plain
from ui.session import User, current_user
from warehouse import audit as audit_log

NO_ACCESS = "No tiene acceso a esta página."
EXPIRED = "Su sesión expiró por inactividad; inicie sesión de nuevo."
ENDED = "Su sesión se cerró (en otra pestaña, por un cambio de contraseña o de la cuenta); inicie sesión de nuevo."
TOUCH_EVERY = 20  # seconds: the session's last-interaction time is written at most this often
_SESSION = "auth_session"  # server-side key of the warehouse session (access.sessions)
_METHOD = "auth_method"  # "local" | "oidc"; absent when a test put the user in session_state
_TOUCHED = "auth_touched"
_HANDOFF = "auth_handoff"  # one-time token the browser trades for the cookie (ui.web)
_FORGET = "auth_forget_cookie"
_CHECKED = "auth_checked"  # time.monotonic() of the gate's last look at the session


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


def _sign_in(account: users.Account, method: str, session: str | None = None) -> User:
    """Put the account in this browser session; open a warehouse session unless resuming one."""
    user = to_user(account)
    if session is None:
        device = _device()
        session, token = sessions.create(account.usuario, method, equipo=device or "")
        if device:  # a browser without a device cookie cannot trade a token: it keeps this tab only
            st.session_state[_HANDOFF] = token
    st.session_state.update({"user": user, _SESSION: session, _METHOD: method, _TOUCHED: time.time()})
    return user


def _forget() -> None:
    for key in ("user", _SESSION, _METHOD, _TOUCHED, _HANDOFF, _CHECKED):
        st.session_state.pop(key, None)


def _sign_out(accion: str, detalle: str | None = None, motivo: str = "cierre") -> None:
    user = current_user()
    if user is not None:
        audit_log.audit(user.usuario, accion, detalle)
    session = st.session_state.get(_SESSION)
    if session and motivo == "cierre" and user is not None:
        sessions.revoke_user(user.usuario, motivo)  # signing out anywhere ends it everywhere
    elif session:
        sessions.revoke(session, motivo)
    if session:  # the sign-in screen deletes the cookie, with the check /_cmi/salir asks for
        st.session_state[_FORGET] = sessions.sign_out_check(session, sessions.secret())
    _forget()


def _still_valid(user: User) -> User | None:
    """The session's user, re-read from the users table, or None if the session has ended.

    Runs on every interaction: a session revoked elsewhere (sign-out in another tab, password
    change, deactivation) ends here at once, and so does one idle for too long.
    """
    clave = st.session_state.get(_SESSION)
    if _METHOD not in st.session_state or not clave:
        return user  # put there by a test: no warehouse session to check
    account = users.of_session(clave)  # the session and the account, in one query
    st.session_state[_CHECKED] = time.monotonic()
    if account is None:
        idle = sessions.idle_ended(clave)
        if idle:
            _sign_out(audit_log.SESSION_EXPIRED, f"inactividad > {sessions.idle_limit()}", "inactividad")
        else:
            _forget()
            st.session_state[_FORGET] = True
        st.session_state["auth_notice"] = EXPIRED if idle else ENDED
        return None
    if time.time() - st.session_state.get(_TOUCHED, 0) > TOUCH_EVERY:
        sessions.touch(clave)
        st.session_state[_TOUCHED] = time.time()
    fresh = to_user(account)
    if fresh != user:
        st.session_state["user"] = fresh
    return fresh


def _resume() -> User | None:
    """The user of a live session named by this browser's cookie (reload, new tab), if any."""
    cookie = st.context.cookies.get(sessions.COOKIE)
    if not isinstance(cookie, str):  # no cookie (or no browser, under AppTest)
        return None
    session = sessions.from_cookie(cookie, sessions.secret())
    if session is None:
        st.session_state[_FORGET] = True  # a dead cookie: the sign-in screen deletes it
        return None
    account = users.get_user(session.usuario)
    if account is None or not account.activo:
        return None
    return _sign_in(account, session.metodo, session.clave)


def cookie_exchange() -> None:
    """Let the browser trade the sign-in's one-time token for the session cookie (ui.web route)."""
    token = st.session_state.pop(_HANDOFF, None)
    if token:
        st.html(f'<img src="{web.SESSION_URL}?t={token}" alt="" hidden>')


WATCH_SECONDS = max(5.0, min(60.0, sessions.idle_limit().total_seconds() / 6))


@st.fragment(run_every=WATCH_SECONDS)
def _watch() -> None:
    clave = st.session_state.get(_SESSION)
    if time.monotonic() - st.session_state.get(_CHECKED, 0.0) < 1.0:
        return  # a whole run: the gate has just looked
    if clave and sessions.find(clave) is None:
        st.rerun(scope="app")  # the gate signs out and clears the screen


def session_watch() -> None:
    """A timer (not the next click) that clears the screen when the session goes idle or is revoked."""
    if st.session_state.get(_SESSION):
        _watch()


def login_gate() -> User | None:
    """The signed-in user; otherwise render the sign-in screen and return None (caller stops).

    Call it on every run, before `st.navigation`: it ends revoked and idle sessions, re-reads the
    account, resumes a session from the cookie and creates the first administrator.
    """
    user = current_user()
    if user is not None:
        user = _still_valid(user)
        if user is not None:
            return user
    else:
        user = _resume()
        if user is not None:
            return user
    configured, provider = _oidc_provider()
    render = (lambda: _oidc_gate(provider)) if configured else _local_form
    # A hidden one-page navigation: nothing of the app is listed, and the sign-in page answers at
    # the address asked for, so after sign-in the same address shows that page and view.
    asked = requested_page()
    st.navigation(
        [st.Page(render, title="Iniciar sesión", url_path=asked or "acceso", default=not asked)]
        + ([st.Page(render, title="Iniciar sesión", url_path="acceso", default=True)] if asked else []),
        position="hidden",
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
        st.error(f"La cuenta {plain(email)} no tiene acceso al CMI; solicítelo al administrador.")
        st.button("Cerrar sesión", on_click=st.logout)
        return
    audit_log.audit(account.usuario, audit_log.LOGIN_OK, "oidc")
    _sign_in(account, "oidc")
    st.rerun()


def _first_admin() -> None:
    try:
        users.ensure_admin_from_env()
    except users.AccountError as exc:  # e.g. a short CMI_ADMIN_PASSWORD: for the log, not the visitor
        new_incident(exc)
        st.warning(
            "La configuración del primer administrador no es válida; revise el registro del servidor.",
            icon=":material/settings:",
        )


def _forget_cookie() -> None:
    check = st.session_state.pop(_FORGET, False)
    if check:  # True: the cookie's session has already ended, no check needed
        query = f"?t={check}" if isinstance(check, str) else ""
        st.html(f'<img src="{web.SIGN_OUT_URL}{query}" alt="" hidden>')


def _local_form() -> None:
    _first_admin()
    users.retire_demo_accounts()
    _forget_cookie()
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
    if users.demo_accounts_active():
        _demo_notice()
    if submitted and not (usuario.strip() and password):
        st.error("Escriba su usuario y su contraseña.")
    elif submitted:
        result = login.authenticate(usuario, password, origen=_source(), equipo=_device())
        if result.ok and result.account is not None:
            _sign_in(result.account, "local")
            st.rerun()
        st.error(result.message, icon=":material/lock:")


def _source() -> str:
    """Where the attempt comes from, for throttling: the client's address (None on loopback)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else login.LOCAL


def _device() -> str | None:
    """This browser's device cookie (ui.web gives one with the page), or None (none, or AppTest)."""
    value = st.context.cookies.get(sessions.DEVICE)
    return value if isinstance(value, str) and sessions.valid_device(value) else None


def _demo_notice() -> None:
    lines = [
        f"| `{u}` | `{users.demo_password(u)}` | {nombre.removesuffix(' (demo)')} |"
        for u, nombre, _, _ in users.DEMO_USERS
        if users.get_user(u) is not None
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
    return user

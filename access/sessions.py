"""Server-side sign-in sessions and the signed cookie that names one.

A session is a row of `sesiones` (user, method, last interaction, absolute expiry, revocation),
known to the server by its `clave`. The browser holds only `<id>.<HMAC-SHA256(id)>` in an
HttpOnly cookie, where only the digest of `id` is stored: a reload or a new tab finds the session
again; signing out, changing the password or deactivating the account revokes the row, so every
tab is signed out at its next action.

The script cannot set cookies (it talks to the browser over a WebSocket), so signing in also
creates a one-time hand-off token; the browser trades it at `/_cmi/sesion` (ui.web) for the
cookie within `HANDOFF`, once. The token is bound to the browser that signed in: every browser gets
a random device cookie (`DEVICE`, set with the page by ui.web), the token is stored as the digest of
token + device, and only a request carrying the same device cookie can trade it — so a token minted
by someone's own sign-in, sent to another person as a link, signs nobody in (login CSRF).

Signing out through `/_cmi/salir` needs `sign_out_check` of the session (a value only the page of
that session knows), so a link from another site cannot end it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from access.names import PathLike, normalize_usuario
from warehouse.connection import query_rows, retry_on_conflict, transaction
from warehouse.settings import settings

COOKIE = "cmi_sesion"
DEVICE = "cmi_equipo"  # random id of a browser (hand-off binding, sign-in throttling)
DEVICE_AGE = timedelta(days=400)
HANDOFF = timedelta(seconds=120)
KEEP_ENDED = timedelta(days=30)  # rows of sessions that ended longer ago are deleted
_SECRET_KEY = "secreto_sesion"


def idle_limit() -> timedelta:
    """Inactivity that ends a session (CMI_SESSION_MINUTES, 30 by default)."""
    return timedelta(minutes=settings().session_minutes)


def lifetime() -> timedelta:
    """Absolute length of a session whatever the activity (CMI_SESSION_HOURS, 12 by default)."""
    return timedelta(hours=settings().session_hours)


@dataclass(frozen=True)
class Session:
    clave: str
    usuario: str
    metodo: str
    ultima: datetime
    expira: datetime


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _token() -> str:
    return secrets.token_hex(32)


def new_device() -> str:
    """A new device cookie value."""
    return _token()


def valid_device(value: object) -> bool:
    """Whether a device cookie value has the shape `new_device` gives (64 hex digits)."""
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _handoff_digest(token: str, equipo: str) -> str:
    return _digest(f"{token}.{equipo}")


def sign_out_check(clave: str, key: bytes) -> str:
    """The value `/_cmi/salir` asks for to end the session `clave` (ui.auth puts it in the page)."""
    return hmac.new(key, f"salir:{clave}".encode(), hashlib.sha256).hexdigest()


@retry_on_conflict  # shared mode: another server wrote the table first
def secret(path: PathLike = None) -> bytes:
    """The key that signs cookies: CMI_SESSION_SECRET, else one kept in the warehouse (made once)."""
    env = settings().session_secret
    if env:
        return env.encode("utf-8")
    rows = query_rows("SELECT valor FROM ajustes WHERE clave = ?", [_SECRET_KEY], path=path)
    if rows and rows[0][0]:
        return str(rows[0][0]).encode("ascii")
    with transaction(path) as cur:
        cur.execute(
            "INSERT INTO ajustes (clave, valor) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM ajustes WHERE clave = ?)",
            [_SECRET_KEY, _token(), _SECRET_KEY],
        )
        row = cur.execute("SELECT valor FROM ajustes WHERE clave = ?", [_SECRET_KEY]).fetchone()
    return str(row[0]).encode("ascii") if row else b""


def sign(cookie_id: str, key: bytes) -> str:
    """The cookie value for a cookie id."""
    mac = hmac.new(key, cookie_id.encode("ascii"), hashlib.sha256).hexdigest()
    return f"{cookie_id}.{mac}"


def unsign(cookie: str | None, key: bytes) -> str | None:
    """The id in a cookie value, or None when it is missing, malformed or tampered with."""
    if not cookie or cookie.count(".") != 1 or len(cookie) > 200:
        return None
    cookie_id, mac = cookie.split(".")
    if not cookie_id.isalnum() or not cookie_id.isascii():
        return None
    expected = hmac.new(key, cookie_id.encode("ascii"), hashlib.sha256).hexdigest()
    return (
        cookie_id if hmac.compare_digest(mac.encode("ascii", "replace"), expected.encode("ascii")) else None
    )


@retry_on_conflict  # shared mode: another server wrote the table first
def create(
    usuario: str, metodo: str, *, equipo: str = "", now: datetime | None = None, path: PathLike = None
) -> tuple[str, str]:
    """Open a session; return (its server-side key, the one-time hand-off token for the cookie,
    which only the browser with device cookie `equipo` can trade)."""
    now = now or datetime.now()
    clave, token = _token(), _token()
    with transaction(path) as cur:
        cur.execute(
            "DELETE FROM sesiones WHERE expira < ?", [now - KEEP_ENDED]
        )  # long over: nothing to audit
        cur.execute(
            "INSERT INTO sesiones (clave, usuario, metodo, creada, ultima, expira, entrega_hash, entrega_expira)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                clave,
                normalize_usuario(usuario),
                metodo,
                now,
                now,
                now + lifetime(),
                _handoff_digest(token, equipo),
                now + HANDOFF,
            ],
        )
    return clave, token


@retry_on_conflict  # shared mode: another server wrote the table first
def redeem(
    token: str, key: bytes, *, equipo: str = "", now: datetime | None = None, path: PathLike = None
) -> str | None:
    """The signed cookie value for a valid, unused hand-off token traded by the device it was made
    for (the token is then spent); else None."""
    if not token or len(token) > 100:
        return None
    now = now or datetime.now()
    cookie_id = _token()
    with transaction(path) as cur:
        row = cur.execute(
            "SELECT clave FROM sesiones WHERE entrega_hash = ? AND entrega_expira > ? AND revocada IS NULL",
            [_handoff_digest(token, equipo), now],
        ).fetchone()
        if row is None:
            return None
        cur.execute(
            "UPDATE sesiones SET id_hash = ?, entrega_hash = NULL, entrega_expira = NULL WHERE clave = ?",
            [_digest(cookie_id), row[0]],
        )
    return sign(cookie_id, key)


def live(row: tuple | None, now: datetime) -> Session | None:
    """The session of a `SESSION_COLUMNS` row, or None when it has expired or been idle too long."""
    if row is None:
        return None
    session = Session(*row)
    if now >= session.expira or now - session.ultima > idle_limit():
        return None
    return session


SESSION_COLUMNS = "s.clave, s.usuario, s.metodo, s.ultima, s.expira"
LIVE_JOIN = "sesiones s JOIN usuarios u ON u.usuario = s.usuario"
LIVE_WHERE = "s.revocada IS NULL AND u.activo"  # what `live` cannot see: revocation, deactivation
_SELECT = f"SELECT {SESSION_COLUMNS} FROM {LIVE_JOIN} WHERE {LIVE_WHERE} AND "


def from_cookie(
    cookie: str | None, key: bytes, *, now: datetime | None = None, path: PathLike = None
) -> Session | None:
    """The live session a cookie names (signature, revocation, expiry, idle time and account checked)."""
    cookie_id = unsign(cookie, key)
    if cookie_id is None:
        return None
    rows = query_rows(_SELECT + "s.id_hash = ?", [_digest(cookie_id)], path=path)
    return live(rows[0] if rows else None, now or datetime.now())


def find(clave: str, *, now: datetime | None = None, path: PathLike = None) -> Session | None:
    """The live session with this server-side key, or None once it has ended for any reason."""
    rows = query_rows(_SELECT + "s.clave = ?", [clave], path=path)
    return live(rows[0] if rows else None, now or datetime.now())


def idle_ended(clave: str, *, now: datetime | None = None, path: PathLike = None) -> bool:
    """Whether this session ended (or must end) only because it was left idle."""
    rows = query_rows("SELECT ultima, revocada, motivo FROM sesiones WHERE clave = ?", [clave], path=path)
    if not rows:
        return False
    ultima, revocada, motivo = rows[0]
    if revocada is not None:
        return motivo == "inactividad"
    return (now or datetime.now()) - ultima > idle_limit()


@retry_on_conflict  # shared mode: another server wrote the table first
def touch(clave: str, *, now: datetime | None = None, path: PathLike = None) -> None:
    """Record an interaction: the idle clock starts again."""
    with transaction(path) as cur:
        cur.execute(
            "UPDATE sesiones SET ultima = ? WHERE clave = ? AND revocada IS NULL",
            [now or datetime.now(), clave],
        )


@retry_on_conflict  # shared mode: another server wrote the table first
def revoke(clave: str, motivo: str, *, now: datetime | None = None, path: PathLike = None) -> None:
    """End one session (sign-out, idle timeout)."""
    with transaction(path) as cur:
        cur.execute(
            "UPDATE sesiones SET revocada = ?, motivo = ? WHERE clave = ? AND revocada IS NULL",
            [now or datetime.now(), motivo, clave],
        )


@retry_on_conflict  # shared mode: another server wrote the table first
def revoke_user(
    usuario: str,
    motivo: str,
    *,
    cur: duckdb.DuckDBPyConnection | None = None,
    now: datetime | None = None,
    path: PathLike = None,
) -> None:
    """End every session of an account (password change, deactivation, lock)."""
    sql = "UPDATE sesiones SET revocada = ?, motivo = ? WHERE usuario = ? AND revocada IS NULL"
    args = [now or datetime.now(), motivo, normalize_usuario(usuario)]
    if cur is not None:
        cur.execute(sql, args)
        return
    with transaction(path) as own:
        own.execute(sql, args)

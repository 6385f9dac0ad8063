"""Local sign-in: bcrypt check, failed-attempt throttling and an audit row for every attempt.

Five failures within 15 minutes lock the account for 15 minutes from the fifth; while locked,
every attempt is refused — even with the right password — and recorded as `bloqueado`.
A success resets the count. Unknown user names are throttled and timed like real ones.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import bcrypt

from warehouse.audit import LOGIN_FAILED, LOGIN_LOCKED, LOGIN_OK, audit
from warehouse.connection import query_rows, transaction
from warehouse.users import Account, PathLike, get_user, normalize_usuario, password_hash_of, password_matches

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
WRONG = "Usuario o contraseña incorrectos."
_DUMMY_HASH = bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(4)).decode("ascii")
_AUTH_LOCK = threading.Lock()  # check, verify and record as one step per process


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    message: str  # Spanish, for the login form
    account: Account | None = None
    locked_until: datetime | None = None


def locked_until(usuario: str, now: datetime | None = None, path: PathLike = None) -> datetime | None:
    """When the account's current lock ends, or None if it may try now."""
    now = now or datetime.now()
    usuario = normalize_usuario(usuario)
    rows = query_rows(
        "SELECT fecha FROM intentos_acceso WHERE usuario = ? AND resultado = 'fallo' AND fecha > ? "
        "AND fecha > coalesce((SELECT max(fecha) FROM intentos_acceso "
        "  WHERE usuario = ? AND resultado = 'exito'), TIMESTAMP '1970-01-01') ORDER BY fecha",
        [usuario, now - WINDOW - LOCK, usuario],
        path=path,
    )
    streak: list[datetime] = []
    until: datetime | None = None
    for (when,) in rows:
        if until is not None and when < until:
            continue
        streak = [t for t in streak if t > when - WINDOW] + [when]
        if len(streak) >= MAX_FAILURES:
            until, streak = when + LOCK, []
    return until if until is not None and until > now else None


def _record(
    usuario: str, result: str, accion: str, detalle: str | None, now: datetime, path: PathLike
) -> None:
    with transaction(path) as cur:
        cur.execute("INSERT INTO intentos_acceso VALUES (?, ?, ?)", [usuario, now, result])
        audit(usuario, accion, detalle, con=cur, when=now)


def authenticate(
    usuario: str, password: str, *, now: datetime | None = None, path: PathLike = None
) -> LoginResult:
    """Check a local sign-in; record the attempt and an audit row whatever the outcome."""
    usuario = normalize_usuario(usuario)[:64]
    with _AUTH_LOCK:
        now = now or datetime.now()
        until = locked_until(usuario, now, path)
        if until is not None:
            _record(usuario, "bloqueado", LOGIN_LOCKED, f"bloqueada hasta {until:%H:%M}", now, path)
            return LoginResult(
                False,
                "Cuenta bloqueada temporalmente por intentos fallidos; "
                f"intente de nuevo después de las {until:%H:%M}.",
                locked_until=until,
            )
        stored = password_hash_of(usuario, path)
        hashed = stored[0] if stored and stored[0] else _DUMMY_HASH
        matches = password_matches(password, hashed) and stored is not None and stored[0] is not None
        if matches and stored is not None and stored[1]:
            _record(usuario, "exito", LOGIN_OK, "local", now, path)
            return LoginResult(True, "Bienvenido.", account=get_user(usuario, path))
        reason = "usuario inexistente" if stored is None else ("cuenta inactiva" if matches else "contraseña")
        _record(usuario, "fallo", LOGIN_FAILED, reason, now, path)
        until = locked_until(usuario, now, path)
        if until is not None:
            return LoginResult(
                False,
                f"Demasiados intentos fallidos: la cuenta queda bloqueada hasta las {until:%H:%M}.",
                locked_until=until,
            )
        return LoginResult(False, WRONG)

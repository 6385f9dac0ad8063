"""Local sign-in: bcrypt check, throttling with backoff, and an audit row for every attempt.

Throttling never locks an account for everyone, so nobody can lock someone else out. A *source* is
the browser's device cookie (`cmi_equipo`, ui.web) when that device has signed in to the account
within `TRUST` (a trusted device), else the client's address:

- per source and account: after `PAIR_LIMIT` failures within `WINDOW` from one source for one
  account, that source waits before its next try on that account — `BASE_WAIT`, doubling with
  each further failure, at most `MAX_WAIT`;
- per address: after `SOURCE_LIMIT` failures within the window from one address (any account),
  the same backoff applies to that address (password spraying) — except to trusted devices, so
  the people behind one address (an office behind NAT or a proxy) keep signing in from their
  own browsers while someone else fails there;
- per account: after `ACCOUNT_LIMIT` failures within the window from anywhere (a distributed
  attack), a source that fails on that account once waits before trying it again. A person
  whose first try is right is never made to wait.

A device counts as trusted only for an account it has signed in to; an unknown or new cookie
(an attacker can drop or invent one) falls back to the address, so rotating cookies buys nothing.
A success resets the count of its source for that account. While a source waits, its attempts
are refused without checking the password and recorded as `bloqueado`. Unknown user names are
checked against a dummy hash of the real cost, so both take the same time (docs/benchmarks.md).
"""

from __future__ import annotations

import functools
import hashlib
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import bcrypt

from access import users
from access.users import Account, PathLike, get_user, normalize_usuario, password_hash_of, password_matches
from warehouse.audit import LOGIN_FAILED, LOGIN_LOCKED, LOGIN_OK, audit
from warehouse.connection import query_rows, retry_on_conflict, transaction

PAIR_LIMIT = 5
SOURCE_LIMIT = 20
ACCOUNT_LIMIT = 50
WINDOW = timedelta(minutes=15)
BASE_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)
TRUST = timedelta(days=90)  # a device that signed in to an account within this is trusted for it
WRONG = "Usuario o contraseña incorrectos."
LOCAL = "local"  # the source of attempts whose address is unknown (loopback, CLI, tests)
_AUTH_LOCK = threading.Lock()  # check, verify and record as one step per process


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    message: str  # Spanish, for the login form
    account: Account | None = None
    locked_until: datetime | None = None


@functools.cache
def _dummy_hash(rounds: int) -> bytes:
    return bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(rounds))


def dummy_hash() -> str:
    """A hash at the cost real passwords get, checked for unknown names (same time, no enumeration)."""
    return _dummy_hash(users.BCRYPT_ROUNDS).decode("ascii")


def _backoff(failures: int, limit: int) -> timedelta | None:
    if failures < limit:
        return None
    return min(MAX_WAIT, BASE_WAIT * 2 ** (failures - limit))


def device_digest(equipo: str | None) -> str | None:
    """What is stored of a device cookie (its SHA-256), or None without one."""
    return hashlib.sha256(equipo.encode("utf-8")).hexdigest() if equipo else None


def trusted(usuario: str, equipo: str | None, now: datetime, path: PathLike = None) -> bool:
    """Whether this device signed in to this account within `TRUST`."""
    device = device_digest(equipo)
    return device is not None and bool(
        query_rows(
            "SELECT 1 FROM intentos_acceso WHERE usuario = ? AND equipo = ? AND resultado = 'exito' "
            "AND fecha > ? LIMIT 1",
            [normalize_usuario(usuario), device, now - TRUST],
            path=path,
        )
    )


def wait_until(
    usuario: str,
    origen: str = LOCAL,
    now: datetime | None = None,
    path: PathLike = None,
    *,
    equipo: str | None = None,
) -> datetime | None:
    """When this source (trusted device, else address) may next try this account, or None if now."""
    now = now or datetime.now()
    usuario = normalize_usuario(usuario)
    since = now - WINDOW
    by_device = trusted(usuario, equipo, now, path)
    # the column that names the source: both are fixed texts, never input
    key_sql = "coalesce(equipo, '')" if by_device else "coalesce(origen, 'local')"
    key = device_digest(equipo) if by_device else origen
    pair, pair_last, account, source, source_last = query_rows(
        "WITH ok AS (SELECT coalesce(max(fecha), TIMESTAMP '1970-01-01') AS t FROM intentos_acceso "
        f"  WHERE usuario = ? AND {key_sql} = ? AND resultado = 'exito'), "
        f"f AS (SELECT usuario, {key_sql} AS k, coalesce(origen, 'local') AS origen, fecha "
        "  FROM intentos_acceso WHERE resultado = 'fallo' AND fecha > ?) "
        "SELECT count(*) FILTER (WHERE usuario = ? AND k = ? AND fecha > (SELECT t FROM ok)), "
        "  max(fecha) FILTER (WHERE usuario = ? AND k = ? AND fecha > (SELECT t FROM ok)), "
        "  count(*) FILTER (WHERE usuario = ?), "
        "  count(*) FILTER (WHERE origen = ?), max(fecha) FILTER (WHERE origen = ?) FROM f",
        [usuario, key, since, usuario, key, usuario, key, usuario, origen, origen],
        path=path,
    )[0]
    waits = []
    if pair_last is not None:
        waits.append((pair_last, _backoff(pair, PAIR_LIMIT)))
        if account >= ACCOUNT_LIMIT:
            waits.append((pair_last, _backoff(pair, 1)))
    if source_last is not None and not by_device:  # spraying from an address: not a trusted device
        waits.append((source_last, _backoff(source, SOURCE_LIMIT)))
    ends = [last + wait for last, wait in waits if wait is not None and last + wait > now]
    return max(ends) if ends else None


@retry_on_conflict  # shared mode: another server wrote the table first
def _record(
    usuario: str,
    origen: str,
    equipo: str | None,
    result: str,
    accion: str,
    detalle: str | None,
    now: datetime,
    path: PathLike,
) -> None:
    with transaction(path) as cur:
        cur.execute(
            "INSERT INTO intentos_acceso (usuario, fecha, resultado, origen, equipo) VALUES (?, ?, ?, ?, ?)",
            [usuario, now, result, origen, device_digest(equipo)],
        )
        audit(usuario, accion, detalle, con=cur, when=now)


def _wait_message(until: datetime) -> str:
    return (
        f"Demasiados intentos fallidos desde este equipo: intente de nuevo después de las {until:%H:%M:%S}."
    )


def authenticate(
    usuario: str,
    password: str,
    *,
    origen: str | None = None,
    equipo: str | None = None,
    now: datetime | None = None,
    path: PathLike = None,
) -> LoginResult:
    """Check a local sign-in from a client address and device cookie (either may be unknown);
    record the attempt and an audit row."""
    usuario = normalize_usuario(usuario)[:64]
    origen = (origen or LOCAL)[:64]
    with _AUTH_LOCK:
        now = now or datetime.now()
        until = wait_until(usuario, origen, now, path, equipo=equipo)
        if until is not None:
            _record(
                usuario,
                origen,
                equipo,
                "bloqueado",
                LOGIN_LOCKED,
                f"espera hasta {until:%H:%M:%S}",
                now,
                path,
            )
            return LoginResult(False, _wait_message(until), locked_until=until)
        stored = password_hash_of(usuario, path)
        hashed = stored[0] if stored and stored[0] else dummy_hash()
        matches = password_matches(password, hashed) and stored is not None and stored[0] is not None
        if matches and stored is not None and stored[1]:
            _record(usuario, origen, equipo, "exito", LOGIN_OK, "local", now, path)
            return LoginResult(True, "Bienvenido.", account=get_user(usuario, path))
        reason = "usuario inexistente" if stored is None else ("cuenta inactiva" if matches else "contraseña")
        _record(usuario, origen, equipo, "fallo", LOGIN_FAILED, reason, now, path)
        until = wait_until(usuario, origen, now, path, equipo=equipo)
        if until is not None:
            return LoginResult(False, _wait_message(until), locked_until=until)
        return LoginResult(False, WRONG)

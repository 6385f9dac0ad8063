"""Local accounts: users, their roles, directorate and KPI scope; bcrypt-hashed passwords.

Passwords are only ever handled as arguments and stored as bcrypt hashes; nothing here logs or
returns them. Sign-in and throttling live in `access.login`; the audit log in `warehouse.audit`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import bcrypt
import duckdb

from access import sessions
from access.names import PathLike, normalize_usuario
from access.roles import CAPABILITIES
from access.roles import ROLES as ROLE_LABELS
from access.sessions import revoke_user
from warehouse.audit import audit
from warehouse.connection import cursor, query_rows, transaction
from warehouse.errors import UserError
from warehouse.rows import MissingRowError
from warehouse.settings import settings

ROLES = tuple(ROLE_LABELS)
BCRYPT_ROUNDS = 12
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72  # bcrypt's limit: longer inputs are refused, never silently cut
_USUARIO_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


class AccountError(UserError, ValueError):
    """A request about accounts that cannot be honoured; the message is for people (Spanish)."""


@dataclass(frozen=True)
class Account:
    usuario: str
    nombre: str
    email: str | None
    cve_direccion: str | None
    ambito: str
    activo: bool
    roles: frozenset[str]
    creado: datetime


def hash_password(password: str) -> str:
    """A bcrypt hash of a password that meets the policy (8+ characters, at most 72 bytes)."""
    check_password_policy(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def check_password_policy(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"La contraseña debe tener al menos {MIN_PASSWORD} caracteres.")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AccountError(f"La contraseña no puede exceder {MAX_PASSWORD_BYTES} bytes.")


def password_matches(password: str, password_hash: str) -> bool:
    data = (password or "").encode("utf-8")
    if len(data) > MAX_PASSWORD_BYTES:
        return False
    try:
        return bcrypt.checkpw(data, password_hash.encode("ascii"))
    except ValueError:
        return False


def _validate(
    cur: duckdb.DuckDBPyConnection, roles: frozenset[str], cve_direccion: str | None, ambito: str
) -> None:
    unknown = roles - set(ROLES)
    if unknown:
        raise AccountError(f"Rol desconocido: {', '.join(sorted(unknown))}.")
    if not roles:
        raise AccountError("Asigne al menos un rol.")
    if (
        cve_direccion is not None
        and not cur.execute("SELECT 1 FROM direcciones WHERE cve_direccion = ?", [cve_direccion]).fetchone()
    ):
        raise AccountError(f"Dirección desconocida: {cve_direccion}.")
    if "director_normativo" in roles and cve_direccion is None:
        raise AccountError("Un director normativo debe tener una dirección asignada.")
    if "enlace" in roles and cve_direccion is None:
        raise AccountError("Un enlace debe tener la dirección por la que actúa.")
    kind, _, code = ambito.partition(":")
    if ambito == "nacional":
        return
    if kind == "region" and cur.execute("SELECT 1 FROM regiones WHERE region = ?", [code]).fetchone():
        return
    if kind == "ooad" and cur.execute("SELECT 1 FROM ooad WHERE cve_ooad = ?", [code]).fetchone():
        return
    raise AccountError(f"Ámbito inválido: {ambito} (use nacional, region:NOMBRE u ooad:CLAVE).")


_COLUMNS = (
    "u.usuario, u.nombre, u.email, u.cve_direccion, u.ambito, u.activo, u.creado,"
    " list(r.rol) FILTER (WHERE r.rol IS NOT NULL)"
)
_ROLES = "LEFT JOIN usuarios_roles r ON r.usuario = u.usuario"
_ACCOUNT = "SELECT " + _COLUMNS + " FROM usuarios u " + _ROLES + " WHERE u.{where} = ? GROUP BY ALL"
_OF_SESSION = (
    f"SELECT {sessions.SESSION_COLUMNS}, {_COLUMNS} FROM {sessions.LIVE_JOIN} {_ROLES}"
    f" WHERE {sessions.LIVE_WHERE} AND s.clave = ? GROUP BY ALL"
)
_SESSION_WIDTH = sessions.SESSION_COLUMNS.count(",") + 1  # where the account's columns start


def _to_account(row: tuple | None) -> Account | None:
    if row is None:
        return None
    usuario, nombre, email, cve_direccion, ambito, activo, creado, roles = row
    return Account(usuario, nombre, email, cve_direccion, ambito, activo, frozenset(roles), creado)


def _account(cur: duckdb.DuckDBPyConnection, where: str, value: str) -> Account | None:
    return _to_account(cur.execute(_ACCOUNT.format(where=where), [value]).fetchone())


def _written(cur: duckdb.DuckDBPyConnection, usuario: str) -> Account:
    """The account this transaction has just written."""
    account = _account(cur, "usuario", usuario)
    if account is None:
        raise MissingRowError(f"usuarios: {usuario} was written but cannot be read back")
    return account


def get_user(usuario: str, path: PathLike = None) -> Account | None:
    rows = query_rows(_ACCOUNT.format(where="usuario"), [normalize_usuario(usuario)], path=path)
    return _to_account(rows[0] if rows else None)


def of_session(clave: str, *, now: datetime | None = None, path: PathLike = None) -> Account | None:
    """The account of a live session (`sessions.find`'s checks), with its roles, in one query:
    the sign-in gate asks on every interaction. None once the session has ended for any reason."""
    rows = query_rows(_OF_SESSION, [clave], path=path)
    if not rows or sessions.live(rows[0][:_SESSION_WIDTH], now or datetime.now()) is None:
        return None
    return _to_account(rows[0][_SESSION_WIDTH:])


def find_by_email(email: str, path: PathLike = None) -> Account | None:
    """The account whose e-mail matches (case-insensitive): how OIDC identities map to roles."""
    rows = query_rows(
        "SELECT usuario FROM usuarios WHERE lower(email) = lower(?)", [(email or "").strip()], path=path
    )
    return get_user(rows[0][0], path) if len(rows) == 1 else None


def list_users(path: PathLike = None) -> list[Account]:
    names = query_rows("SELECT usuario FROM usuarios ORDER BY usuario", path=path)
    return [a for (u,) in names if (a := get_user(u, path)) is not None]


def has_users(path: PathLike = None) -> bool:
    return bool(query_rows("SELECT count(*) FROM usuarios", path=path)[0][0])


def add_user(
    usuario: str,
    nombre: str,
    password: str | None,
    roles: Iterable[str],
    *,
    email: str | None = None,
    cve_direccion: str | None = None,
    ambito: str = "nacional",
    by: str = "sistema",
    path: PathLike = None,
) -> Account:
    """Create an account; `password=None` makes an OIDC-only account (no local sign-in)."""
    usuario = normalize_usuario(usuario)
    if not _USUARIO_RE.match(usuario):
        raise AccountError("Usuario inválido: use de 2 a 64 letras minúsculas, dígitos, '.', '_', '-' o '@'.")
    roles = frozenset(roles)
    hashed = hash_password(password) if password is not None else None
    with transaction(path) as cur:
        _validate(cur, roles, cve_direccion or None, ambito)
        if cur.execute("SELECT 1 FROM usuarios WHERE usuario = ?", [usuario]).fetchone():
            raise AccountError(f"El usuario {usuario} ya existe.")
        cur.execute(
            "INSERT INTO usuarios (usuario, nombre, email, password_hash, cve_direccion, ambito, activo, creado)"
            " VALUES (?, ?, ?, ?, ?, ?, true, ?)",
            [
                usuario,
                nombre.strip() or usuario,
                email or None,
                hashed,
                cve_direccion or None,
                ambito,
                datetime.now(),
            ],
        )
        cur.executemany("INSERT INTO usuarios_roles VALUES (?, ?)", [[usuario, r] for r in sorted(roles)])
        detail = f"roles={','.join(sorted(roles))}; direccion={cve_direccion or '-'}; ambito={ambito}"
        audit(by, "usuario_alta", f"{usuario}: {detail}", con=cur)
        return _written(cur, usuario)


def _existing(cur: duckdb.DuckDBPyConnection, usuario: str) -> Account:
    account = _account(cur, "usuario", usuario)
    if account is None:
        raise AccountError(f"El usuario {usuario} no existe.")
    return account


def update_user(
    usuario: str,
    *,
    roles: Iterable[str],
    nombre: str,
    email: str | None,
    cve_direccion: str | None,
    ambito: str,
    by: str,
    path: PathLike = None,
) -> Account:
    """Replace an account's profile and roles (the administrator's edit form)."""
    usuario = normalize_usuario(usuario)
    roles = frozenset(roles)
    with transaction(path) as cur:
        _existing(cur, usuario)
        _validate(cur, roles, cve_direccion or None, ambito)
        cur.execute(
            "UPDATE usuarios SET nombre = ?, email = ?, cve_direccion = ?, ambito = ? WHERE usuario = ?",
            [nombre.strip() or usuario, email or None, cve_direccion or None, ambito, usuario],
        )
        cur.execute("DELETE FROM usuarios_roles WHERE usuario = ?", [usuario])
        cur.executemany("INSERT INTO usuarios_roles VALUES (?, ?)", [[usuario, r] for r in sorted(roles)])
        detail = f"roles={','.join(sorted(roles))}; direccion={cve_direccion or '-'}; ambito={ambito}"
        audit(by, "usuario_modificado", f"{usuario}: {detail}", con=cur)
        return _written(cur, usuario)


def _end_sessions(cur: duckdb.DuckDBPyConnection, usuario: str, motivo: str) -> None:
    revoke_user(usuario, motivo, cur=cur)


def set_password(usuario: str, password: str, *, by: str, path: PathLike = None) -> None:
    usuario = normalize_usuario(usuario)
    hashed = hash_password(password)
    with transaction(path) as cur:
        _existing(cur, usuario)
        cur.execute("UPDATE usuarios SET password_hash = ? WHERE usuario = ?", [hashed, usuario])
        _end_sessions(cur, usuario, "contrasena")
        audit(by, "usuario_contrasena", f"{usuario}: contraseña restablecida", con=cur)


def set_active(usuario: str, activo: bool, *, by: str, path: PathLike = None) -> None:
    usuario = normalize_usuario(usuario)
    with transaction(path) as cur:
        _existing(cur, usuario)
        if not activo and normalize_usuario(by) == usuario:
            raise AccountError("No puede desactivar su propia cuenta.")
        cur.execute("UPDATE usuarios SET activo = ? WHERE usuario = ?", [activo, usuario])
        if not activo:
            _end_sessions(cur, usuario, "baja")
        audit(by, "usuario_reactivado" if activo else "usuario_baja", usuario, con=cur)


def password_hash_of(usuario: str, path: PathLike = None) -> tuple[str | None, bool] | None:
    """(hash, activo) of an account, for `access.login` only."""
    rows = query_rows(
        "SELECT password_hash, activo FROM usuarios WHERE usuario = ?",
        [normalize_usuario(usuario)],
        path=path,
    )
    return (rows[0][0], bool(rows[0][1])) if rows else None


def ensure_admin_from_env(path: PathLike = None) -> str | None:
    """First run: create the administrator named in CMI_ADMIN_USER with CMI_ADMIN_PASSWORD.

    Only on an empty users table (the variables never add an administrator to a warehouse that
    has accounts); does nothing if either variable is unset. Returns the name created. A password
    that breaks the policy raises AccountError (the caller logs it; visitors never see it).
    """
    usuario = normalize_usuario(settings().admin_user)
    password = settings().admin_password
    if not usuario or not password or has_users(path):
        return None
    add_user(usuario, "Administrador", password, ["administrador"], by="CMI_ADMIN_USER", path=path)
    return usuario


# Demo accounts (demo data only): one per role; the password is "demo-" + the user name.
DEMO_USERS: tuple[tuple[str, str, str, str | None], ...] = (
    ("general", "Dirección General (demo)", "direccion_general", None),
    ("ejecutivo", "Ejecutivo (demo)", "ejecutivo", None),
    ("director", "Director normativo DPM (demo)", "director_normativo", "DPM"),
    ("enlace", "Enlace de la DPM (demo)", "enlace", "DPM"),
    ("planeacion", "Planeación (demo)", "planeacion", None),
    ("analista", "Analista (demo)", "analista", None),
    ("admin", "Administrador (demo)", "administrador", None),
)


def demo_password(usuario: str) -> str:
    return f"demo-{usuario}"


DEMO_EMAIL_DOMAIN = "@demo.invalid"


def create_demo_users(path: PathLike = None) -> list[str]:
    """Create the demo accounts that do not exist yet; return their names.

    Only in a warehouse built by the demo generator that holds no real data yet: anywhere else
    the accounts (with their published passwords) would be a way in.
    """
    if not demo_accounts_allowed(path):
        raise AccountError("Las cuentas de demostración solo existen en el almacén de demostración.")
    created = []
    for usuario, nombre, rol, direccion in DEMO_USERS:
        if get_user(usuario, path) is None:
            add_user(
                usuario,
                nombre,
                demo_password(usuario),
                [rol],
                cve_direccion=direccion,
                email=f"{usuario}{DEMO_EMAIL_DOMAIN}",
                by="demo",
                path=path,
            )
            created.append(usuario)
            if rol == "enlace":  # named by the demo director of the same directorate
                with transaction(path) as cur:
                    cur.execute(
                        "INSERT INTO enlaces SELECT ?, ?, 'director', ? WHERE NOT EXISTS "
                        "(SELECT 1 FROM enlaces WHERE usuario = ? AND cve_direccion = ?)",
                        [usuario, direccion, datetime.now(), usuario, direccion],
                    )
    return created


def is_demo_warehouse(path: PathLike = None) -> bool:
    """Whether the warehouse holds demo data (row ('datos_demo', 'si') in `ajustes`, if present)."""
    if not query_rows(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'ajustes'", path=path
    )[0][0]:
        return False
    rows = query_rows("SELECT count(*) FROM ajustes WHERE clave = 'datos_demo' AND valor = 'si'", path=path)
    return bool(rows[0][0])


def holds_real_data(path: PathLike = None) -> bool:
    """Whether any load that is not the demo generator's was applied to this warehouse."""
    rows = query_rows("SELECT count(*) FROM cargas WHERE usuario <> 'demo'", path=path)
    return bool(rows[0][0])


def demo_accounts_allowed(path: PathLike = None) -> bool:
    """Demo accounts may exist only in a demo warehouse that has not received real data."""
    return is_demo_warehouse(path) and not holds_real_data(path)


def _demo_account_names(cur: duckdb.DuckDBPyConnection) -> list[str]:
    names = [u for u, *_ in DEMO_USERS]
    rows = cur.execute(
        f"SELECT usuario FROM usuarios WHERE usuario IN ({', '.join('?' * len(names))}) AND email = usuario || ?",
        [*names, DEMO_EMAIL_DOMAIN],
    ).fetchall()
    return [r[0] for r in rows]


def demo_accounts_active(path: PathLike = None) -> bool:
    """Whether the sign-in screen may list the demo accounts (they exist and are allowed)."""
    if not demo_accounts_allowed(path):
        return False
    with cursor(path) as cur:
        return bool(_demo_account_names(cur))


def retire_demo_accounts(path: PathLike = None) -> list[str]:
    """Delete the demo accounts (and end their sessions) once the warehouse holds real data."""
    if demo_accounts_allowed(path):
        return []
    with transaction(path) as cur:
        names = _demo_account_names(cur)
        for usuario in names:
            _end_sessions(cur, usuario, "datos_reales")
            cur.execute("DELETE FROM usuarios_roles WHERE usuario = ?", [usuario])
            cur.execute("DELETE FROM usuarios WHERE usuario = ?", [usuario])
            audit(
                "sistema",
                "usuario_baja",
                f"{usuario}: cuenta de demostración retirada (datos reales)",
                con=cur,
            )
    return names


def scope_choices(path: PathLike = None) -> tuple[dict[str, str], list[str]]:
    """Directorates {clave: nombre} and every valid ámbito, for the administrator's forms."""
    direcciones = dict(query_rows("SELECT cve_direccion, nombre FROM direcciones ORDER BY 1", path=path))
    regiones = [f"region:{r[0]}" for r in query_rows("SELECT region FROM regiones ORDER BY orden", path=path)]
    ooad = [f"ooad:{r[0]}" for r in query_rows("SELECT cve_ooad FROM ooad ORDER BY cve_ooad", path=path)]
    return direcciones, ["nacional", *regiones, *ooad]


def cli_identity(usuario: str | None, capability: str, path: PathLike = None) -> str:
    """Who a CLI command is recorded as: a checked account, or the operating-system user.

    `--usuario NAME` must name an active account holding the capability (AccountError if not);
    the OS user running the command is recorded beside it («maria (so:root)»). Without
    `--usuario` the OS user alone is recorded («so:root»): never a name nobody checked.
    """
    import getpass

    try:
        system = f"so:{getpass.getuser()}"
    except (KeyError, OSError):
        system = f"so:uid{os.getuid()}"
    if usuario is None:
        return system
    account = get_user(usuario, path)
    if account is None or not account.activo:
        raise AccountError(f"El usuario «{usuario}» no existe o está desactivado en este almacén.")
    if not account.roles & CAPABILITIES[capability]:
        raise AccountError(f"El usuario «{account.usuario}» no tiene permiso para {capability}.")
    return f"{account.usuario} ({system})"

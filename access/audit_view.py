"""Reading the audit log (the *Bitácora* page): filters, choices and Spanish labels."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from warehouse.audit import LOGIN_FAILED, LOGIN_LOCKED, LOGIN_OK, LOGOUT, SESSION_EXPIRED
from warehouse.connection import query_df, query_rows

# What the Bitácora shows for each action; an action missing here reads as its words.
ACTION_LABELS = {
    LOGIN_OK: "Inicio de sesión",
    LOGIN_FAILED: "Inicio de sesión fallido",
    LOGIN_LOCKED: "Inicio de sesión bloqueado",
    LOGOUT: "Cierre de sesión",
    SESSION_EXPIRED: "Sesión expirada",
    "carga": "Carga de datos",
    "carga_rechazada": "Carga rechazada",
    "carga_fallida": "Carga fallida (error del sistema)",
    "deshacer_carga": "Carga deshecha",
    "deshacer_carga_rechazado": "Deshacer carga rechazado",
    "exportar": "Exportación",
    "exportacion_fallida": "Exportación fallida",
    "usuario_alta": "Alta de usuario",
    "usuario_modificado": "Cambio de usuario",
    "usuario_contrasena": "Contraseña restablecida",
    "usuario_baja": "Baja de usuario",
    "usuario_reactivado": "Usuario reactivado",
}
_DETAIL_KEYS = {
    "que": "qué",
    "formato": "formato",
    "filtros": "filtros",
    "filas": "filas",
    "error": "error",
    "desde": "desde",
    "hasta": "hasta",
}


def audit_log(
    usuario: str | None = None,
    accion: str | None = None,
    desde: date | None = None,
    hasta: date | None = None,
    limit: int = 2000,
    path: Path | str | None = None,
) -> pd.DataFrame:
    """The latest audit rows matching the filters (dates inclusive), newest first."""
    sql = ["SELECT fecha, usuario, accion, detalle FROM auditoria WHERE true"]
    params: list = []
    if usuario:
        sql.append("AND usuario = ?")
        params.append(usuario)
    if accion:
        sql.append("AND accion = ?")
        params.append(accion)
    if desde:
        sql.append("AND fecha >= ?")
        params.append(datetime.combine(desde, datetime.min.time()))
    if hasta:
        sql.append("AND fecha < ?")
        params.append(datetime.combine(hasta + timedelta(days=1), datetime.min.time()))
    sql.append("ORDER BY fecha DESC, id DESC LIMIT ?")
    params.append(int(limit))
    return query_df(" ".join(sql), params, path=path)


def audit_choices(path: Path | str | None = None) -> tuple[list[str], list[str]]:
    """The distinct users and actions present in the log, for filter widgets."""
    users = [r[0] for r in query_rows("SELECT DISTINCT usuario FROM auditoria ORDER BY 1", path=path)]
    actions = [r[0] for r in query_rows("SELECT DISTINCT accion FROM auditoria ORDER BY 1", path=path)]
    return users, actions


def action_label(accion: str) -> str:
    """An action as people read it: «carga_rechazada» → «Carga rechazada»."""
    return ACTION_LABELS.get(accion) or (accion or "").replace("_", " ").capitalize()


def detail_text(detalle: str | None) -> str:
    """A detail as a sentence: JSON records become «qué: consultas; formato: csv; filas: 12»."""
    if not detalle or not detalle.lstrip().startswith("{"):
        return detalle or ""
    try:
        record = json.loads(detalle)
    except ValueError:
        return detalle
    return "; ".join(
        f"{_DETAIL_KEYS.get(k, k.replace('_', ' '))}: {_value_text(v)}" for k, v in record.items()
    )


def _value_text(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value_text(v)}" for k, v in value.items()) or "ninguno"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "—" if value in (None, "") else str(value)

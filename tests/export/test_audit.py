"""Every export leaves a row in the audit log (when the auth module's log exists)."""

from __future__ import annotations

import json

from ui.export import audit_export
from ui.session import User
from warehouse import query_rows


def test_export_is_recorded_with_what_filters_and_rows(tiny_db):
    user = User("ana", "Ana Analista", frozenset({"analista"}))
    audit_export(user, "consultas_2024", {"Periodo": "2024", "Región": "Norte"}, 4, "csv")
    rows = query_rows(
        "SELECT usuario, accion, detalle FROM auditoria WHERE accion = 'exportar'", path=tiny_db
    )
    assert len(rows) == 1
    usuario, _, detalle = rows[0]
    assert usuario == "ana"
    assert json.loads(detalle) == {
        "que": "consultas_2024",
        "formato": "csv",
        "filtros": {"Periodo": "2024", "Región": "Norte"},
        "filas": 4,
    }

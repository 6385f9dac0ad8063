"""Who receives the scheduled executive report by e-mail, per scope."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from warehouse import query_rows, transaction

Db = Path | str | None


def subscribe(correo: str, ambito: str = "nacional", db: Db = None) -> None:
    """Add an address to a scope's subscribers (idempotent); a malformed address is refused in Spanish."""
    if "@" not in correo:
        raise ValueError(f"Correo inválido: «{correo}».")
    with transaction(db) as cur:
        cur.execute(
            "INSERT INTO suscriptores_reporte SELECT ?, ?, ? WHERE NOT EXISTS"  # a lake has no key
            " (SELECT 1 FROM suscriptores_reporte WHERE correo = ? AND ambito = ?)",
            [correo, ambito, datetime.now(), correo, ambito],
        )


def subscribers(ambito: str = "nacional", db: Db = None) -> list[str]:
    """The scope's addresses, sorted."""
    return [
        r[0]
        for r in query_rows(
            "SELECT correo FROM suscriptores_reporte WHERE ambito = ? ORDER BY 1", [ambito], db
        )
    ]


__all__ = ["subscribe", "subscribers"]

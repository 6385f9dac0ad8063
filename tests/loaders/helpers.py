"""Shared helpers for the loader tests: warehouse snapshots and small planner files."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from warehouse import query_rows

MEASURES = (
    "consultas_medicina_familiar",
    "consultas_especialidades",
    "consultas_urgencias",
    "intervenciones_quirurgicas",
    "cirugias_programadas",
    "cirugias_oportunas",
    "chequeos_prevenimss",
    "dias_cama_ocupados",
    "dias_cama_disponibles",
)
HEADER = "periodo,cve_ooad," + ",".join(MEASURES)


# The audit log records refused loads themselves (outside the aborted transaction): it is the one
# table a refusal writes to, asserted separately (tests/loaders/test_load_audit.py).
AUDIT_TABLES = ("auditoria",)


def snapshot(db: Path, exclude: tuple[str, ...] = AUDIT_TABLES) -> dict[str, tuple[int, int]]:
    """Row count and an order-independent checksum of every table of the warehouse but `exclude`.

    Four tables at a time: on a shared warehouse each table's scan waits ~30 ms on catalog round
    trips (one UNION ALL query is no faster), so a serial snapshot took ~3 s."""
    tables = [
        r[0]
        for r in query_rows(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' ORDER BY 1",
            path=db,
        )
        if r[0] not in exclude
    ]

    def one(table: str) -> tuple[str, tuple[int, int]]:
        count, checksum = query_rows(
            f'SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM "{table}" t', path=db
        )[0]
        return table, (int(count), int(checksum))

    with ThreadPoolExecutor(4) as pool:
        return dict(pool.map(one, tables))


def consultas_lines(periods: list[str], ooads: list[str], base: int = 100) -> list[str]:
    """Valid consultas rows: one per period and OOAD."""
    lines = []
    for p in periods:
        for k, o in enumerate(ooads):
            values = [base + k * 10 + j for j in range(len(MEASURES))]
            values[MEASURES.index("cirugias_oportunas")] = values[MEASURES.index("cirugias_programadas")] - 1
            lines.append(f"{p},{o}," + ",".join(str(v) for v in values))
    return lines


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path

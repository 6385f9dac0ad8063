"""Build the demo warehouse: generate every dataset, write it into a temp file, swap it in."""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from data.demo import (
    acuerdos,
    afiliacion,
    consultas,
    finanzas,
    guarderias,
    incapacidades,
    metas,
    plazas,
    proyectos,
    recetas,
    satisfaccion,
    umae,
    unidades,
)
from data.demo.context import Context
from warehouse import clock
from warehouse.config import db_path
from warehouse.connection import close, cursor, data_version, is_shared, location
from warehouse.migrate import migrate
from warehouse.rows import one_row

# Dataset generators in dependency order (later ones read earlier frames).
MONTHLY = (
    ("afiliacion", afiliacion.generate),
    ("consultas", consultas.generate),
    ("consultas_umae", umae.generate),
    ("consultas_unidad", unidades.generate),
    ("guarderias", guarderias.generate),
    ("incapacidades", incapacidades.generate),
    ("recetas", recetas.generate),
    ("plazas", plazas.generate),
    ("finanzas", finanzas.generate),
    ("satisfaccion", satisfaccion.generate),
    ("metas", metas.generate),
    ("avance_proyectos", proyectos.generate),
)
# Datasets below the OOAD: each is its own load (as a planner uploads them), logged after all the
# others so that the other loads keep their ids.
BELOW_OOAD = ("consultas_umae", "consultas_unidad")
AGREEMENT_TABLES = ("reuniones", "acuerdos", "acuerdos_corresponsables", "acuerdos_historial")
CHECKSUM_TABLES = (*(name for name, _ in MONTHLY), *AGREEMENT_TABLES, "cargas", "ajustes")
VOLATILE_COLUMNS = {"cargas": {"fecha"}}


def generate(today: date) -> tuple[Context, dict[str, pd.DataFrame]]:
    """Every demo table as a DataFrame, for data up to the month before `today`."""
    ctx = Context(today)
    for name, make in MONTHLY:
        ctx.frames[name] = make(ctx)
    return ctx, {**ctx.frames, **acuerdos.generate(ctx)}


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, load_id: int | None) -> None:
    cols = ", ".join(frame.columns)
    con.register("demo_frame", frame)
    if load_id is None:
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM demo_frame")
    else:
        con.execute(f"INSERT INTO {table} ({cols}, carga_id) SELECT {cols}, ? FROM demo_frame", [load_id])
    con.unregister("demo_frame")


def _log_load(con: duckdb.DuckDBPyConnection, dataset: str, rows: int, periods: str) -> int:
    row = con.execute(
        "INSERT INTO cargas (dataset, archivo, filas, usuario, fecha, modo, periodos) "
        "VALUES (?, ?, ?, 'demo', ?, 'reemplazar', ?) RETURNING id",
        [dataset, f"demo:{dataset}", rows, datetime.now().replace(microsecond=0), periods],
    ).fetchone()
    assert row is not None
    return int(row[0])


def write(con: duckdb.DuckDBPyConnection, ctx: Context, frames: dict[str, pd.DataFrame]) -> None:
    """Insert every frame in one transaction, one cargas row per dataset."""
    span = f"{ctx.tl.periods[0]:%Y-%m}..{ctx.tl.last:%Y-%m}"
    con.execute("BEGIN TRANSACTION")
    for name, _ in MONTHLY:
        frame = frames[name]
        periods = span
        if name == "satisfaccion":
            periods = f"{frame['anio'].min()}..{frame['anio'].max()}"
        if name not in BELOW_OOAD:
            _insert(con, name, frame, _log_load(con, name, len(frame), periods))
    meetings = frames["reuniones"]
    if len(meetings):
        load_id = _log_load(
            con,
            "acuerdos",
            len(frames["acuerdos"]),
            f"{meetings['fecha_fin'].min():%Y-%m}..{meetings['fecha_fin'].max():%Y-%m}",
        )
        _insert(con, "reuniones", meetings, None)
        _insert(con, "acuerdos", frames["acuerdos"], load_id)
        _insert(con, "acuerdos_corresponsables", frames["acuerdos_corresponsables"], None)
        _insert(con, "acuerdos_historial", frames["acuerdos_historial"], None)
        # History ids were given explicitly; move the sequence past them for later edits.
        con.execute(
            "SELECT max(nextval('seq_acuerdos_historial')) FROM range(?)", [len(frames["acuerdos_historial"])]
        )
    for name in BELOW_OOAD:
        _insert(con, name, frames[name], _log_load(con, name, len(frames[name]), span))
    con.execute(
        "INSERT OR REPLACE INTO ajustes VALUES ('datos_demo', 'si'), ('demo_hasta', ?)",
        [f"{ctx.tl.last:%Y-%m}"],
    )
    con.execute("COMMIT")


def build(path: Path | str | None = None, force: bool = False, today: date | None = None) -> bool:
    """Create the demo warehouse at `path`; False when it exists and `force` is not set.

    The file is built under a temporary name next to the target and renamed into place,
    so a half-built warehouse never appears. The schema comes from warehouse.migrate.
    """
    if is_shared(path):
        return _build_shared(str(location(path)), force, today)
    target = Path(path if path is not None else db_path()).resolve()
    if target.exists() and not force:
        return False
    ctx, frames = generate(today or clock.today())
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.building-{os.getpid()}")
    wal = Path(f"{tmp}.wal")
    for leftover in (tmp, wal):
        leftover.unlink(missing_ok=True)
    # A private connection, not the process-wide cache: building never disturbs (or closes)
    # connections the rest of the process holds.
    con = duckdb.connect(str(tmp))
    try:
        migrate(con)
        write(con, ctx, frames)
        con.execute("CHECKPOINT")
        con.close()
        _add_demo_users(tmp)
        Path(f"{target}.wal").unlink(missing_ok=True)
        os.replace(tmp, target)
    finally:
        con.close()
        for leftover in (tmp, wal):
            leftover.unlink(missing_ok=True)
    return True


def _build_shared(target: str, force: bool, today: date | None) -> bool:
    """Shared mode: build the demo into a temporary DuckDB file, then copy it into the lake."""
    from warehouse.transfer import copy_to_shared

    if data_version(target) and not force:
        return False
    with tempfile.TemporaryDirectory(prefix="cmi-demo-") as folder:
        tmp = Path(folder) / "cmi.duckdb"
        build(tmp, force=True, today=today)
        copy_to_shared(tmp, target, replace=True)
        close(tmp)
    return True


def _add_demo_users(path: Path) -> None:
    """The documented demo accounts, one per role, written before the file is renamed into place."""
    from access.users import create_demo_users
    from warehouse.connection import close

    try:
        create_demo_users(path)
        with cursor(path) as cur:
            cur.execute("CHECKPOINT")
    finally:
        close(path)


def table_checksums(path: Path | str) -> dict[str, str]:
    """Row count and an order-independent hash of every demo table (determinism checks).

    Reads through the process-wide connection; call warehouse.close_all() when done.
    """
    out: dict[str, str] = {}
    with cursor(path) as cur:
        for table in CHECKSUM_TABLES:
            skip = VOLATILE_COLUMNS.get(table, set())
            cols = [r[0] for r in cur.execute(f"DESCRIBE {table}").fetchall() if r[0] not in skip]
            count, digest = one_row(
                cur, f"SELECT count(*), coalesce(bit_xor(hash({', '.join(cols)})), 0) FROM {table}"
            )
            out[table] = f"{count}:{digest}"
    return out

"""Load one planner file: sniff, detect the dataset, stage, validate, write atomically, record."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from loaders import agreements, asg, workbook
from loaders.contracts import CONTRACTS, Contract, UnknownDatasetError, contract
from loaders.findings import LoadResult
from loaders.readers import peek_columns, stage
from loaders.sniff import FileInfo, sniff
from loaders.store import (
    MODES,
    Refused,
    archive,
    duplicate_of,
    duplicate_refusal,
    new_load_id,
    overlap_findings,
    periods_text,
    record_load,
    refuse,
)
from loaders.validate import validate
from warehouse import cursor, transaction
from warehouse.audit import audit

REFUSED_AUDIT = "carga_rechazada"


def detect_dataset(info: FileInfo) -> str | None:
    """The dataset a file holds, from its header (or workbook sheets and file name)."""
    if info.kind == "xlsx" and workbook.is_catalog_workbook(info.path):
        return "delegaciones"
    columns = info.columns or peek_columns(info)
    if asg.is_asg_header(columns):
        return "asg"
    stem = Path(info.name).stem.lower()
    by_name = [n for n in CONTRACTS if stem.startswith(n)]
    cols = set(columns)
    best, best_score = None, 0
    for name, c in CONTRACTS.items():
        required = {col.name for col in c.columns if col.required}
        if not required <= cols:
            continue
        score = len(cols & set(c.names)) * 10 - len(cols - set(c.names)) + (5 if name in by_name else 0)
        if score > best_score:
            best, best_score = name, score
    if best is None and len(by_name) == 1:
        return by_name[0]
    return best


def load_file(
    path: Path | str,
    dataset: str | None = None,
    mode: str = "agregar",
    user: str = "planeacion",
    period: date | None = None,
    sheet: str | None = None,
    name: str | None = None,
    db: Path | str | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> LoadResult:
    """Validate and load a file; nothing changes unless the whole load commits.

    `name` is the file name to report (the uploaded name when `path` is a temporary copy);
    `period` is the month of an asg file whose name does not carry it; `dry_run` validates only.
    A refused load (not a dry run) is written to the audit log after its transaction rolled back;
    a successful one is audited inside it (`store.record_load`).
    """
    result = _load_file(path, dataset, mode, user, period, sheet, name, db, dry_run, today)
    if not dry_run and result.status in ("rechazada", "duplicada"):
        shown = result.message.replace("\n", " ")[:300]
        detail = (
            f"conjunto={result.dataset or '?'}; archivo={result.file}; hallazgos={result.report.total};"
            f" motivo={shown}"
        )
        audit(user, REFUSED_AUDIT, detail, path=db)
    return result


def _load_file(
    path: Path | str,
    dataset: str | None,
    mode: str,
    user: str,
    period: date | None,
    sheet: str | None,
    name: str | None,
    db: Path | str | None,
    dry_run: bool,
    today: date | None,
) -> LoadResult:
    info = sniff(path, name)
    file = info.name
    if mode not in MODES:
        return LoadResult(
            "rechazada", dataset or "", file, message=f"Modo desconocido «{mode}»: use agregar o reemplazar."
        )
    dataset = dataset or detect_dataset(info)
    if dataset is None:
        return LoadResult(
            "rechazada",
            "",
            file,
            message="No se reconoció el conjunto de datos por sus columnas; elíjalo explícitamente (--dataset).",
            details=info.describe(),
        )
    if dataset == "asg":
        return asg.load(info, mode=mode, user=user, period=period, db=db, dry_run=dry_run, today=today)
    if dataset == "delegaciones":
        return workbook.load(info, user=user, db=db, dry_run=dry_run)
    try:
        c = contract(dataset)
    except UnknownDatasetError as exc:
        return LoadResult("rechazada", dataset, file, message=str(exc.args[0]))
    if not c.is_table and mode != "agregar":
        return LoadResult(
            "rechazada",
            dataset,
            file,
            message=(
                f"«{c.title}» solo se carga en modo «agregar»: cada fila es un acuerdo nuevo y recibe"
                " un folio nuevo. Para corregir un acuerdo ya registrado, use su ficha."
            ),
        )
    try:
        if dry_run:
            with cursor(db) as cur:
                return _load(cur, info, c, mode, user, sheet, dry_run=True, today=today)
        with transaction(db) as cur:
            return _load(cur, info, c, mode, user, sheet, dry_run=False, today=today)
    except Refused as exc:
        exc.result.details = exc.result.details or info.describe()
        return exc.result


def _load(
    cur: duckdb.DuckDBPyConnection,
    info: FileInfo,
    c: Contract,
    mode: str,
    user: str,
    sheet: str | None,
    dry_run: bool,
    today: date | None,
) -> LoadResult:
    file = info.name
    names, report = stage(cur, info, sheet)
    if not report.ok:
        raise refuse(c.name, file, report.summary(), report)
    report = validate(cur, c, names, file, today)
    if not report.ok:
        raise refuse(c.name, file, report.summary(), report)
    rows = int(cur.execute("SELECT count(*) FROM _conv").fetchone()[0])
    if rows == 0:
        raise refuse(c.name, file, "El archivo no tiene filas de datos; no se cargó nada.")
    part = f'"{c.partition}"'
    parts = [r[0] for r in cur.execute(f"SELECT DISTINCT {part} FROM _conv ORDER BY 1").fetchall()]
    periods = periods_text(parts) if c.partition != "folio" else f"{len(parts)} folios"
    dup = duplicate_of(cur, c.name, info.sha256)
    if dup:
        raise duplicate_refusal(c.name, file, dup)
    if not c.is_table:
        return _register(cur, info, c, user, rows, parts, dry_run)
    if mode == "agregar":
        overlap = overlap_findings(cur, c.table, c.partition, file)
        if not overlap.ok:
            raise refuse(c.name, file, overlap.summary(), overlap)
    result = LoadResult(
        "validada", c.name, file, rows=rows, periods=[str(p)[:7] for p in parts], details=info.describe()
    )
    if dry_run:
        result.message = f"Archivo válido: {rows:,} filas de {periods}. Confirme para cargarlo."
        return result
    load_id = new_load_id(cur)
    replaced = 0
    if mode == "reemplazar" and c.name == "acuerdos":
        stale = agreements.replace_history(cur, c, file, user, load_id)
        if not stale.ok:
            raise refuse(c.name, file, stale.summary(), stale)
    if mode == "reemplazar":
        replaced = archive(cur, c.table, f"{part} IN (SELECT DISTINCT {part} FROM _conv)", [], load_id)
    cols = ", ".join(f'"{n}"' for n in c.names)
    cur.execute(
        f'INSERT INTO "{c.table}" ({cols}, carga_id) SELECT {cols}, ? FROM _conv ORDER BY _fila', [load_id]
    )
    if mode == "reemplazar" and c.name == "acuerdos":
        agreements.bump_versions(cur, load_id)
    record_load(cur, load_id, c.name, file, info.sha256, rows, user, mode, periods)
    result.status, result.load_id = "cargada", load_id
    swap = f"; reemplazó {replaced:,} filas anteriores" if replaced else ""
    result.message = f"Carga {load_id}: {rows:,} filas de «{c.title}» ({periods}){swap}."
    return result


def _register(
    cur: duckdb.DuckDBPyConnection,
    info: FileInfo,
    c: Contract,
    user: str,
    rows: int,
    meetings: list,
    dry_run: bool,
) -> LoadResult:
    """A registration contract (acuerdos_registro): new agreements with folios, in this transaction."""
    file = info.name
    what = f"reunión {periods_text(meetings)}"
    result = LoadResult(
        "validada", c.name, file, rows=rows, periods=[str(m) for m in meetings], details=info.describe()
    )
    if dry_run:
        result.message = (
            f"Archivo válido: {rows:,} acuerdos nuevos de la {what}. Confirme para registrarlos;"
            " los folios se asignan al cargar."
        )
        return result
    load_id = new_load_id(cur)
    folios = agreements.register(cur, c, file, user, load_id)
    record_load(cur, load_id, c.name, file, info.sha256, rows, user, "agregar", what)
    result.status, result.load_id, result.folios = "cargada", load_id, folios
    result.message = (
        f"Carga {load_id}: se registraron {rows:,} acuerdos de la {what}"
        f" con folios {agreements.folio_span(folios)}."
    )
    return result

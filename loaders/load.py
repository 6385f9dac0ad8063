"""Load one planner file: sniff, detect the dataset, stage, validate, write atomically, record."""

from __future__ import annotations

import errno
import zipfile
from datetime import date
from pathlib import Path

import duckdb

from loaders import agreements, asg, merge, plausibility, workbook
from loaders.budget import Budget, OverBudget
from loaders.contracts import CONTRACTS, KEY_ALIASES, Contract, GrainError, UnknownDatasetError, contract
from loaders.findings import LoadResult
from loaders.guard import UnreadableFile, check_file
from loaders.readers import peek_columns, stage
from loaders.sniff import FileInfo, UnreadableFileError, sniff
from loaders.store import (
    MODES,
    Refused,
    duplicate_of,
    duplicate_refusal,
    new_load_id,
    periods_text,
    record_load,
    refuse,
)
from loaders.validate import validate
from warehouse import clock, cursor, is_conflict, retry_on_conflict, transaction
from warehouse.audit import audit
from warehouse.rows import scalar

REFUSED_AUDIT = "carga_rechazada"
FAILED_AUDIT = "carga_fallida"
# What a reader raises on a file it cannot read: a refusal in Spanish, never a traceback.
UNREADABLE = (duckdb.Error, UnicodeError, zipfile.BadZipFile, EOFError)
# DuckDB errors that mean our own SQL or schema is wrong, whatever the file: an incident, not «dañado».
SYSTEM_ERRORS = (
    duckdb.BinderException,
    duckdb.CatalogException,
    duckdb.ParserException,
    duckdb.InternalException,
)


def unreadable_message(file: str, exc: BaseException) -> str:
    """The Spanish refusal for a file its reader failed on (the reader's own text is English)."""
    if getattr(exc, "errno", None) == errno.ENOSPC or "No space left on device" in str(exc):
        return (
            f"El disco del servidor se llenó al cargar «{file}»; la carga se deshizo completa y el almacén"
            " quedó como estaba. Avise al administrador para liberar espacio."
        )
    if isinstance(exc, FileNotFoundError):
        return f"No se encontró el archivo «{file}»."
    if isinstance(exc, UnicodeError) or "encod" in str(exc).lower() or "unicode" in str(exc).lower():
        return (
            f"«{file}» tiene caracteres que no son UTF-8 ni Latin-1 (¿Shift-JIS u otra codificación?). "
            "Guárdelo como «CSV UTF-8» y vuelva a cargarlo."
        )
    return (
        f"No se pudo leer «{file}»: el archivo está dañado o no es un CSV, Parquet o Excel .xlsx válido. "
        "Nada cambió."
    )


def refuse_upload(user: str, file: str, message: str, db: Path | str | None = None) -> None:
    """Audit an upload refused before validation (unreadable, too big): one row per refusal."""
    audit(user, REFUSED_AUDIT, f"archivo={file}; motivo={message[:300]}", path=db)


def detect_dataset(info: FileInfo) -> str | None:
    """The dataset a file holds, from its header (or workbook sheets and file name)."""
    if info.kind == "xlsx" and workbook.is_catalog_workbook(info.path):
        return "delegaciones"
    columns = [KEY_ALIASES.get(c, c) for c in info.columns or peek_columns(info)]
    if asg.is_asg_header(columns):
        return "asg"
    stem = Path(info.name).stem.lower()
    by_name = [n for n in CONTRACTS if stem.startswith(n)]
    cols = set(columns)
    best, best_score = None, 0
    for name, c in CONTRACTS.items():
        try:
            at = c.at(c.grain_of(columns))
        except GrainError:
            at = c
        required = {col.name for col in at.columns if col.required}
        if not required <= cols or (at is not c and not cols & set(at.measures)):
            continue
        score = len(cols & set(c.names)) * 10 - len(cols - set(c.names)) + (5 if name in by_name else 0)
        if score > best_score:
            best, best_score = name, score
    if best is None and len(by_name) == 1:
        return by_name[0]
    return best


@retry_on_conflict  # shared mode: another process committed to the same table first; load again
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
    accept_warnings: bool = False,
) -> LoadResult:
    """Validate and load a file; nothing changes unless the whole load commits.

    `name` is the file name to report (the uploaded name when `path` is a temporary copy);
    `period` is the month of an asg file whose name does not carry it; `dry_run` validates only.
    A valid file with plausibility warnings (`result.cautions`) loads only with `accept_warnings`.
    A refused load (not a dry run) is written to the audit log after its transaction rolled back;
    a successful one is audited inside it (`store.record_load`).
    """
    file = name or Path(path).name
    try:
        result = _load_file(
            path, dataset, mode, user, period, sheet, name, db, dry_run, today, accept_warnings
        )
    except Exception as exc:
        if is_conflict(exc):  # shared mode: nothing was written; retry_on_conflict loads again
            raise
        if isinstance(exc, SYSTEM_ERRORS) or not isinstance(exc, (*UNREADABLE, OSError)):
            # a bug, not the file: recorded, then raised (pages show it as an incident with a number)
            audit(
                user,
                FAILED_AUDIT,
                f"conjunto={dataset or '?'}; archivo={file}; error={type(exc).__name__}",
                path=db,
            )
            raise
        result = LoadResult("rechazada", dataset or "", file, message=unreadable_message(file, exc))
    if not dry_run and result.status in ("rechazada", "duplicada"):
        shown = result.message.replace("\n", " ")[:300]
        detail = (
            f"conjunto={result.dataset or '?'}; archivo={result.file}; hallazgos={result.report.total};"
            f" motivo={shown}"
        )
        if result.cautions.total:
            listed = " | ".join(f.message for f in result.cautions.findings)[:600]
            detail += f"; advertencias={result.cautions.total}: {listed}"
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
    accept: bool,
) -> LoadResult:
    try:
        info = sniff(path, name)
    except UnreadableFileError as exc:
        return LoadResult("rechazada", dataset or "", name or Path(path).name, message=str(exc))
    file = info.name
    try:
        check_file(info.path, file, info.kind, columns=len(info.columns))
    except UnreadableFile as exc:
        return LoadResult("rechazada", dataset or "", file, message=str(exc), details=info.describe())
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
        with Budget(file) as budget:  # a file that keeps the loader busy too long is refused
            if dry_run:
                with cursor(db) as cur:
                    return _load(budget.watch(cur), info, c, mode, user, sheet, dry_run=True, today=today)
            with transaction(db) as cur:
                result = _load(
                    budget.watch(cur), info, c, mode, user, sheet, dry_run=False, today=today, accept=accept
                )
                budget.check()  # done, but late: refused all the same, and the transaction rolls back
                return result
    except Refused as exc:
        exc.result.details = exc.result.details or info.describe()
        return exc.result
    except OverBudget as exc:
        return LoadResult("rechazada", c.name, file, message=str(exc), details=info.describe())


def apply_aliases(cur: duckdb.DuckDBPyConnection, names: list[str]) -> list[str]:
    """Rename header names real files use for a key column (`cve_ent`) to the contract's name."""
    renames = {n: KEY_ALIASES[n] for n in names if n in KEY_ALIASES and KEY_ALIASES[n] not in names}
    if not renames:
        return names
    kept = ", ".join(f'"{n}" AS "{renames.get(n, n)}"' for n in ["_fila", *names])
    cur.execute("ALTER VIEW _src RENAME TO _src_archivo")
    cur.execute(f"CREATE TEMP VIEW _src AS SELECT {kept} FROM _src_archivo")
    return [renames.get(n, n) for n in names]


def _load(
    cur: duckdb.DuckDBPyConnection,
    info: FileInfo,
    c: Contract,
    mode: str,
    user: str,
    sheet: str | None,
    dry_run: bool,
    today: date | None,
    accept: bool = False,
) -> LoadResult:
    file = info.name
    today = today or clock.today()
    names, report = stage(cur, info, sheet)
    if not report.ok:
        raise refuse(c.name, file, report.summary(), report)
    names = apply_aliases(cur, names)
    try:
        grain = c.grain_of(names)
    except GrainError as exc:
        raise refuse(c.name, file, str(exc)) from None
    base, c = c, c.at(grain)
    if grain is not None and not set(c.measures) & set(names):
        raise refuse(
            c.name,
            file,
            f"El archivo no trae ninguna medida de «{base.title}»: use al menos una de {', '.join(c.measures)}.",
        )
    report = validate(cur, c, names, file, today)
    if not report.ok:
        raise refuse(c.name, file, report.summary(), report)
    rows = int(scalar(cur, "SELECT count(*) FROM _conv"))
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
        overlap = merge.overlap_findings(cur, c, file)
        if not overlap.ok:
            raise refuse(c.name, file, overlap.summary(), overlap)
    result = LoadResult(
        "validada", c.name, file, rows=rows, periods=[str(p)[:7] for p in parts], details=info.describe()
    )
    broken = merge.invariant_findings(cur, c, file, mode)
    if not broken.ok:
        raise refuse(c.name, file, broken.summary(), broken)
    result.changes = merge.changes_text(cur, c, names, parts)
    if c.whole and mode == "reemplazar":
        result.changes.append(merge.removed_text(cur, c) or "El archivo trae todas las filas que ya había.")
    result.cautions = plausibility.check(cur, c, names, file, mode, parts, today)
    where = f"«{c.title}»"
    if dry_run:
        result.message = f"Archivo válido: {rows:,} filas de {where} ({periods}). Confirme para cargarlo."
        if result.cautions.total:
            result.message += (
                f" Tiene {_warnings_text(result.cautions.total)}: revíselas y acéptelas al confirmar."
            )
        return result
    if result.cautions.total and not accept:
        raise refuse(
            c.name,
            file,
            f"El archivo es válido pero tiene {_warnings_text(result.cautions.total)}; no se cargó y nada"
            " cambió. Revíselas y, si son correctas, confirme la carga (en la línea de comandos,"
            " --aceptar-advertencias).",
            cautions=result.cautions,
            changes=result.changes,
        )
    load_id = new_load_id(cur)
    if mode == "reemplazar" and c.name == "acuerdos":
        stale = agreements.replace_history(cur, c, file, user, load_id)
        if not stale.ok:
            raise refuse(c.name, file, stale.summary(), stale)
    replaced = merge.write(cur, c, names, mode, load_id)
    if mode == "reemplazar" and c.name == "acuerdos":
        agreements.bump_versions(cur, load_id)
    accepted = "; ".join(f.message for f in result.cautions.findings) if result.cautions.total else None
    record_load(cur, load_id, c.name, file, info.sha256, rows, user, mode, periods, warnings=accepted)
    result.status, result.load_id = "cargada", load_id
    swap = f"; reemplazó {replaced:,} filas anteriores" if replaced else ""
    result.message = f"Carga {load_id}: {rows:,} filas de {where} ({periods}){swap}."
    if result.cautions.total:
        n = result.cautions.total
        result.message += " Se aceptó 1 advertencia." if n == 1 else f" Se aceptaron {n:,} advertencias."
    return result


def _warnings_text(count: int) -> str:
    return "1 advertencia" if count == 1 else f"{count:,} advertencias"


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

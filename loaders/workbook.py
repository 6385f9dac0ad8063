"""The official catalog workbook `diccionario_de_datos_1.xlsx`: delegación/subdelegación -> OOAD.

Sheet `delegación-subdelegación`, real headers on row 2. Each delegación keeps the OOAD the
catalog gives its code (`ooad.cve_delegacion_imss`); a code the catalog lacks is matched by name
to an OOAD; what still has no OOAD is listed in a warning and its jobs go to «Sin asignar».
A load replaces both mapping tables whole (archived, so it can be undone).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from loaders.findings import Finding, LoadResult, Report
from loaders.readers import excel_rows, sheet_names
from loaders.sniff import FileInfo, normalize_column
from loaders.store import Refused, archive, duplicate_of, duplicate_refusal, new_load_id, record_load, refuse
from warehouse import transaction

DATASET = "delegaciones"
SHEET_KEY = "delegacion_subdelegacion"
_SYNONYMS = {
    "norte del distrito federal": "ciudad de mexico norte",
    "sur del distrito federal": "ciudad de mexico sur",
    "df norte": "ciudad de mexico norte",
    "df sur": "ciudad de mexico sur",
    "mexico oriente": "estado de mexico oriente",
    "mexico poniente": "estado de mexico poniente",
    "oriente del estado de mexico": "estado de mexico oriente",
    "poniente del estado de mexico": "estado de mexico poniente",
}


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = re.sub(r"\b(delegacion|estatal|regional|en|el)\b", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return _SYNONYMS.get(text, text)


def _sheet(path: Path) -> str | None:
    try:
        names = sheet_names(str(path))
    except Exception:  # not a readable workbook
        return None
    return next((n for n in names if normalize_column(n) == SHEET_KEY), None)


def is_catalog_workbook(path: Path) -> bool:
    return _sheet(path) is not None


def _columns(header: list[str]) -> dict[str, int]:
    """Positions of delegación code/name and subdelegación code/name in the header row."""
    found: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = normalize_column(raw or "")
        sub = "subdelegacion" in name
        if "delegacion" not in name:
            continue
        is_code = name.startswith(("cve", "clave", "id", "num", "no_")) or name.endswith(("_cve", "clave"))
        key = ("sub_" if sub else "del_") + ("code" if is_code else "name")
        found.setdefault(key, i)
    return found


def _read(path: Path, file: str) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    sheet = _sheet(path)
    rows = excel_rows(str(path), sheet)
    cols: dict[str, int] = {}
    for _number, cells in rows:
        cols = _columns([c or "" for c in cells])
        if {"del_code", "del_name"} <= set(cols):
            break
    if not {"del_code", "del_name"} <= set(cols):
        report = Report()
        report.add(
            Finding(
                file, 2, "cve_delegacion", None, "no se encontró el encabezado de delegaciones en la hoja"
            )
        )
        raise refuse(DATASET, file, report.summary(), report)
    delegs: dict[str, str] = {}
    subs: dict[tuple[str, str], str] = {}
    for _number, cells in rows:

        def cell(key: str, cells: list = cells) -> str | None:
            i = cols.get(key)
            return cells[i] if i is not None and i < len(cells) else None

        code = cell("del_code")
        if not code:
            continue
        code = code.lstrip("0") or "0"
        delegs.setdefault(code, cell("del_name") or code)
        sub = cell("sub_code")
        if sub:
            subs.setdefault((code, sub.lstrip("0") or "0"), cell("sub_name") or sub)
    return list(delegs.items()), [(d, s, n) for (d, s), n in subs.items()]


def load(
    info: FileInfo, user: str = "planeacion", db: Path | str | None = None, dry_run: bool = False
) -> LoadResult:
    """Replace the delegación/subdelegación mapping with the workbook's."""
    file = info.name
    try:
        delegs, subs = _read(info.path, file)
        with transaction(db) as cur:
            dup = duplicate_of(cur, DATASET, info.sha256)
            if dup:
                raise duplicate_refusal(DATASET, file, dup)
            ooads = cur.execute(
                "SELECT cve_ooad, nombre, ltrim(cve_delegacion_imss, '0') FROM ooad WHERE cve_ooad <> '99'"
            ).fetchall()
            by_code = {d: o for o, _n, d in ooads if d}
            by_name = {_plain(n): o for o, n, _d in ooads}
            mapped = [(code, name, by_code.get(code) or by_name.get(_plain(name))) for code, name in delegs]
            load_id = new_load_id(cur)
            archive(cur, "delegaciones_imss", "TRUE", [], load_id)
            archive(cur, "subdelegaciones_imss", "TRUE", [], load_id)
            cur.executemany(
                "INSERT INTO delegaciones_imss VALUES (?, ?, ?, ?)", [(*m, load_id) for m in mapped]
            )
            if subs:
                cur.executemany(
                    "INSERT INTO subdelegaciones_imss VALUES (?, ?, ?, ?)", [(*s, load_id) for s in subs]
                )
            record_load(
                cur,
                load_id,
                DATASET,
                file,
                info.sha256,
                len(mapped) + len(subs),
                user,
                "reemplazar",
                "catálogo",
            )
            unmatched = [f"{c} {n}" for c, n, o in mapped if o is None]
            result = LoadResult(
                "cargada",
                DATASET,
                file,
                load_id=load_id,
                rows=len(mapped) + len(subs),
                message=f"Carga {load_id}: {len(mapped)} delegaciones y {len(subs)} subdelegaciones.",
                details=info.describe(),
            )
            if unmatched:
                result.warnings.append(
                    "Delegaciones sin OOAD (sus puestos irán a «Sin asignar»): " + "; ".join(unmatched) + "."
                )
            if dry_run:
                result.status = "validada"
                raise Refused(result)
            return result
    except Refused as exc:
        return exc.result

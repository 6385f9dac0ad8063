"""A quick look at a file before loading it: what it is and its first rows (no validation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from loaders.guard import check_file
from loaders.load import detect_dataset
from loaders.readers import columns_literal, excel_rows
from loaders.sniff import FileInfo, sniff

PREVIEW_ROWS = 20


@dataclass
class Inspection:
    """Sniffing results, the detected dataset and the first rows, for the upload page."""

    info: FileInfo
    dataset: str | None
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)

    def details(self) -> dict[str, str]:
        out = self.info.describe()
        out["conjunto detectado"] = self.dataset or "no reconocido"
        return out


def preview(info: FileInfo, limit: int = PREVIEW_ROWS) -> pd.DataFrame:
    """The first rows of a file as text, read by DuckDB (openpyxl for Excel)."""
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        path = str(info.path)
        if info.kind == "parquet":
            return con.execute("SELECT * FROM read_parquet(?) LIMIT ?", [path, limit]).df()
        if info.kind == "xlsx":
            rows = []
            for _n, cells in excel_rows(path):
                rows.append(cells)
                if len(rows) > limit:
                    break
            if not rows:
                return pd.DataFrame()
            width = max(len(r) for r in rows)
            header = [
                str(h or f"columna_{i + 1}") for i, h in enumerate(rows[0] + [None] * (width - len(rows[0])))
            ]
            return pd.DataFrame([r + [None] * (width - len(r)) for r in rows[1:]], columns=header)
        names = info.header or info.columns
        types = dict.fromkeys((c or f"columna_{i + 1}" for i, c in enumerate(names)), "VARCHAR")
        if len(types) != len(names):
            types = {f"columna_{i + 1}": "VARCHAR" for i in range(len(names))}
        sql = (
            f"SELECT * FROM read_csv(?, delim = ?, header = true, columns = {columns_literal(types)}, "
            "encoding = ?, auto_detect = false, ignore_errors = true) LIMIT ?"
        )
        frame = con.execute(sql, [path, info.delimiter, info.duckdb_encoding, limit]).df()
        return frame
    finally:
        con.close()


def inspect(path: Path | str, name: str | None = None) -> Inspection:
    """Sniff a file, detect its dataset and read its first rows (UnreadableFile: refused first)."""
    info = sniff(path, name)
    check_file(info.path, info.name, info.kind, columns=len(info.columns))
    return Inspection(info=info, dataset=detect_dataset(info), rows=preview(info))

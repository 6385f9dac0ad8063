"""What a file must be before anything parses it: text for a CSV, whole for Parquet, small for Excel.

An `.xlsx` is a zip of XML: 196 KB can hold a 200 MB cell, 589 KB three hundred thousand rows.
Each sheet is decompressed as a stream (1 MB at a time, never whole) and the workbook is refused,
in Spanish, as soon as it passes a cap — compressed size, uncompressed size, rows or one cell —
before openpyxl sees it. CSV and Parquet files get the checks their readers would fail on with
an English message: UTF-16, binary bytes, no header, a truncated Parquet footer.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from warehouse.errors import UserError

XLSX_MAX_BYTES = 50_000_000  # compressed
XLSX_MAX_UNCOMPRESSED = 300_000_000  # all parts together, counted while decompressing
XLSX_MAX_ROWS = 100_000  # larger tables travel as CSV or Parquet
XLSX_MAX_CELL_BYTES = 256 * 1024  # Excel's own cell limit is 32,767 characters (≤ 6 bytes each in XML)
CHUNK = 1 << 20
SAMPLE = 64 * 1024

_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_LONG_TEXT = re.compile(rb"[^<]{%d,}" % XLSX_MAX_CELL_BYTES)


class UnreadableFile(UserError, ValueError):
    """A file refused before parsing; the message (Spanish) names the file and what to do."""


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


def check_file(path: Path | str, name: str | None = None, kind: str = "csv") -> None:
    """Refuse (UnreadableFile) a file its reader would choke on; `kind` is csv, parquet or xlsx."""
    path = Path(path)
    name = name or path.name
    if kind == "xlsx":
        check_workbook(path, name)
    elif kind == "parquet":
        _check_parquet(path, name)
    else:
        _check_text(path, name)


def _check_text(path: Path, name: str) -> None:
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(sample):
        raise UnreadableFile(
            f"«{name}» está en UTF-16 (Unicode de Windows). Ábralo y guárdelo como «CSV UTF-8» "
            "(o CSV delimitado por comas) y vuelva a cargarlo."
        )
    if b"\x00" in sample:
        raise UnreadableFile(
            f"«{name}» no es un archivo de texto CSV (contiene bytes binarios). "
            "Cargue un CSV, un Parquet o un libro de Excel .xlsx."
        )
    if not sample.strip(b"\xef\xbb\xbf \t\r\n;,|"):
        raise UnreadableFile(f"«{name}» está vacío: no tiene encabezado ni filas de datos.")


def _looks_utf16(sample: bytes) -> bool:
    """UTF-16 without a BOM: ASCII text with a NUL in every other byte."""
    head = sample[:2000]
    if len(head) < 8:
        return False
    odd, even = head[1::2], head[0::2]
    return odd.count(0) > 0.4 * len(odd) or even.count(0) > 0.4 * len(even)


def _check_parquet(path: Path, name: str) -> None:
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(max(size - 4, 0))
        tail = fh.read(4)
    if size < 12 or head != b"PAR1" or tail != b"PAR1":
        raise UnreadableFile(
            f"«{name}» no es un archivo Parquet completo (está truncado o dañado). "
            "Vuelva a generarlo o a copiarlo y cárguelo de nuevo."
        )


def check_workbook(path: Path | str, name: str | None = None) -> None:
    """Stream every XML part of an .xlsx and refuse it at the first cap it passes."""
    path = Path(path)
    name = name or path.name
    size = path.stat().st_size
    if size > XLSX_MAX_BYTES:
        raise UnreadableFile(
            f"«{name}» pesa {_mb(size)}; los libros de Excel se aceptan hasta {_mb(XLSX_MAX_BYTES)}. "
            "Guárdelo como CSV o Parquet."
        )
    try:
        with zipfile.ZipFile(path) as book:
            total = 0
            for entry in book.infolist():
                if entry.is_dir():
                    continue
                total = _scan_part(book, entry, name, total)
    except zipfile.BadZipFile:
        raise UnreadableFile(
            f"«{name}» no es un libro de Excel .xlsx válido (está dañado o es de otro tipo). "
            "Ábralo en Excel y guárdelo como .xlsx, o cárguelo como CSV."
        ) from None


def _scan_part(book: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str, total: int) -> int:
    """Decompress one part chunk by chunk, counting bytes, rows and the longest text run."""
    is_sheet = entry.filename.startswith("xl/worksheets/")
    is_xml = entry.filename.endswith((".xml", ".rels"))  # images and macros are binary: size only
    rows = 0
    pending = b""  # from the last '<' on: a tag or a cell's text may go on in the next chunk
    with book.open(entry) as part:
        while chunk := part.read(CHUNK):
            total += len(chunk)
            if total > XLSX_MAX_UNCOMPRESSED:
                raise UnreadableFile(
                    f"«{name}» ocupa más de {_mb(XLSX_MAX_UNCOMPRESSED)} al descomprimirse; "
                    "guárdelo como CSV o Parquet."
                )
            if not is_xml:
                continue
            text = pending + chunk
            if _LONG_TEXT.search(text):
                raise UnreadableFile(
                    f"«{name}» tiene una celda de más de {XLSX_MAX_CELL_BYTES // 1024:,} KB de texto "
                    "(Excel admite 32,767 caracteres por celda); revise el archivo."
                )
            cut = max(text.rfind(b"<"), 0)
            pending = text[cut:]
            if is_sheet:
                rows += len(_ROW.findall(text, 0, cut))
                if rows > XLSX_MAX_ROWS + 1:  # plus the header
                    raise UnreadableFile(
                        f"«{name}» tiene más de {XLSX_MAX_ROWS:,} filas; los libros de Excel se aceptan "
                        "hasta ese tamaño. Guárdelo como CSV (o Parquet) y cárguelo así."
                    )
    return total

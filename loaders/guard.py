"""What a file must be before anything parses it: text for a CSV, whole for Parquet, small for Excel.

An `.xlsx` is a zip of XML: 196 KB can hold a 200 MB cell, 589 KB three hundred thousand rows.
Each sheet is decompressed as a stream (1 MB at a time, never whole) and the workbook is refused,
in Spanish, as soon as it passes a cap — compressed size, uncompressed size, rows or one cell —
before openpyxl sees it. CSV and Parquet files get the checks their readers would fail on with
an English message: UTF-16, binary bytes, no header, a truncated Parquet footer.

What a workbook becomes when read is capped too, not only what it weighs: 42 KB whose cells all
point at one 261 KB shared string grew the process to 3.46 GB (issue 27). The scan notes the
length of every shared string first, then adds, for each cell of a sheet that points at one, the
length it points at (count × length), and measures the rectangle of cells the reader fills (last
row × last column with a value). Every format has a cap on columns, read from the CSV header line
or the Parquet footer before anything else: 20,000 Parquet columns kept the loader busy > 300 s.
"""

from __future__ import annotations

import re
import zipfile
from array import array
from pathlib import Path

from warehouse.errors import UserError

XLSX_MAX_BYTES = 50_000_000  # compressed
XLSX_MAX_UNCOMPRESSED = 300_000_000  # all parts together, counted while decompressing
XLSX_MAX_ROWS = 100_000  # larger tables travel as CSV or Parquet
XLSX_MAX_CELL_BYTES = 256 * 1024  # Excel's own cell limit is 32,767 characters (≤ 6 bytes each in XML)
XLSX_MAX_TEXT = 100_000_000  # shared-string text the cells expand to: Σ over cells of the length pointed at
XLSX_MAX_CELLS = 5_000_000  # the rectangle the reader fills: last row × last column with a value
MAX_COLUMNS = 500  # per file, every format; the widest contract has 17, an IMSS asg file about 30
PARQUET_MAX_FOOTER = 16_000_000  # the schema and row-group index, read before the data
CHUNK = 1 << 20
SAMPLE = 64 * 1024

_LONG_TEXT = re.compile(rb"[^<]{%d,}" % XLSX_MAX_CELL_BYTES)
_SHARED = "xl/sharedStrings.xml"
_ROW = re.compile(rb"<row[\s>/]")
_ROW_NUMBER = re.compile(rb"<row\b[^>]*?\br=[\"']([0-9]+)[\"']")
_CELL_COLUMN = re.compile(rb"<c r=[\"']([A-Z]{1,3})[0-9]")
# one shared string: <si>…</si> (or <si/>), namespaced or not
_SI = re.compile(rb"<(/?)(?:\w+:)?si\b([^>]*)>")
# in a sheet: a row, a cell (its attributes), a value (<v>, its leading digits) or an inline string
_SHEET_TAG = re.compile(rb"<(?:\w+:)?(?:(row)\b([^>]*)|(c)\b([^>]*)|(v|is)>([0-9]*))")
_REF = re.compile(rb"\br=[\"']([A-Z]{0,3})([0-9]+)[\"']")
_SHARED_TYPE = re.compile(rb"\bt=[\"']s[\"']")


class UnreadableFile(UserError, ValueError):
    """A file refused before parsing; the message (Spanish) names the file and what to do."""


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


def check_file(
    path: Path | str, name: str | None = None, kind: str = "csv", columns: int | None = None
) -> None:
    """Refuse (UnreadableFile) a file its reader would choke on; `kind` is csv, parquet or xlsx.

    `columns` is a CSV's header width as sniffed (`len(FileInfo.columns)`); a Parquet file's is
    read from its footer, a workbook's from the cells themselves.
    """
    path = Path(path)
    name = name or path.name
    if kind == "xlsx":
        check_workbook(path, name)
    elif kind == "parquet":
        _check_parquet(path, name)
    else:
        _check_text(path, name)
        if columns is not None and columns > MAX_COLUMNS:
            raise _too_wide(name, columns, "su encabezado (fila 1)")


def _too_wide(name: str, columns: int, where: str) -> UnreadableFile:
    return UnreadableFile(
        f"«{name}» tiene {columns:,} columnas en {where}; los archivos se aceptan hasta "
        f"{MAX_COLUMNS:,} columnas. Quite las que sobran y vuelva a cargarlo."
    )


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
        raise _not_whole_parquet(name)
    with path.open("rb") as fh:
        fh.seek(size - 8)
        footer = int.from_bytes(fh.read(4), "little")
    if footer > size - 12:
        raise _not_whole_parquet(name)
    if footer > PARQUET_MAX_FOOTER:
        raise UnreadableFile(
            f"«{name}» trae {_mb(footer)} de esquema e índice (más de {_mb(PARQUET_MAX_FOOTER)}): demasiadas "
            f"columnas o grupos de filas. Los archivos se aceptan hasta {MAX_COLUMNS:,} columnas; "
            "vuelva a generarlo con menos."
        )
    import pyarrow.lib
    import pyarrow.parquet as pq

    try:
        columns = pq.read_metadata(path).num_columns
    except (OSError, pyarrow.lib.ArrowException):
        raise _not_whole_parquet(name) from None
    if columns > MAX_COLUMNS:
        raise _too_wide(name, columns, "su esquema")


def _not_whole_parquet(name: str) -> UnreadableFile:
    return UnreadableFile(
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
            scan = _BookScan(name)
            # the shared strings first, wherever the zip keeps them: the sheets point into them
            parts = sorted(
                (e for e in book.infolist() if not e.is_dir()), key=lambda e: e.filename != _SHARED
            )
            for entry in parts:
                scan.part(book, entry)
    except zipfile.BadZipFile:
        raise UnreadableFile(
            f"«{name}» no es un libro de Excel .xlsx válido (está dañado o es de otro tipo). "
            "Ábralo en Excel y guárdelo como .xlsx, o cárguelo como CSV."
        ) from None


class _BookScan:
    """One pass over a workbook's parts: bytes, rows, long text runs, shared strings, cells."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.total = 0  # uncompressed bytes of all parts so far
        self.shared = array("q")  # the length (bytes of XML) of each shared string, by index
        self.text = 0  # shared-string bytes the cells expand to, all sheets

    def part(self, book: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
        """Decompress one part chunk by chunk; refuse at the first cap it passes."""
        is_sheet = entry.filename.startswith("xl/worksheets/")
        is_shared = entry.filename == _SHARED
        is_xml = entry.filename.endswith((".xml", ".rels"))  # images and macros are binary: size only
        sheet = _SheetBound() if is_sheet else None
        base = 0  # offset in the part of the first byte of `text`
        opened = -1  # offset where the shared string being read began
        pending = b""  # from the last '<' on: a tag or a cell's text may go on in the next chunk
        with book.open(entry) as stream:
            while chunk := stream.read(CHUNK):
                self.total += len(chunk)
                if self.total > XLSX_MAX_UNCOMPRESSED:
                    raise UnreadableFile(
                        f"«{self.name}» ocupa más de {_mb(XLSX_MAX_UNCOMPRESSED)} al descomprimirse; "
                        "guárdelo como CSV o Parquet."
                    )
                if not is_xml:
                    continue
                text = pending + chunk
                if _LONG_TEXT.search(text):
                    raise UnreadableFile(
                        f"«{self.name}» tiene una celda de más de {XLSX_MAX_CELL_BYTES // 1024:,} KB de texto "
                        "(Excel admite 32,767 caracteres por celda); revise el archivo."
                    )
                cut = max(text.rfind(b"<"), 0)  # every tag before the last '<' is whole
                if is_shared:
                    opened = self._shared_strings(text, cut, base, opened)
                if sheet is not None:
                    sheet.scan(text[:cut], self.name)
                pending = text[cut:]
                base += cut
        if sheet is not None:
            self._check_sheet(book, entry, sheet)

    def _check_sheet(self, book: zipfile.ZipFile, entry: zipfile.ZipInfo, bound: _SheetBound) -> None:
        """Cells and expanded text: the bound from counts when it is under the caps (ordinary
        workbooks), else a second, exact pass cell by cell that names where the cap is passed."""
        longest = max(self.shared, default=0)
        text = bound.shared_cells * longest
        if bound.fits() and self.text + text <= XLSX_MAX_TEXT:
            self.text += text
            return
        sheet = _SheetScan(self)
        pending = b""
        with book.open(entry) as stream:
            while chunk := stream.read(CHUNK):
                data = pending + chunk
                cut = max(data.rfind(b"<"), 0)
                sheet.scan(data, cut)
                pending = data[cut:]

    def _shared_strings(self, text: bytes, cut: int, base: int, opened: int) -> int:
        for m in _SI.finditer(text, 0, cut):
            if m.group(1):  # </si>
                self.shared.append(base + m.end() - opened if opened >= 0 else 0)
                opened = -1
            elif m.group(2).endswith(b"/"):  # <si/>
                self.shared.append(0)
            else:
                opened = base + m.start()
        if len(self.shared) > XLSX_MAX_CELLS:
            raise self._too_many_cells()
        return opened

    def _too_many_cells(self) -> UnreadableFile:
        return UnreadableFile(
            f"«{self.name}» tiene más de {XLSX_MAX_CELLS:,} celdas al leerse (filas × columnas); los libros "
            "de Excel se aceptan hasta ese tamaño. Guárdelo como CSV (o Parquet) y cárguelo así."
        )


class _SheetBound:
    """What a sheet can expand to, from byte counts at C speed: rows, shared-string cells, and the
    last row and column named by a cell reference. Inexact (`exact_needed`) when a cell or row
    has no reference or the tags carry a namespace prefix."""

    def __init__(self) -> None:
        self.rows = 0
        self.shared_cells = 0
        self.last_row = 0
        self.last_col = 0
        self.exact_needed = False

    def scan(self, seg: bytes, name: str) -> None:
        rows = _ROW.findall(seg)
        self.rows += len(rows)
        if self.rows > XLSX_MAX_ROWS + 1:  # plus the header
            raise UnreadableFile(
                f"«{name}» tiene más de {XLSX_MAX_ROWS:,} filas; los libros de Excel se aceptan "
                "hasta ese tamaño. Guárdelo como CSV (o Parquet) y cárguelo así."
            )
        self.shared_cells += seg.count(b't="s"') + seg.count(b"t='s'")
        numbers = _ROW_NUMBER.findall(seg)
        columns = _CELL_COLUMN.findall(seg)
        if (
            len(numbers) != len(rows)
            or len(columns) != seg.count(b"<c ") + seg.count(b"<c>")
            or b":c " in seg
            or b":row" in seg
        ):
            self.exact_needed = True
        if numbers:
            self.last_row = max(self.last_row, max(map(int, numbers)))
        if columns:
            self.last_col = max(self.last_col, max(_column_index(c) for c in set(columns)))

    def fits(self) -> bool:
        return (
            not self.exact_needed
            and self.last_col <= MAX_COLUMNS
            and self.last_row * self.last_col <= XLSX_MAX_CELLS
        )


def column_name(index: int) -> str:
    """Excel's letters for a 1-based column number (28 → AB)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index


class _SheetScan:
    """Rows, the rectangle of cells with a value, and the shared-string text they point at."""

    def __init__(self, book: _BookScan) -> None:
        self.book = book
        self.rows = 0  # <row> elements
        self.row = 0  # number of the current row
        self.col = 0  # column of the current cell
        self.shared_cell = False  # the current cell's value is an index into the shared strings
        self.last_row = 0  # the largest row and column holding a value
        self.last_col = 0

    def scan(self, text: bytes, cut: int) -> None:
        book = self.book
        for m in _SHEET_TAG.finditer(text, 0, cut):
            if m.group(1):  # <row …>
                self.rows += 1
                if self.rows > XLSX_MAX_ROWS + 1:  # plus the header
                    raise UnreadableFile(
                        f"«{book.name}» tiene más de {XLSX_MAX_ROWS:,} filas; los libros de Excel se aceptan "
                        "hasta ese tamaño. Guárdelo como CSV (o Parquet) y cárguelo así."
                    )
                ref = _REF.search(m.group(2))
                self.row = int(ref.group(2)) if ref else self.row + 1
                self.col = 0
            elif m.group(3):  # <c …>
                attrs = m.group(4)
                ref = _REF.search(attrs)
                self.col = _column_index(ref.group(1)) if ref and ref.group(1) else self.col + 1
                if ref:
                    self.row = int(ref.group(2))
                self.shared_cell = bool(_SHARED_TYPE.search(attrs)) and not attrs.endswith(b"/")
            else:  # <v> or <is>: the current cell holds a value
                self._value(m.group(5) == b"v" and self.shared_cell, m.group(6))

    def _value(self, shared: bool, digits: bytes) -> None:
        book = self.book
        if self.col > MAX_COLUMNS:
            raise UnreadableFile(
                f"«{book.name}» tiene datos en la columna {column_name(self.col)} (fila {self.row:,}): "
                f"más de {MAX_COLUMNS:,} columnas. Los archivos se aceptan hasta {MAX_COLUMNS:,} columnas; "
                "quite las que sobran y vuelva a cargarlo."
            )
        self.last_row = max(self.last_row, self.row)
        self.last_col = max(self.last_col, self.col)
        if self.last_row * self.last_col > XLSX_MAX_CELLS:
            raise book._too_many_cells()
        if shared:
            self.shared_cell = False
            index = int(digits) if digits else -1
            if 0 <= index < len(book.shared):
                book.text += book.shared[index]
                if book.text > XLSX_MAX_TEXT:
                    raise UnreadableFile(
                        f"«{book.name}» se expande a más de {_mb(XLSX_MAX_TEXT)} de texto al leerse (sus "
                        f"celdas repiten textos largos; la fila {self.row:,}, columna {column_name(self.col)}, "
                        "pasa el límite). Guárdelo como CSV y cárguelo así."
                    )

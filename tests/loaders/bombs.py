"""Hostile files from the adversarial probe, built small and by hand.

`xlsx(path, rows)` writes a minimal workbook whose sheet XML is streamed into the zip, so a
200 MB cell or 300,000 rows cost a few hundred KB on disk and almost no memory to build.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from loaders.guard import column_name

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def xlsx(path: Path, rows: Iterable[list[str]], huge_cell_mb: int = 0) -> Path:
    """A workbook of `rows` (text cells); `huge_cell_mb` adds one cell of that many MB in row 2."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            batch: list[str] = []
            for r, cells in enumerate(rows, start=1):
                batch.append(
                    f'<row r="{r}">' + "".join(_cell(f"{chr(65 + j)}{r}", v) for j, v in enumerate(cells))
                )
                if r == 2 and huge_cell_mb:
                    sheet.write("".join(batch).encode())
                    batch = []
                    sheet.write(b'<c r="Z2" t="inlineStr"><is><t>')
                    block = b"A" * (1 << 20)
                    for _ in range(huge_cell_mb):
                        sheet.write(block)
                    sheet.write(b"</t></is></c>")
                batch.append("</row>")
                if len(batch) > 20_000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write("".join(batch).encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def plazas_rows(n: int) -> Iterable[list[str]]:
    """A plazas header and n data rows (valid keys cycle over three OOAD)."""
    yield ["periodo", "cve_ooad", "plazas_autorizadas", "plazas_ocupadas"]
    for i in range(n):
        yield [f"{2000 + i // 36 % 30}-{i % 12 + 1:02d}", ("01", "09", "35")[i % 3], "10", "9"]


_SST_CONTENT_TYPES = _CONTENT_TYPES.replace(
    "</Types>",
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
)
_SST_WORKBOOK_RELS = _WORKBOOK_RELS.replace(
    "</Relationships>",
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
)


def shared_string_bomb(path: Path, rows: int, cols: int, string_bytes: int) -> Path:
    """The probe's workbook: every cell of a rows × cols sheet points at one long shared string.

    Read, each cell becomes its own copy of the string: 14,000 cells × 250 KB is 3.5 GB of text
    from a file of a few dozen KB. The shared strings are written after the sheet, as a zip may.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", _SST_CONTENT_TYPES)
        book.writestr("_rels/.rels", _RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _SST_WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for r in range(1, rows + 1):
                cells = "".join(f'<c r="{column_name(j)}{r}" t="s"><v>0</v></c>' for j in range(1, cols + 1))
                sheet.write(f'<row r="{r}">{cells}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        book.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            f"<si><t>{'A' * string_bytes}</t></si></sst>",
        )
    return path


def sparse_xlsx(path: Path, cells: dict[str, str]) -> Path:
    """A workbook with text in the given cells only (`{"A1": "periodo", "ZZ90000": "x"}`)."""
    by_row: dict[int, list[str]] = {}
    for ref, value in cells.items():
        row = int("".join(ch for ch in ref if ch.isdigit()))
        by_row.setdefault(row, []).append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
    sheet = "".join(f'<row r="{r}">{"".join(by_row[r])}</row>' for r in sorted(by_row))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{sheet}</sheetData></worksheet>",
        )
    return path


def wide_csv(path: Path, columns: int) -> Path:
    """A plazas-looking CSV with `columns` columns in all (the probe's had 50,000)."""
    names = ["periodo", "cve_ooad", "plazas_autorizadas", "plazas_ocupadas"]
    names += [f"extra_{i}" for i in range(columns - len(names))]
    values = ["2024-01", "01", "10", "9"] + ["x"] * (columns - 4)
    path.write_text(",".join(names) + "\n" + ",".join(values) + "\n")
    return path


def wide_parquet(path: Path, columns: int) -> Path:
    """A Parquet file of `columns` text columns and a few rows (the probe's had 20,000, 5.8 MB)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = ["periodo", "cve_ooad", "plazas_autorizadas", "plazas_ocupadas"]
    names += [f"extra_{i}" for i in range(columns - len(names))]
    column = pa.array(["1"] * 3)
    pq.write_table(pa.Table.from_arrays([column] * columns, names=names), path)
    return path

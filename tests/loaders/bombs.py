"""Hostile files from the adversarial probe, built small and by hand.

`xlsx(path, rows)` writes a minimal workbook whose sheet XML is streamed into the zip, so a
200 MB cell or 300,000 rows cost a few hundred KB on disk and almost no memory to build.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

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

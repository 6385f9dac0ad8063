"""What a file is before reading it: kind, encoding, delimiter, header, hash, period in its name."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from warehouse.errors import UserError

SAMPLE_BYTES = 1 << 20
DELIMITERS = (",", ";", "|", "\t")
DELIMITER_NAMES = {",": "coma", ";": "punto y coma", "|": "barra vertical", "\t": "tabulador"}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 con BOM", "latin-1": "Latin-1 / Windows-1252"}
_ASG_NAME = re.compile(r"asg-(\d{4})-(\d{2})-(\d{2})(?:_\d+)?\.csv$", re.IGNORECASE)
_TAMANO = re.compile(r"^tama.{0,4}o_patron$")


@dataclass
class FileInfo:
    """What sniffing learnt about one file."""

    path: Path
    name: str
    kind: str  # csv | parquet | xlsx
    sha256: str = ""
    size: int = 0
    encoding: str = "utf-8"  # utf-8 | utf-8-sig | latin-1
    delimiter: str = ","
    header: list[str] = field(default_factory=list)  # as in the file (decoded)
    columns: list[str] = field(default_factory=list)  # normalized names
    name_period: date | None = None

    @property
    def duckdb_encoding(self) -> str:
        return "latin-1" if self.encoding == "latin-1" else "utf-8"

    def describe(self) -> dict[str, str]:
        """Spanish summary for the upload page."""
        out = {"archivo": self.name, "tipo": self.kind.upper(), "tamaño": f"{self.size / 1e6:,.1f} MB"}
        if self.kind == "csv":
            out["codificación"] = ENCODING_NAMES[self.encoding]
            out["delimitador"] = DELIMITER_NAMES.get(self.delimiter, self.delimiter)
        if self.name_period:
            out["periodo (nombre)"] = self.name_period.strftime("%Y-%m")
        return out


def normalize_column(raw: str) -> str:
    """A header as a snake_case name without accents, undoing mojibake (`tamaÃ±o_patron`).

    A replacement character (U+FFFD, a byte the file's author already lost) is kept as «�» so
    messages show where the name is damaged instead of silently shortening it («m�xico»).
    """
    name = raw.strip().strip('"').strip().lstrip("\ufeff")
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        name = name.encode("latin-1").decode("utf-8")
    parts = [
        unicodedata.normalize("NFKD", p).encode("ascii", "ignore").decode("ascii")
        for p in name.split("\ufffd")
    ]
    name = "\ufffd".join(parts)
    name = re.sub(r"[^0-9a-zA-Z\ufffd]+", "_", name).strip("_").lower()
    return "tamano_patron" if _TAMANO.match(name) else name


def period_from_name(name: str) -> date | None:
    """The month of an `asg-YYYY-MM-DD.csv` file name (also `asg-2020-03-31_0.csv`)."""
    m = _ASG_NAME.search(name)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    return date(year, month, 1) if 1 <= month <= 12 else None


def file_hash(path: Path) -> str:
    """sha256 of the file's bytes, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(8 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def detect_encoding(sample: bytes) -> str:
    """utf-8-sig when there is a BOM, utf-8 when the bytes decode, else latin-1 (cp1252)."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is not evidence
        if exc.start < len(sample) - 4:
            return "latin-1"
    return "utf-8"


def detect_delimiter(lines: list[str]) -> str:
    """The candidate that splits the header into most fields, the same count on every line."""
    best, best_count = ",", 0
    for delim in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        except csv.Error:  # a field longer than csv's limit (128 KB): not the delimiter
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = all(c == counts[0] for c in counts[1:])
        if consistent and counts[0] > best_count:
            best, best_count = delim, counts[0]
    if best_count == 0:  # no consistent candidate: the one with most fields in the header
        header = lines[0] if lines else ""
        best = max(DELIMITERS, key=header.count)
    return best


class UnreadableFileError(UserError, ValueError):
    """A file that cannot be what its name says (empty, a CSV named .xlsx, …); Spanish message."""


def _refuse_misnamed(name: str, size: int, sample: bytes) -> None:
    if size == 0:
        raise UnreadableFileError(f"«{name}» está vacío (0 bytes); no se cargó nada.")
    lower = name.lower()
    looks = "un libro de Excel" if sample.startswith(b"PK\x03\x04") else "un archivo Parquet"
    if not sample.startswith((b"PK\x03\x04", b"PAR1")):
        looks = "un archivo de texto (CSV)" if b"\x00" not in sample[:4096] else "un archivo binario"
    if lower.endswith((".xlsx", ".xlsm")) and not sample.startswith(b"PK\x03\x04"):
        raise UnreadableFileError(
            f"«{name}» tiene extensión de Excel pero no es un libro de Excel (parece {looks}). "
            "Ábralo y guárdelo como libro de Excel (.xlsx), o cámbiele la extensión a .csv si es texto."
        )
    if lower.endswith(".parquet") and not sample.startswith(b"PAR1"):
        raise UnreadableFileError(
            f"«{name}» tiene extensión .parquet pero no es un archivo Parquet (parece {looks})."
        )


def sniff(path: Path | str, name: str | None = None, with_hash: bool = True) -> FileInfo:
    """Look at a file: kind by extension/magic, then encoding, delimiter and header for CSV.

    Raises UnreadableFileError for an empty file or one whose name says Excel/Parquet and
    whose bytes do not.
    """
    path = Path(path)
    name = name or path.name
    info = FileInfo(path=path, name=name, kind="csv", size=path.stat().st_size)
    info.name_period = period_from_name(name)
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    _refuse_misnamed(name, info.size, sample)
    lower = name.lower()
    if sample.startswith(b"PAR1") or lower.endswith(".parquet"):
        info.kind = "parquet"
    elif sample.startswith(b"PK\x03\x04") or lower.endswith((".xlsx", ".xlsm")):
        info.kind = "xlsx"
    if with_hash:
        info.sha256 = file_hash(path)
    if info.kind != "csv":
        return info
    info.encoding = detect_encoding(sample)
    text = sample.decode(info.encoding, errors="replace")
    lines = text.splitlines()
    if len(sample) == SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    lines = [ln for ln in lines[:50] if ln.strip()]
    info.delimiter = detect_delimiter(lines)
    if lines:
        try:
            info.header = next(csv.reader([lines[0]], delimiter=info.delimiter))
        except csv.Error:
            raise UnreadableFileError(
                f"«{name}» tiene un encabezado ilegible: un nombre de columna de más de 128 KB en la fila 1. "
                "Revise el archivo y vuelva a cargarlo."
            ) from None
        info.columns = [normalize_column(h) for h in info.header]
    return info

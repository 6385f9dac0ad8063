"""Evidence files attached to progress: checked for size and type, stored under data/evidencias/.

The folder is CMI_EVIDENCIAS when set (tests), else data/evidencias/ (gitignored). Each file is
saved as <folio>/<sha256 prefix>_<safe name>; the database keeps its metadata.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from warehouse.errors import UserError
from warehouse.settings import settings

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME_CHARS = 150  # the stored name adds 13 characters; a file system allows 255 bytes
# extension → (MIME type, accepted leading bytes; empty = any)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "png": ("image/png", (b"\x89PNG",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK",)),
    "csv": ("text/csv", ()),
    "txt": ("text/plain", ()),
}


class EvidenceError(UserError, ValueError):
    """An evidence file the system does not accept (message in Spanish)."""


@dataclass(frozen=True)
class Evidence:
    """A file as uploaded: its original name and bytes."""

    nombre: str
    contenido: bytes


@dataclass(frozen=True)
class StoredEvidence:
    nombre_original: str
    ruta: str
    tipo: str
    tamano_bytes: int
    sha256: str
    nuevo: bool = True  # False when an identical file was already stored


def evidence_dir() -> Path:
    return settings().evidence_dir


def check(evidence: Evidence) -> tuple[str, str]:
    """Refuse empty, oversized or unexpected files; return (extension, MIME type)."""
    if len(evidence.nombre) > MAX_NAME_CHARS:
        raise EvidenceError(
            f"El nombre del archivo «{evidence.nombre[:40]}…» tiene {len(evidence.nombre):,} caracteres; "
            f"el máximo es {MAX_NAME_CHARS}. Cámbiele el nombre por uno más corto y vuelva a adjuntarlo."
        )
    ext = evidence.nombre.rsplit(".", 1)[-1].lower() if "." in evidence.nombre else ""
    if ext not in ALLOWED:
        raise EvidenceError(
            f"Tipo de archivo no permitido: «{evidence.nombre}». Se aceptan: {', '.join(sorted(ALLOWED))}."
        )
    size = len(evidence.contenido)
    if size == 0:
        raise EvidenceError(f"El archivo «{evidence.nombre}» está vacío.")
    if size > MAX_BYTES:
        raise EvidenceError(
            f"El archivo «{evidence.nombre}» pesa {size / 1024 / 1024:,.1f} MB; "
            f"el máximo es {MAX_BYTES // 1024 // 1024} MB."
        )
    mime, magics = ALLOWED[ext]
    if magics and not any(evidence.contenido.startswith(m) for m in magics):
        raise EvidenceError(f"El contenido de «{evidence.nombre}» no corresponde a un archivo .{ext}.")
    return ext, mime


def store(folio: str, evidence: Evidence) -> StoredEvidence:
    """Check and write the file; the caller records it (and removes it if its transaction fails)."""
    _, mime = check(evidence)
    digest = hashlib.sha256(evidence.contenido).hexdigest()
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(evidence.nombre).name).strip("._") or "evidencia"
    safe = safe[-MAX_NAME_CHARS:]  # ASCII by now: the stored name stays under the 255-byte limit
    folder = evidence_dir() / re.sub(r"[^A-Za-z0-9-]+", "_", folio)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest[:12]}_{safe}"
    existed = path.exists()
    if not existed:
        path.write_bytes(evidence.contenido)
    return StoredEvidence(evidence.nombre, str(path), mime, len(evidence.contenido), digest, not existed)


def discard(stored: StoredEvidence) -> None:
    """Remove a stored file whose database record was not committed."""
    if stored.nuevo:
        Path(stored.ruta).unlink(missing_ok=True)


def read(ruta: str) -> bytes | None:
    """The bytes of a stored evidence file (None if it is gone or lies outside the evidence folder)."""
    path = Path(ruta).resolve()
    if not path.is_relative_to(evidence_dir().resolve()) or not path.is_file():
        return None
    return path.read_bytes()

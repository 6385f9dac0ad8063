"""How a user name is spelled everywhere: trimmed and in lower case."""

from __future__ import annotations

from pathlib import Path

PathLike = Path | str | None


def normalize_usuario(usuario: str) -> str:
    return (usuario or "").strip().lower()

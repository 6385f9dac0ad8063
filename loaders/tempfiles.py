"""Private scratch folders for uploads: one per server process, mode 0700, removed at exit.

`/tmp/cmi_cargas` was shared and world-readable and kept every upload; a `mkdtemp` folder is
owned by the server alone, and callers remove each file once its load ends (success or not).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path


@cache
def private_dir(kind: str = "cargas") -> Path:
    """This process's own folder for `kind` (created 0700 on first use, removed at exit)."""
    folder = Path(tempfile.mkdtemp(prefix=f"cmi_{kind}_"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def discard(path: Path | str | None) -> None:
    """Remove a scratch file if it is still there."""
    if path is not None:
        Path(path).unlink(missing_ok=True)

"""Every setting of the application, read from the environment in this one place.

The README's «Configuración» table lists the same names (a test checks both ways). `settings()`
reads the environment when called, so a test or a scheduler that changes a variable sees it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"


@dataclass(frozen=True)
class Settings:
    db: Path  # CMI_DB
    warehouse: str  # CMI_WAREHOUSE (shared mode: a DuckLake string; empty: the DuckDB file)
    lake_data: str  # CMI_LAKE_DATA (shared mode: folder or bucket of a new lake's Parquet files)
    admin_user: str  # CMI_ADMIN_USER
    admin_password: str  # CMI_ADMIN_PASSWORD
    session_minutes: float  # CMI_SESSION_MINUTES
    session_hours: float  # CMI_SESSION_HOURS
    session_secret: str  # CMI_SESSION_SECRET
    smtp_host: str  # CMI_SMTP_HOST
    smtp_port: int  # CMI_SMTP_PORT
    smtp_from: str  # CMI_SMTP_FROM
    base_url: str  # CMI_BASE_URL
    evidence_dir: Path  # CMI_EVIDENCIAS
    chromium: str  # CMI_CHROMIUM
    today: str  # CMI_HOY (a fixed «today», YYYY-MM-DD; empty: the calendar's)
    proxies: tuple[str, ...]  # CMI_PROXIES (addresses or networks whose X-Forwarded-For is believed)

    @property
    def smtp_configured(self) -> bool:
        return bool(self.smtp_host)


# Environment variable -> Settings field; the README documents each one.
VARIABLES = {
    "CMI_DB": "db",
    "CMI_WAREHOUSE": "warehouse",
    "CMI_LAKE_DATA": "lake_data",
    "CMI_ADMIN_USER": "admin_user",
    "CMI_ADMIN_PASSWORD": "admin_password",
    "CMI_SESSION_MINUTES": "session_minutes",
    "CMI_SESSION_HOURS": "session_hours",
    "CMI_SESSION_SECRET": "session_secret",
    "CMI_SMTP_HOST": "smtp_host",
    "CMI_SMTP_PORT": "smtp_port",
    "CMI_SMTP_FROM": "smtp_from",
    "CMI_BASE_URL": "base_url",
    "CMI_EVIDENCIAS": "evidence_dir",
    "CMI_CHROMIUM": "chromium",
    "CMI_HOY": "today",
    "CMI_PROXIES": "proxies",
}


def settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings now; from the process environment unless `environ` is given."""
    if environ is None:  # kept per set of values: a page render asks hundreds of times
        return _from_values(tuple(os.environ.get(name) for name in VARIABLES))
    return _read(environ)


@functools.lru_cache(maxsize=8)
def _from_values(values: tuple[str | None, ...]) -> Settings:
    return _read({name: value for name, value in zip(VARIABLES, values, strict=True) if value is not None})


def _read(env: Mapping[str, str]) -> Settings:

    def text(name: str, default: str = "") -> str:
        return env.get(name) or default

    return Settings(
        db=Path(text("CMI_DB", str(DATA_DIR / "cmi.duckdb"))),
        warehouse=text("CMI_WAREHOUSE").strip(),
        lake_data=text("CMI_LAKE_DATA").strip(),
        admin_user=text("CMI_ADMIN_USER"),
        admin_password=text("CMI_ADMIN_PASSWORD"),
        session_minutes=float(text("CMI_SESSION_MINUTES", "30")),
        session_hours=float(text("CMI_SESSION_HOURS", "12")),
        session_secret=text("CMI_SESSION_SECRET"),
        smtp_host=text("CMI_SMTP_HOST"),
        smtp_port=int(text("CMI_SMTP_PORT", "25")),
        smtp_from=text("CMI_SMTP_FROM", "cmi@localhost"),
        base_url=text("CMI_BASE_URL", "http://localhost:8501").rstrip("/"),
        evidence_dir=Path(text("CMI_EVIDENCIAS", str(DATA_DIR / "evidencias"))),
        chromium=text("CMI_CHROMIUM"),
        today=text("CMI_HOY").strip(),
        proxies=tuple(p for p in text("CMI_PROXIES").replace(",", " ").split() if p),
    )


def one_math_thread() -> None:
    """Run OpenBLAS (scipy's, under the year-end projection) on one thread unless the operator set it.

    A projection is a fit on ~120 numbers: OpenBLAS's pool, one thread per core, only spins and
    fights the other sessions for the cores (the fit took 80–120 ms instead of 15 ms on a busy
    2-core server). It must run before scipy is first imported: OpenBLAS reads it when it loads.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

"""A throwaway PostgreSQL server in a folder, for tests, benchmarks and `make shared-demo`.

Uses Debian's `postgresql` package (binaries under /usr/lib/postgresql/*/bin). When this
process runs as root, the server runs as the `postgres` user (PostgreSQL refuses root).
Not used by the application itself: in production the catalog is the institute's server.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "cmi"


def bin_dir() -> Path:
    """The newest installed PostgreSQL's binaries, or a Spanish error saying how to install it."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("Falta PostgreSQL: instálelo con «apt-get install postgresql» (Debian/Ubuntu).")
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    folder: Path
    port: int

    def dsn(self, dbname: str) -> str:
        """A libpq connection string for one database of this server.

        Through the server's own socket folder, not 127.0.0.1: two servers started at once (two
        test workers) never reach each other's, even if they raced for the same TCP port.
        """
        return f"dbname={dbname} host={self.folder} port={self.port} user={USER}"

    def warehouse(self, dbname: str) -> str:
        """The CMI_WAREHOUSE value for a DuckLake whose catalog is the database dbname."""
        return f"ducklake:postgres:{self.dsn(dbname)}"

    def _client(self, program: str) -> list[str]:
        return [str(bin_dir() / program), "-h", str(self.folder), "-p", str(self.port), "-U", USER]

    def create_database(self, dbname: str, template: str | None = None) -> str:
        """Create a database (empty, or a copy of `template`); return its CMI_WAREHOUSE value."""
        _run([*self._client("createdb"), *(["-T", template] if template else []), dbname])
        return self.warehouse(dbname)

    def sql(self, dbname: str, statement: str) -> str:
        """Run one SQL statement with psql; return its unaligned output."""
        result = subprocess.run(
            [*self._client("psql"), "-d", dbname, "-v", "ON_ERROR_STOP=1", "-At", "-c", statement],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql falló: {result.stderr.strip()}")
        return result.stdout.strip()

    def clone_lake(self, template: str, dbname: str, template_data: Path, data: Path) -> str:
        """A copy of a DuckLake: its catalog database (PostgreSQL template) and its Parquet folder.

        The template must have no open connection. Returns the copy's CMI_WAREHOUSE value.
        """
        spec = self.create_database(dbname, template)
        shutil.copytree(template_data, data, dirs_exist_ok=True)
        path = str(data).rstrip("/") + "/"
        self.sql(dbname, f"UPDATE ducklake_metadata SET value = '{path}' WHERE key = 'data_path'")
        return spec


def _as_postgres() -> dict:
    """subprocess arguments that drop root to the postgres user (no-op for other users)."""
    if os.geteuid() != 0:
        return {}
    pw = pwd.getpwnam("postgres")
    return {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}


def _run(args: list[str], **kwargs) -> None:
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} falló: {result.stderr.strip() or result.stdout.strip()}")


def start(folder: Path, port: int | None = None) -> Server:
    """initdb (first time) and start a server in folder on a loopback port; trust auth, role `cmi`."""
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "pgdata"
    port = port or free_port()
    drop = _as_postgres()
    if drop:
        pw = pwd.getpwnam("postgres")
        os.chown(folder, pw.pw_uid, pw.pw_gid)
    if not data.exists():
        _run(
            [
                str(bin_dir() / "initdb"),
                "-D",
                str(data),
                "-U",
                USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            **drop,
        )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    log = str(folder / "server.log")
    _run(
        [str(bin_dir() / "pg_ctl"), "-D", str(data), "-o", options, "-l", log, "-w", "-t", "60", "start"],
        **drop,
    )
    return Server(folder, port)


def stop_server(server: Server, throwaway: bool = False) -> None:
    """Stop the server (its data folder stays). throwaway: skip the shutdown checkpoint, for a
    server whose folder is deleted next (tests: hundreds of small databases)."""
    mode = "immediate" if throwaway else "fast"
    _run(
        [str(bin_dir() / "pg_ctl"), "-D", str(server.folder / "pgdata"), "-m", mode, "-w", "stop"],
        **_as_postgres(),
    )


@contextmanager
def running(folder: Path) -> Iterator[Server]:
    """A server for the duration of the block; stopped and its folder removed afterwards."""
    server = start(folder)
    try:
        yield server
    finally:
        stop_server(server, throwaway=True)
        shutil.rmtree(folder, ignore_errors=True)


def wait_ready(server: Server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ok = subprocess.run(
            [str(bin_dir() / "pg_isready"), "-h", str(server.folder), "-p", str(server.port)],
            capture_output=True,
        )
        if ok.returncode == 0:
            return
        time.sleep(0.2)
    raise TimeoutError("PostgreSQL no respondió")


def main(argv: list[str] | None = None) -> int:
    """`python -m warehouse.local_postgres start CARPETA [--port N] [--database cmi]` | `stop CARPETA`.

    start prints the CMI_WAREHOUSE value of the database (created if missing).
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m warehouse.local_postgres")
    parser.add_argument("accion", choices=("start", "stop"))
    parser.add_argument("carpeta", type=Path)
    parser.add_argument("--port", type=int, default=55432)
    parser.add_argument("--database", default="cmi")
    args = parser.parse_args(argv)
    folder = args.carpeta.resolve()
    if args.accion == "stop":
        stop_server(Server(folder, args.port))
        return 0
    server = start(folder, args.port)
    try:
        server.create_database(args.database)
    except RuntimeError as exc:
        if "already exists" not in str(exc):
            raise
    print(server.warehouse(args.database))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())

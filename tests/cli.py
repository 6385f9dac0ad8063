"""Run a command-line tool's `main(argv)` in this process, as its subprocess would run.

Returns a `subprocess.CompletedProcess` (exit code, stdout, stderr), so a test reads the same
whether it runs the tool in-process (fast) or as a real subprocess (one smoke test per tool).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

from tests.warehouses import warehouse_env
from warehouse.connection import Location

ROOT = Path(__file__).resolve().parents[1]


def run_main(
    main: Callable[[list[str]], int | None], *args: str, db: Location | None = None, stdin: str = ""
) -> subprocess.CompletedProcess:
    out, err = io.StringIO(), io.StringIO()
    env = warehouse_env(db) if db is not None else {}
    with (
        mock.patch.dict(os.environ, env),
        mock.patch.object(sys, "stdin", io.StringIO(stdin)),
        redirect_stdout(out),
        redirect_stderr(err),
    ):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse refuses bad arguments this way
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return subprocess.CompletedProcess(["main", *args], code or 0, out.getvalue(), err.getvalue())


def run_module(
    module: str, *args: str, db: Location | None = None, timeout: float = 180
) -> subprocess.CompletedProcess:
    """`python -m module args...` in a real subprocess (the smoke test of each tool)."""
    env = {**os.environ, **(warehouse_env(db) if db is not None else {})}
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def lines(result: subprocess.CompletedProcess) -> Sequence[str]:
    return result.stdout.splitlines()

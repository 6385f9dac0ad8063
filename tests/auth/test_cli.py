"""`python -m warehouse users ...` in a real subprocess; the password never appears in its output."""

from __future__ import annotations

import subprocess
import sys

import pytest

import warehouse
from access import login, users
from ui.registry import ROOT
from warehouse import cli

SECRET = "Clave-Por-Terminal-5"


def _run(db, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "warehouse", "--db", str(db), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_cli_adds_lists_and_resets_in_a_subprocess(tmp_path):
    db = tmp_path / "cli.duckdb"
    added = _run(
        db,
        "users",
        "add",
        "Admin.Uno",
        "--rol",
        "administrador",
        "--rol",
        "analista",
        "--direccion",
        "DPM",
        "--password-stdin",
        stdin=SECRET + "\n",
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Usuario admin.uno creado con roles: administrador, analista."
    listed = _run(db, "users", "list")
    assert listed.stdout.splitlines() == [
        "admin.uno\tAdmin.Uno\tadministrador,analista\tDPM\tnacional\tactivo"
    ]
    dup = _run(db, "users", "add", "admin.uno", "--rol", "analista", "--password-stdin", stdin=SECRET + "\n")
    assert dup.returncode == 1 and "ya existe" in dup.stderr
    short = _run(db, "users", "passwd", "admin.uno", "--password-stdin", stdin="corta\n")
    assert short.returncode == 1 and "al menos 8" in short.stderr
    for proc in (added, listed, dup, short):
        assert SECRET not in proc.stdout + proc.stderr
    try:
        assert login.authenticate("admin.uno", SECRET, path=db).ok
        rows = warehouse.query_rows("SELECT usuario, accion FROM auditoria ORDER BY id", path=db)
        assert rows[0] == ("cli", "usuario_alta")
    finally:
        warehouse.close_all()


def test_cli_prompts_twice_with_getpass(db, monkeypatch, capsys):
    answers = iter(["Primera-Clave-1", "Primera-Clave-1", "Segunda-Clave-2", "Otra-Distinta-3"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(answers))
    assert cli.main(["--db", str(db), "users", "add", "luis", "--rol", "planeacion"]) == 0
    assert cli.main(["--db", str(db), "users", "passwd", "luis"]) == 1
    out = capsys.readouterr()
    assert "no coinciden" in out.err and "Clave" not in out.out + out.err
    assert login.authenticate("luis", "Primera-Clave-1", path=db).ok


def test_cli_refuses_unknown_roles(db):
    with pytest.raises(SystemExit):
        cli.main(["--db", str(db), "users", "add", "x1", "--rol", "jefe", "--password-stdin"])
    assert not users.has_users(db)

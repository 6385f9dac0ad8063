"""Bad and hostile files are refused in Spanish, exit 2, before parsing.

Reproductions from the adversarial probe: an empty CSV, a binary file, a truncated Parquet, a
Shift-JIS CSV and a UTF-16 CSV exited 1 with an English DuckDB message; a UTF-16 CSV got ten
misleading «menos campos» findings; a 196 KB .xlsx with one 200 MB cell and a 589 KB .xlsx of
300,000 rows were parsed whole.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import loaders
import warehouse
from loaders.cli import main
from loaders.guard import XLSX_MAX_ROWS
from tests.disk import small_tmpfs
from tests.loaders import bombs
from tests.loaders.helpers import HEADER, consultas_lines, snapshot, write
from tests.warehouses import embedded_only
from ui.safe import plain
from ui.session import User
from warehouse import query_rows
from warehouse.settings import ROOT

PAGE = ROOT / "pages" / "cargar_datos.py"
PLANNER = User("pablo", "Pablo Planeación", frozenset({"planeacion"}))
TEXT = "\n".join([HEADER, *consultas_lines(["2024-03"], ["01", "09"])]) + "\n"
ENGLISH = ("Error:", "Exception", "Invalid Input", "Binder", "Traceback", "not ")


def _truncated_parquet(path: Path) -> Path:
    pd.DataFrame({"periodo": ["2024-01"], "cve_ooad": ["01"]}).to_parquet(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


BAD_FILES = {
    "vacio.csv": (lambda p: p.write_bytes(b"\r\n\r\n") and p, "está vacío"),
    "binario.csv": (lambda p: p.write_bytes(bytes(range(256)) * 16) and p, "no es un archivo de texto"),
    "truncado.parquet": (_truncated_parquet, "no es un archivo Parquet completo"),
    "shift_jis.csv": (
        lambda p: p.write_bytes(TEXT.replace("2024-03,09", "2024-03,ﾃｽﾄ東京").encode("shift_jis")) and p,
        "no son UTF-8 ni Latin-1",
    ),
    "utf16.csv": (lambda p: p.write_bytes(TEXT.encode("utf-16")) and p, "está en UTF-16"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
@pytest.mark.parametrize("dataset", [None, "consultas"])
def test_bad_files_through_the_cli_exit_2_in_spanish(seeded, tmp_path, capsys, name, dataset):
    build, expected = BAD_FILES[name]
    path = tmp_path / name
    build(path)
    before = snapshot(seeded)
    args = ["load", str(path)] + (["--dataset", dataset] if dataset else [])
    code = main(args)
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 2, text
    assert name in text
    if dataset or name != "shift_jis.csv":  # undetected, a Shift-JIS file is refused for its columns
        assert expected in text, text
    assert not any(word in text for word in ENGLISH), text
    assert snapshot(seeded) == before


def test_utf16_gets_one_clear_message(seeded, tmp_path):
    path = tmp_path / "consultas_utf16.csv"
    path.write_bytes(TEXT.encode("utf-16"))
    result = loaders.load_file(path, dataset="consultas", db=seeded)
    assert result.status == "rechazada" and result.report.total == 0
    assert "UTF-16" in result.message and "menos campos" not in result.message


def test_a_workbook_with_a_200_mb_cell_is_refused_before_parsing(seeded, tmp_path):
    path = bombs.xlsx(tmp_path / "plazas_celda.xlsx", bombs.plazas_rows(3), huge_cell_mb=200)
    assert path.stat().st_size < 1_000_000  # the probe's file was 196 KB
    result = loaders.load_file(path, dataset="plazas", db=seeded)
    assert result.status == "rechazada"
    assert "celda de más de 256 KB" in result.message and "32,767 caracteres" in result.message


def test_a_workbook_of_300k_rows_is_refused_before_parsing(seeded, tmp_path):
    path = bombs.xlsx(tmp_path / "plazas_300k.xlsx", bombs.plazas_rows(300_000))
    assert path.stat().st_size < 10_000_000
    result = loaders.load_file(path, dataset="plazas", db=seeded)
    assert result.status == "rechazada"
    assert f"más de {XLSX_MAX_ROWS:,} filas" in result.message and "CSV" in result.message
    # the cap counts rows exactly: a workbook at the limit is read and validated
    ok = bombs.xlsx(tmp_path / "plazas_limite.xlsx", bombs.plazas_rows(XLSX_MAX_ROWS))
    loaders.check_file(ok, kind="xlsx")


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="carga_archivo").set_value((name, content, "application/octet-stream"))
    return at.run()


@embedded_only  # page (AppTest): the loader under it runs in both modes in the CLI tests
@pytest.mark.parametrize("name", ["vacio.csv", "binario.csv", "truncado.parquet", "utf16.csv"])
def test_bad_uploads_on_the_page_are_refused_in_spanish_audited_and_removed(seeded, tmp_path, name):
    build, expected = BAD_FILES[name]
    content = build(tmp_path / name).read_bytes() if name.endswith("parquet") else None
    if content is None:
        build(tmp_path / name)
        content = (tmp_path / name).read_bytes()
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["user"] = PLANNER
    at.run()
    _upload(at, name, content)
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert any(plain(expected) in e for e in errors), errors  # shown escaped: file text is inert
    rows = query_rows(
        "SELECT usuario, accion, detalle FROM auditoria WHERE accion = 'carga_rechazada'", path=seeded
    )
    assert [(u, a) for u, a, _ in rows] == [("pablo", "carga_rechazada")] and name in rows[0][2]
    at.run()  # a rerun with the same file does not audit it twice
    assert (
        query_rows("SELECT count(*) FROM auditoria WHERE accion = 'carga_rechazada'", path=seeded)[0][0] == 1
    )
    assert list(loaders.private_dir().iterdir()) == []


@embedded_only  # page (AppTest): the loader under it runs in both modes in the CLI tests
def test_uploads_live_in_a_private_folder_and_go_when_loaded(seeded):
    folder = loaders.private_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and folder.stat().st_uid == os.getuid()
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["user"] = PLANNER
    at.run()
    _upload(at, "consultas_marzo.csv", TEXT.encode())
    assert [p.suffix for p in folder.iterdir()] == [".csv"]
    if any(c.key == "carga_aceptar_advertencias" for c in at.checkbox):  # a partial month asks first
        at.checkbox(key="carga_aceptar_advertencias").check().run()
    at.button(key="carga_confirmar").click().run()
    assert not at.exception
    assert any("Carga 2" in s.value for s in at.success)
    assert query_rows("SELECT count(*) FROM consultas WHERE periodo = '2024-03-01'", path=seeded)[0][0] == 2
    # the copy was removed when the load ended; a rerun keeps showing the result
    at.file_uploader(key="carga_archivo").set_value(None)
    at.run()
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("name", list(loaders.CONTRACTS))
def test_every_template_example_row_passes_the_demo_catalog(demo_db, tmp_path, name):
    """the registration template's example (`RR8-CENTRO`) was not a meeting of the catalog."""
    db = tmp_path / "demo.duckdb"
    db.write_bytes(demo_db.read_bytes())
    path = tmp_path / f"plantilla_{name}.csv"
    path.write_text(loaders.template(name))
    mode = "reemplazar" if loaders.contract(name).is_table else "agregar"
    result = loaders.load_file(path, dataset=name, mode=mode, db=db, dry_run=True)
    if loaders.contract(name).whole and result.status == "rechazada":
        # one example row is not a whole catalog (objectives still in use would go): only the rules over
        # the resulting table may refuse it, never a cell of the row itself
        assert result.report.total and all(f.row is None for f in result.report.findings)
        return
    assert result.status == "validada", [f.message for f in result.report.findings] or result.message


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 10 MB disk that fills up (the migrated empty warehouse takes about 6 MB)."""
    with small_tmpfs(tmp_path, "10m") as mount:
        yield mount
        warehouse.close_all()


def _used_blocks(db: Path) -> int:
    """Blocks of the DuckDB file that hold data (free blocks left by a rollback not counted)."""
    return int(query_rows("SELECT used_blocks FROM pragma_database_size()", path=db)[0][0])


def test_a_full_disk_during_a_load_leaves_the_warehouse_as_it_was(small_disk, tmp_path, monkeypatch):
    db = small_disk / "cmi.duckdb"
    monkeypatch.setenv("CMI_DB", str(db))
    warehouse.connect(db)
    warehouse.close_all()  # migrated and checkpointed
    used = _used_blocks(db)
    periods = [f"{y}-{m:02d}" for y in range(1900, 2026) for m in range(1, 13)]
    big = write(
        tmp_path / "consultas_todo.csv",
        [HEADER, *consultas_lines(periods, [f"{i:02d}" for i in range(1, 36)])],
    )
    result = loaders.load_file(big, db=db)
    assert result.status == "rechazada"
    assert "El disco del servidor se llenó al cargar «consultas_todo.csv»" in result.message
    assert query_rows("SELECT count(*) FROM consultas", path=db)[0][0] == 0
    assert query_rows("SELECT count(*) FROM cargas", path=db)[0][0] == 0
    # the data did not stay: only the refusal's audit row was written (a few 256 KB blocks at most;
    # DuckDB 1.5 keeps the rolled-back blocks in the file as free blocks for the next write)
    assert _used_blocks(db) - used <= 4
    warehouse.close_all()
    small = write(tmp_path / "consultas_chico.csv", [HEADER, *consultas_lines(["2024-01"], ["01"])])
    later = loaders.load_file(small, db=db, accept_warnings=True)  # one OOAD: a partial month, accepted
    assert later.loaded, later.message  # a later small load still fits


@embedded_only  # page (AppTest): the loader under it runs in both modes in the CLI tests
def test_an_upload_refused_by_validation_is_audited_once(seeded):
    """A file whose preview validation fails cannot be confirmed: its refusal is audited right away."""
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["user"] = PLANNER
    at.run()
    bad = "\n".join([HEADER, *consultas_lines(["2024-05"], ["88"])]) + "\n"
    _upload(at, "consultas_malo.csv", bad.encode())
    assert not at.exception
    assert at.button(key="carga_confirmar").disabled
    at.run()
    rows = query_rows("SELECT usuario, detalle FROM auditoria WHERE accion = 'carga_rechazada'", path=seeded)
    assert len(rows) == 1 and rows[0][0] == "pablo" and "consultas_malo.csv" in rows[0][1]


def test_a_workbook_with_a_picture_is_not_mistaken_for_a_huge_cell(tmp_path):
    path = bombs.xlsx(tmp_path / "plazas_logo.xlsx", bombs.plazas_rows(3))
    with zipfile.ZipFile(path, "a") as book:
        book.writestr("xl/media/image1.png", os.urandom(600_000).replace(b"<", b"x"))
    loaders.check_file(path, kind="xlsx")  # no refusal: binary parts count only toward the size cap

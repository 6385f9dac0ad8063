"""Parsers that cannot be bombed (issue 27, findings 4, 11 and 14): each hostile file is built here.

From the adversarial probe: a 42 KB workbook whose cells all point at one 261 KB shared string
grew the process to 3.46 GB and aborted it; a 5.8 MB Parquet of 20,000 columns kept the loader
busy over 300 s; a 50,000-column CSV ended in «Falla inesperada». Each is refused in Spanish,
naming the file, before it is read, and nothing is written to the warehouse.
"""

from __future__ import annotations

import resource
import time

import pytest

import loaders
from loaders import budget
from loaders.cli import main
from loaders.guard import MAX_COLUMNS, XLSX_MAX_CELLS, UnreadableFile, column_name
from tests.loaders import bombs
from tests.loaders.helpers import HEADER, consultas_lines, snapshot, write
from tests.warehouses import embedded_only

ENGLISH = ("Error:", "Exception", "Traceback", "Falla inesperada")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_the_shared_string_bomb_is_refused_before_it_is_read(tmp_path):
    path = bombs.shared_string_bomb(tmp_path / "plazas_bomba.xlsx", rows=2_000, cols=7, string_bytes=250_000)
    assert path.stat().st_size < 60_000  # the probe's was 42 KB; read, 3.5 GB of text
    with pytest.raises(UnreadableFile) as refused:
        loaders.check_file(path, kind="xlsx")
    message = str(refused.value)
    assert "«plazas_bomba.xlsx»" in message and "100 MB de texto al leerse" in message
    assert "fila" in message and "columna" in message


def test_the_shared_string_bomb_leaves_the_warehouse_and_the_memory_alone(seeded, tmp_path, capsys):
    path = bombs.shared_string_bomb(tmp_path / "plazas_bomba.xlsx", rows=2_000, cols=7, string_bytes=250_000)
    before, peak = snapshot(seeded), _peak_mb()
    code = main(["load", str(path), "--dataset", "plazas"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 2, text
    assert "plazas_bomba.xlsx" in text and "de texto al leerse" in text, text
    assert not any(word in text for word in ENGLISH), text
    assert snapshot(seeded) == before
    assert _peak_mb() - peak < 200  # reading it whole took 3.46 GB


def test_a_workbook_of_short_shared_strings_is_read(tmp_path):
    """The cap counts what the cells expand to: many cells pointing at short strings pass."""
    path = bombs.shared_string_bomb(tmp_path / "plazas_repetidos.xlsx", rows=5_000, cols=4, string_bytes=20)
    loaders.check_file(path, kind="xlsx")


def test_a_workbook_with_cells_far_apart_is_refused_for_the_rectangle_it_fills(tmp_path):
    """Two cells, one at A1 and one at row 90,000 column ZZ: the reader fills 90,000 × 702 cells."""
    path = bombs.sparse_xlsx(
        tmp_path / "plazas_disperso.xlsx", {"A1": "periodo", "B1": "cve_ooad", "ZZ90000": "x"}
    )
    with pytest.raises(UnreadableFile) as refused:
        loaders.check_file(path, kind="xlsx")
    assert "«plazas_disperso.xlsx»" in str(refused.value)
    assert "columna ZZ (fila 90,000)" in str(refused.value)  # past the column cap first
    near = bombs.sparse_xlsx(
        tmp_path / "plazas_lejos.xlsx", {"A1": "periodo", "B1": "cve_ooad", "JA90000": "x"}
    )
    with pytest.raises(UnreadableFile) as refused:  # 261 columns: under the column cap, over the cells
        loaders.check_file(near, kind="xlsx")
    assert f"más de {XLSX_MAX_CELLS:,} celdas" in str(refused.value)


@embedded_only  # refused before the warehouse is opened: one mode is enough
def test_a_workbook_wider_than_the_column_cap_is_refused_naming_row_and_column(seeded, tmp_path):
    cells = {f"{column_name(j)}1": f"c{j}" for j in range(1, MAX_COLUMNS + 2)}
    path = bombs.sparse_xlsx(tmp_path / "plazas_ancho.xlsx", cells)
    before = snapshot(seeded)
    result = loaders.load_file(path, dataset="plazas", db=seeded)
    assert result.status == "rechazada"
    assert "«plazas_ancho.xlsx»" in result.message and "columna SG (fila 1)" in result.message
    assert f"más de {MAX_COLUMNS} columnas" in result.message
    assert snapshot(seeded) == before


@embedded_only  # refused before the warehouse is opened: one mode is enough
def test_a_parquet_of_20000_columns_is_refused_from_its_footer(seeded, tmp_path, capsys):
    path = bombs.wide_parquet(tmp_path / "plazas_ancho.parquet", 20_000)
    before = snapshot(seeded)
    started = time.monotonic()
    code = main(["load", str(path)])
    elapsed = time.monotonic() - started
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 2, text
    assert "«plazas_ancho.parquet» tiene 20,000 columnas" in text, text
    assert f"hasta {MAX_COLUMNS} columnas" in text
    assert elapsed < 10  # the probe's kept the loader busy over 300 s
    assert snapshot(seeded) == before


@embedded_only  # refused before the warehouse is opened: one mode is enough
@pytest.mark.parametrize("dataset", [None, "plazas"])
def test_a_csv_of_50000_columns_is_refused_in_spanish(seeded, tmp_path, capsys, dataset):
    path = bombs.wide_csv(tmp_path / "plazas_ancho.csv", 50_000)
    before = snapshot(seeded)
    code = main(["load", str(path)] + (["--dataset", dataset] if dataset else []))
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 2, text
    assert "«plazas_ancho.csv» tiene 50,000 columnas en su encabezado (fila 1)" in text, text
    assert not any(word in text for word in ENGLISH), text
    assert snapshot(seeded) == before


def test_a_file_at_the_column_cap_is_read(tmp_path):
    path = bombs.wide_csv(tmp_path / "plazas_limite.csv", MAX_COLUMNS)
    loaders.check_file(path, kind="csv", columns=MAX_COLUMNS)
    loaders.check_file(bombs.wide_parquet(tmp_path / "plazas_limite.parquet", MAX_COLUMNS), kind="parquet")


def test_the_page_preview_refuses_a_wide_file_before_reading_it(tmp_path):
    path = bombs.wide_csv(tmp_path / "plazas_ancho.csv", 50_000)
    with pytest.raises(UnreadableFile, match="50,000 columnas"):
        loaders.inspect(path)


def test_a_validation_past_its_budget_is_refused_and_rolled_back(seeded, tmp_path, monkeypatch):
    """The budget stops what the caps do not foresee: here a large file under a tiny budget."""
    periods = [f"{y}-{m:02d}" for y in range(1950, 2024) for m in range(1, 13)]
    path = write(
        tmp_path / "consultas_lento.csv",
        [HEADER, *consultas_lines(periods, [f"{i:02d}" for i in range(1, 36)])],
    )
    monkeypatch.setattr(budget, "SECONDS", 0.05)
    before = snapshot(seeded)
    started = time.monotonic()
    result = loaders.load_file(path, dataset="consultas", db=seeded, accept_warnings=True)
    assert time.monotonic() - started < 30
    assert result.status == "rechazada", result.message
    assert "«consultas_lento.csv» tardó más de 0.05 s en leerse y validarse" in result.message
    assert "no se cargó nada" in result.message
    assert snapshot(seeded) == before
    monkeypatch.setattr(budget, "SECONDS", 300.0)  # the same file, with time: it loads
    assert loaders.load_file(path, dataset="consultas", db=seeded, accept_warnings=True).loaded


@embedded_only  # page (AppTest)
def test_the_upload_page_enforces_the_size_cap_itself(seeded, monkeypatch):
    """The server refuses a larger upload first (tests/auth/test_upload_door.py); the page checks too."""
    from streamlit.testing.v1 import AppTest

    from tests.loaders.test_hardening import PAGE, PLANNER
    from ui import upload_door
    from ui.safe import plain
    from warehouse import query_rows

    monkeypatch.setattr(upload_door, "UPLOAD_MAX_MB", 1)
    # this process's scratch folder may hold another module's files (xdist runs modules in one process)
    before = set(loaders.private_dir().iterdir())
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["user"] = PLANNER
    at.run()
    content = "\n".join([HEADER, *consultas_lines(["2024-03"], ["01"])]).encode() + b"\n" + b" " * 1_300_000
    at.file_uploader(key="carga_archivo").set_value(("consultas_grande.csv", content, "text/csv"))
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(plain("«consultas_grande.csv» pesa 1.2 MB") in e and "hasta 1 MB" in e for e in errors), errors
    assert set(loaders.private_dir().iterdir()) - before == set()  # this upload never reached the disk
    rows = query_rows("SELECT detalle FROM auditoria WHERE accion = 'carga_rechazada'", path=seeded)
    assert len(rows) == 1 and "consultas_grande.csv" in rows[0][0]

"""Export -> reload (reemplazar) changes nothing, in every format; undo restores; duplicates are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

import warehouse
from exports.datasets import export
from loaders import CONTRACTS, load_file, undo
from tests.loaders.helpers import HEADER, consultas_lines, snapshot, write
from tests.warehouses import Warehouses
from warehouse import query_rows


def _content(db: Path, table: str) -> tuple[int, int]:
    """Count and checksum of a table's rows without carga_id (which a reload changes)."""
    cols = ", ".join(f'"{c}"' for c in CONTRACTS[table].names)
    return query_rows(f"SELECT count(*), coalesce(sum(hash({cols})::HUGEINT), 0) FROM {table}", path=db)[0]


@pytest.fixture
def demo_copy(warehouses: Warehouses, monkeypatch: pytest.MonkeyPatch):
    warehouse.close_all()
    path = warehouses.demo()
    warehouses.select(monkeypatch, path)
    yield path
    warehouse.close_all()


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_export_then_reload_replace_is_a_no_op(demo_copy: Path, tmp_path: Path, fmt: str) -> None:
    tables = [name for name, c in CONTRACTS.items() if c.is_table]  # acuerdos_registro is load-only
    datasets = tables if fmt == "csv" else ["consultas", "afiliacion", "satisfaccion", "acuerdos"]
    from indicators import engine

    kpis = ["consultas_medicina_familiar", "puestos_trabajo_afiliados", "satisfaccion_guarderias"]
    values_before = {k: engine.value(k, "2024", "nacional", db=demo_copy).valor for k in kpis}
    before = {name: _content(demo_copy, name) for name in datasets}
    for name in datasets:
        desde = hasta = None
        if fmt == "xlsx" and name not in ("satisfaccion", "acuerdos"):
            from datetime import date

            desde, hasta = date(2024, 1, 1), date(2024, 12, 1)
        out = tmp_path / f"{name}.{fmt}"
        rows = export(name, desde, hasta, fmt, out, db=demo_copy)
        assert rows > 0
        result = load_file(out, mode="reemplazar", db=demo_copy, accept_warnings=True)
        assert result.dataset == name and result.loaded, (name, result.message, result.report.findings[:3])
    assert {name: _content(demo_copy, name) for name in datasets} == before
    assert {k: engine.value(k, "2024", "nacional", db=demo_copy).valor for k in kpis} == values_before


def test_export_to_stdout_is_the_contract_csv(seeded: Path, capsys: pytest.CaptureFixture) -> None:
    from datetime import date

    export("consultas", date(2024, 2, 1), date(2024, 2, 1), db=seeded)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == HEADER
    assert out[1:] == consultas_lines(["2024-02"], ["01", "09", "35"])


def test_undo_restores_replaced_rows_and_is_recorded(seeded: Path, tmp_path: Path) -> None:
    before = snapshot(seeded)
    table_before = _content(seeded, "consultas")
    path = write(
        tmp_path / "consultas_nuevo.csv", [HEADER, *consultas_lines(["2024-02", "2024-03"], ["09"], 999)]
    )
    result = load_file(path, mode="reemplazar", user="ana", db=seeded, accept_warnings=True)
    assert result.loaded and result.periods == ["2024-02", "2024-03"]
    # reemplazar touches only the file's keys: 2024-01 ×3, 2024-02 of 01 and 35 kept, the 2 new rows
    assert query_rows("SELECT count(*) FROM consultas", path=seeded)[0][0] == 3 + 2 + 2
    assert load_file(path, mode="reemplazar", db=seeded, accept_warnings=True).status == "duplicada"
    reverted = undo(result.load_id, user="ana", db=seeded)
    assert reverted.loaded and "se quitaron 2 filas y se restauraron 1" in reverted.message
    assert _content(seeded, "consultas") == table_before
    assert snapshot(seeded)["consultas"] == before["consultas"]
    log = query_rows(
        "SELECT id, usuario, modo, estado, revierte_a, archivo FROM cargas ORDER BY id", path=seeded
    )
    assert log[-2][2:5] == ("reemplazar", "revertida", None)
    assert log[-1][1:6] == ("ana", "deshacer", "aplicada", result.load_id, "consultas_nuevo.csv")
    assert undo(result.load_id, db=seeded).status == "rechazada"
    assert undo(reverted.load_id, db=seeded).status == "rechazada"
    assert undo(9999, db=seeded).message == "No existe la carga 9999."
    again = load_file(
        path, mode="reemplazar", db=seeded, accept_warnings=True
    )  # after the undo, the same file may come back
    assert again.loaded

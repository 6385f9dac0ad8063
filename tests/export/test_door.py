"""One export door: no grid-toolbar download, role check, formula guard and audit — CLI too.

Reproductions: the data grid's «Download as CSV» let roles without Exportar download the
agreements with raw formula cells and no audit row; `loaders export acuerdos --formato csv`
wrote formula cells raw; a full disk left a 40 MB partial export.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from access import users
from loaders.cli import main
from tests.disk import small_tmpfs
from tests.export.conftest import HOSTILE
from ui.session import User
from warehouse import query_rows
from warehouse.settings import ROOT

PAGE = ROOT / "pages" / "servicios_medicos.py"


def test_the_grid_toolbar_download_is_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True


def _exports(db: Path) -> list[tuple[str, str, dict]]:
    rows = query_rows(
        "SELECT usuario, accion, detalle FROM auditoria WHERE accion LIKE 'export%' ORDER BY id", path=db
    )
    return [(u, a, json.loads(d)) for u, a, d in rows]


def test_cli_csv_export_neutralises_formula_cells_and_is_audited(tiny_db, capsys):
    assert main(["export", "acuerdos", "--formato", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["folio"]: r["descripcion"] for r in rows}["E"] == "'" + HOSTILE
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())
    ((who, action, detail),) = _exports(tiny_db)
    assert action == "exportar" and who.startswith("so:")
    assert detail["que"] == "acuerdos" and detail["formato"] == "csv" and detail["filas"] == 5


def test_cli_xlsx_export_neutralises_formula_cells(tiny_db, tmp_path):
    (tmp_path / "salida").mkdir()
    out = tmp_path / "salida" / "acuerdos.xlsx"
    assert main(["export", "acuerdos", "--formato", "xlsx", "--salida", str(out)]) == 0
    cells = [c for row in openpyxl.load_workbook(out).active.iter_rows(values_only=True) for c in row]
    assert "'" + HOSTILE in cells and HOSTILE not in cells
    assert [p.name for p in out.parent.iterdir()] == ["acuerdos.xlsx"]  # no scratch file left beside it


def test_cli_usuario_is_checked_against_real_accounts(tiny_db, tmp_path, capsys):
    users.add_user("ana", "Ana", None, ["analista"], path=tiny_db)
    users.add_user("pablo", "Pablo", None, ["planeacion"], path=tiny_db)
    out = str(tmp_path / "a.csv")
    assert main(["export", "acuerdos", "--salida", out, "--usuario", "nadie"]) == 2
    assert "«nadie» no existe" in capsys.readouterr().err
    assert main(["export", "acuerdos", "--salida", out, "--usuario", "pablo"]) == 2
    assert "no tiene permiso para exportar" in capsys.readouterr().err
    assert main(["export", "acuerdos", "--salida", out, "--usuario", "ana"]) == 0
    ((who, _, _),) = _exports(tiny_db)
    assert who.startswith("ana (so:")


def test_refused_undo_is_audited(tiny_db, capsys):
    users.add_user("pablo", "Pablo", None, ["planeacion"], path=tiny_db)
    assert main(["undo", "99", "--usuario", "pablo"]) == 2
    assert "No existe la carga 99" in capsys.readouterr().out
    rows = query_rows("SELECT usuario, accion, detalle FROM auditoria ORDER BY id", path=tiny_db)
    assert [(u.split(" ")[0], a) for u, a, _ in rows][-1] == ("pablo", "deshacer_carga_rechazado")
    assert "carga=99" in rows[-1][2]


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 256 KB disk that fills up."""
    with small_tmpfs(tmp_path, "256k") as mount:
        yield mount


def test_a_full_disk_during_an_export_leaves_no_partial_file(tiny_db, small_disk, capsys):
    from warehouse.connection import connect

    con = connect(tiny_db)
    con.execute(
        "INSERT INTO acuerdos (folio, cve_reunion, region, cve_ooad, cve_mesa, descripcion, cve_direccion, "
        "fecha_registro, estado, avance) SELECT 'X' || i, 'R1', 'Norte', '01', 'M1', repeat('texto ', 50), "
        "'DA', DATE '2024-02-05', 'En proceso', 0 FROM range(5000) t(i)"
    )
    out = small_disk / "acuerdos.csv"
    assert main(["export", "acuerdos", "--salida", str(out)]) == 2
    assert "El disco se llenó durante la exportación" in capsys.readouterr().err
    assert list(small_disk.iterdir()) == []
    ((_, action, detail),) = _exports(tiny_db)
    assert action == "exportacion_fallida" and detail["error"] == "disco lleno"


@pytest.mark.parametrize(("rol", "buttons"), [("planeacion", 0), ("director_normativo", 0), ("analista", 1)])
def test_download_buttons_only_for_roles_that_may_export(demo_db, monkeypatch, rol, buttons):
    monkeypatch.setenv("CMI_DB", str(demo_db))
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    at.session_state["user"] = User(
        "u", "U", frozenset({rol}), "DPM" if rol == "director_normativo" else None
    )
    at.run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert (labels.count("Descargar CSV") > 0) == bool(buttons), labels


@pytest.mark.parametrize("writer", ["stream", "copy"])
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_full_disk_during_a_web_export_removes_the_partial_file(tiny_db, small_disk, writer, fmt):
    from exports.table import ExportFailed, copy_to_file, stream_to_file

    sql = "SELECT i, md5(i::VARCHAR) || repeat('x', 200) AS texto FROM range(20000) t(i)"
    write = stream_to_file if writer == "stream" else copy_to_file
    with pytest.raises(ExportFailed, match="El disco del servidor se llenó"):
        write(sql, [], small_disk / f"grande.{fmt}", fmt, tiny_db)
    assert list(small_disk.iterdir()) == []


def test_an_export_with_no_rows_at_a_grain_says_why(tiny_db, capsys):
    """Reproduction: `loaders export consultas --grano entidad` printed a bare header and nothing else."""
    assert main(["export", "consultas", "--grano", "entidad"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("periodo,cve_entidad,") and len(out.splitlines()) == 1
    assert err.strip() == (
        "Sin filas: «consultas» no tiene filas cargadas por entidad federativa en esos periodos."
        " Las cifras por entidad federativa del tablero suman las de los OOAD: exporte con --grano ooad."
    )
    assert main(["export", "consultas", "--grano", "ooad"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) > 1 and err == ""

"""`python -m loaders` exit codes and output; the Cargar datos page (AppTest) with real content."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from access import users
from loaders.cli import main
from tests.loaders.helpers import HEADER, consultas_lines, write
from tests.warehouses import embedded_only
from ui.session import User
from warehouse import query_rows
from warehouse.settings import ROOT

PAGE = ROOT / "pages" / "cargar_datos.py"
PLANNER = User("pablo", "Pablo Planeación", frozenset({"planeacion"}))


def test_cli_load_refuse_history_undo_template(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    users.add_user("maria", "María", None, ["planeacion"], path=seeded)
    good = write(tmp_path / "consultas_abril.csv", [HEADER, *consultas_lines(["2024-04"], ["01"])])
    assert main(["load", str(good), "--usuario", "maria", "--aceptar-advertencias"]) == 0
    assert "Carga 2: 1 filas" in capsys.readouterr().out
    bad = write(tmp_path / "consultas_malo.csv", [HEADER, *consultas_lines(["2024-05"], ["88"])])
    assert main(["load", str(bad), "--dataset", "consultas", "--aceptar-advertencias"]) == 2
    assert "consultas_malo.csv, fila 2, columna «cve_ooad»: clave desconocida" in capsys.readouterr().out
    assert main(["history"]) == 0
    assert "maria" in capsys.readouterr().out
    assert main(["undo", "2"]) == 0
    assert main(["undo", "2"]) == 2
    assert capsys.readouterr().out.splitlines() == [
        "Se deshizo la carga 2: se quitaron 1 filas y se restauraron 0 que había reemplazado.",
        "La carga 2 ya fue revertida.",
    ]
    assert main(["template", "plazas"]) == 0
    assert capsys.readouterr().out.startswith("periodo,cve_ooad,plazas_autorizadas,plazas_ocupadas\n")
    assert main(["load", str(tmp_path / "no_existe.csv"), "--aceptar-advertencias"]) == 2


def test_cli_export_to_file(seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "c.parquet"
    assert (
        main(["export", "consultas", "--desde", "2024-02", "--formato", "parquet", "--salida", str(out)]) == 0
    )
    assert "Se exportaron 3 filas" in capsys.readouterr().out
    assert main(["load", str(out), "--modo", "reemplazar", "--aceptar-advertencias"]) == 0
    assert query_rows("SELECT count(*) FROM consultas", path=seeded)[0][0] == 6


@embedded_only
def test_upload_page_shows_history_templates_and_dictionary(seeded: Path) -> None:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["user"] = PLANNER
    at.run()
    assert not at.exception
    assert at.title[0].value == "Cargar datos"
    assert [t.label for t in at.tabs] == ["Cargar archivo", "Historial de cargas", "Plantillas y diccionario"]
    history = at.dataframe[0].value
    assert history["archivo"].tolist() == ["consultas_base.csv"] and history["filas"].tolist() == [6]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Plantilla de consultas" in labels and "Plantilla de acuerdos" in labels
    dictionary = at.dataframe[1].value
    assert "cve_ooad" in dictionary["columna"].tolist()
    assert at.selectbox(key="carga_deshacer").value is None  # nothing preselected
    assert not [b for b in at.button if b.key == "carga_deshacer_boton"]
    at.selectbox(key="carga_deshacer").set_value(1).run()
    preview = " ".join(m.value for m in at.markdown)
    assert "consultas\\: se quitan 6 filas que escribió" in preview  # escaped for Markdown
    assert at.button(key="carga_deshacer_boton").disabled  # not before the explicit confirmation
    at.checkbox(key="carga_deshacer_ok_1").check().run()
    at.button(key="carga_deshacer_boton").click().run()
    assert not at.exception
    assert any("Se deshizo la carga 1" in s.value for s in at.success)
    assert query_rows("SELECT count(*) FROM consultas", path=seeded)[0][0] == 0
    states = at.dataframe[0].value["estado"].tolist()
    assert states == ["deshace la carga 1", "deshecha (carga 2)"]  # no «revierte a: None»


@embedded_only
def test_upload_page_asks_for_a_file_without_one(seeded: Path) -> None:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["user"] = PLANNER
    at.run()
    assert any("Suelte un archivo" in i.value for i in at.info)
    assert at.selectbox(key="carga_dataset").options[0] == "Detectar por las columnas"

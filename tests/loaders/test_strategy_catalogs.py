"""Issue 16 item 1: the strategy map's objectives, KPI weights and owners are uploaded like any dataset.

Validated by the contract machinery (Spanish error naming file, row and column; nothing changed on
error), audited, in the load history and undoable; each objective's weights sum to 100.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import warehouse
from indicators import strategy
from indicators.catalog import CATALOG
from loaders import history, load_file, undo
from loaders.cli import main
from tests.loaders.helpers import snapshot, write
from warehouse import query_rows
from warehouse.catalogs import load_catalogs
from warehouse.config import CATALOG_DIR

WEIGHTS = "cve_objetivo,kpi,peso,cve_direccion,responsable"
OBJECTIVES = "cve_objetivo,orden,nombre_corto,nombre"


def _seeded_weights(db: Path) -> list[tuple]:
    return query_rows(
        "SELECT cve_objetivo, kpi, peso, cve_direccion, responsable FROM indicadores_estrategia ORDER BY kpi",
        path=db,
    )


def _weights_file(tmp_path: Path, changes: dict[str, tuple] | None = None, name: str = "pesos.csv") -> Path:
    """The repository's weights catalog with some rows changed: kpi -> (objetivo, peso, dirección, responsable)."""
    rows = list(csv.DictReader((CATALOG_DIR / "indicadores_estrategia.csv").open(encoding="utf-8")))
    lines = [WEIGHTS]
    for r in rows:
        objective, weight, directorate, owner = (changes or {}).get(
            r["kpi"], (r["cve_objetivo"], r["peso"], r["cve_direccion"], r["responsable"])
        )
        if weight is not None:
            lines.append(f"{objective},{r['kpi']},{weight},{directorate},{owner}")
    return write(tmp_path / name, lines)


def test_the_repository_catalogs_keep_the_rules_an_upload_must_keep(db: Path) -> None:
    sums = query_rows(
        "SELECT cve_objetivo, sum(peso) FROM indicadores_estrategia GROUP BY 1 ORDER BY 1", path=db
    )
    assert sums == [(f"O{i}", 100.0) for i in range(1, 7)]
    # the KPI list a weights file is checked against is the code's catalog, row for row
    listed = query_rows("SELECT kpi, nombre, rubro FROM indicadores ORDER BY kpi", path=db)
    assert listed == sorted((k.id, k.nombre, k.rubro) for k in CATALOG)


def test_a_planner_uploads_new_weights_and_owners_and_can_undo_them(db: Path, tmp_path: Path) -> None:
    before = snapshot(db)
    seeded = _seeded_weights(db)
    # O1 was 20/20/20/40; the planner gives surtimiento_recetas 55 and medicina familiar 5, a new owner
    path = _weights_file(
        tmp_path,
        {
            "consultas_medicina_familiar": ("O1", "5", "DPM", "Dra. Ana Pérez Ruiz"),
            "surtimiento_recetas": ("O1", "55", "DA", "Lic. Mario Díaz"),
        },
    )
    preview = load_file(path, mode="reemplazar", user="pablo", db=db, dry_run=True)
    assert preview.status == "validada", preview.message
    assert preview.dataset == "indicadores_estrategia"  # detected by its columns
    result = load_file(path, mode="reemplazar", user="pablo", db=db)
    assert result.loaded, result.message
    assert result.message.startswith(f"Carga {result.load_id}: 32 filas de «Pesos y responsables")
    owner = strategy.owner("consultas_medicina_familiar", db)
    assert (owner["peso"], owner["responsable"]) == (5.0, "Dra. Ana Pérez Ruiz")
    assert strategy.owner("surtimiento_recetas", db)["peso"] == 55.0
    sums = dict(query_rows("SELECT cve_objetivo, sum(peso) FROM indicadores_estrategia GROUP BY 1", path=db))
    assert sums["O1"] == 100.0
    logged = history(db=db).iloc[0]
    assert (logged["dataset"], logged["archivo"], logged["usuario"], logged["estado"]) == (
        "indicadores_estrategia",
        "pesos.csv",
        "pablo",
        "aplicada",
    )
    audited = query_rows(
        "SELECT usuario, detalle FROM auditoria WHERE accion = 'carga' ORDER BY id DESC LIMIT 1", path=db
    )[0]
    assert (
        audited[0] == "pablo" and "conjunto=indicadores_estrategia; archivo=pesos.csv; filas=32" in audited[1]
    )
    undone = undo(result.load_id, user="pablo", db=db)
    assert undone.loaded, undone.message
    assert _seeded_weights(db) == seeded
    after = snapshot(db)
    assert {t: after[t] for t in ("indicadores_estrategia", "objetivos")} == {
        t: before[t] for t in ("indicadores_estrategia", "objetivos")
    }


def test_weights_that_do_not_add_up_to_100_are_refused_naming_file_row_and_column(
    db: Path, tmp_path: Path
) -> None:
    before = snapshot(db)
    # O2 is 30/30/20/20: moving chequeos_prevenimss to 40 makes it 110 (its row is the 6th of the file)
    path = _weights_file(tmp_path, {"chequeos_prevenimss": ("O2", "40", "DPM", "Titular")})
    for dry_run in (True, False):
        result = load_file(path, mode="reemplazar", db=db, dry_run=dry_run)
        assert result.status == "rechazada"
        assert result.message == "Se encontró 1 error; el archivo no se cargó y nada cambió."
        assert [f.message for f in result.report.findings] == [
            "pesos.csv, fila 6, columna «peso»: los pesos de los indicadores del objetivo O2 suman 110;"
            " deben sumar 100."
        ]
    assert snapshot(db) == before
    refused = query_rows("SELECT count(*) FROM auditoria WHERE accion = 'carga_rechazada'", path=db)[0][0]
    assert refused == 1  # the real attempt, not the preview


def test_an_unknown_kpi_a_bad_weight_or_an_unknown_objective_name_their_cells(
    db: Path, tmp_path: Path
) -> None:
    before = snapshot(db)
    path = write(
        tmp_path / "pesos_malos.csv",
        [
            WEIGHTS,
            "O1,consultas_medicna_familiar,50,DPM,Ana",
            "O1,consultas_especialidades,-50,DPM,Ana",
            "O9,consultas_urgencias,100,DPM,Ana",
            "O2,chequeos_prevenimss,100,DXX,Ana",
        ],
    )
    result = load_file(path, mode="reemplazar", db=db)
    messages = [f.message for f in result.report.findings]
    assert result.status == "rechazada" and result.report.total == 5
    assert messages[0].startswith(
        "pesos_malos.csv, fila 2, columna «kpi»: clave desconocida en el catálogo indicadores; las más cercanas:"
        " consultas_medicina_familiar (Consultas de medicina familiar)"
    )
    assert "python -m loaders catalogo indicador" in messages[0]
    assert "pesos_malos.csv, fila 3, columna «peso»: no puede ser negativo (valor «-50»)." in messages
    assert "pesos_malos.csv, fila 3, columna «peso»: el peso debe ser mayor que 0 (valor «-50»)." in messages
    assert any(
        m.startswith("pesos_malos.csv, fila 4, columna «cve_objetivo»: clave desconocida") for m in messages
    )
    assert any(
        m.startswith("pesos_malos.csv, fila 5, columna «cve_direccion»: clave desconocida") for m in messages
    )
    assert snapshot(db) == before


def test_objectives_are_replaced_whole_but_one_still_in_use_cannot_be_dropped(
    db: Path, tmp_path: Path
) -> None:
    seeded = query_rows("SELECT * FROM objetivos ORDER BY orden", path=db)
    kept = [f'{c},{o},"{short}","{name}"' for c, o, short, name, _ in seeded if c != "O3"]
    before = snapshot(db)
    dropped = write(tmp_path / "objetivos.csv", [OBJECTIVES, *kept])
    result = load_file(dropped, mode="reemplazar", db=db)
    assert result.status == "rechazada"
    uses = query_rows(
        "SELECT (SELECT count(*) FROM indicadores_estrategia WHERE cve_objetivo = 'O3'),"
        " (SELECT count(*) FROM proyectos_estrategicos WHERE cve_objetivo = 'O3')",
        path=db,
    )[0]
    assert [f.message for f in result.report.findings] == [
        f"objetivos.csv, columna «cve_objetivo»: el objetivo O3 falta en el archivo y lo usan {uses[0]} filas de"
        " indicadores_estrategia; inclúyalo, o cargue antes indicadores_estrategia sin él.",
        f"objetivos.csv, columna «cve_objetivo»: el objetivo O3 falta en el archivo y lo usan {uses[1]} filas de"
        " proyectos_estrategicos; inclúyalo, o cargue antes proyectos_estrategicos sin él.",
    ]
    assert snapshot(db) == before
    renamed = [line.replace('"Calidad, cobertura y prevención"', '"Calidad y prevención"') for line in kept]
    full = write(tmp_path / "objetivos_v2.csv", [OBJECTIVES, *renamed[:2], '3,3,"Infra","Infraestructura"'])
    assert load_file(full, mode="reemplazar", db=db).status == "rechazada"  # «3» is not O3: O3 still in use
    full = write(
        tmp_path / "objetivos_v3.csv",
        [OBJECTIVES, *renamed, 'O3,3,"Infraestructura","Infraestructura y personal"', 'O7,7,"Nuevo","Nuevo"'],
    )
    result = load_file(full, mode="reemplazar", db=db)
    assert result.loaded, result.message
    shown = strategy.objective_status(strategy.links(db), {})
    assert list(shown["cve_objetivo"]) == ["O1", "O2", "O3", "O4", "O5", "O6", "O7"]
    assert shown.set_index("cve_objetivo").loc["O2", "nombre_corto"] == "Calidad y prevención"
    assert shown.set_index("cve_objetivo").loc["O7", "indicadores"] == 0


def test_undoing_objectives_that_new_weights_use_is_refused_until_those_are_undone(
    db: Path, tmp_path: Path
) -> None:
    seeded = query_rows("SELECT * FROM objetivos ORDER BY orden", path=db)
    lines = [f'{c},{o},"{short}","{name}"' for c, o, short, name, _ in seeded]
    objectives = load_file(
        write(tmp_path / "objetivos.csv", [OBJECTIVES, *lines, "O7,7,Digital,Transformación digital"]),
        mode="reemplazar",
        db=db,
    )
    assert objectives.loaded, objectives.message
    # O6 was 40/20/20/20 over the agreement KPIs: acuerdos_registrados (20) moves to O7 alone, O6 gets 40/30/30
    weights = load_file(
        _weights_file(
            tmp_path,
            {
                "acuerdos_registrados": ("O7", "100", "DPEI", "Titular"),
                "acuerdos_vencidos": ("O6", "30", "DPEI", "Titular"),
                "acuerdos_concluidos": ("O6", "30", "DPEI", "Titular"),
            },
        ),
        mode="reemplazar",
        db=db,
    )
    assert weights.loaded, weights.message
    before = snapshot(db, exclude=("auditoria",))
    refused = undo(objectives.load_id, db=db)
    assert refused.status == "rechazada"
    assert refused.message.startswith(
        f"No se puede deshacer la carga {objectives.load_id}: el catálogo quedaría"
    )
    assert "el objetivo O7 falta en el archivo y lo usan 1 filas de indicadores_estrategia" in refused.message
    assert snapshot(db, exclude=("auditoria",)) == before
    assert undo(weights.load_id, db=db).loaded
    assert undo(objectives.load_id, db=db).loaded
    assert query_rows("SELECT * FROM objetivos ORDER BY orden", path=db) == seeded


def test_an_uploaded_catalog_survives_a_catalog_reload_and_the_csv_returns_after_undo(
    db: Path, tmp_path: Path
) -> None:
    seeded = _seeded_weights(db)
    path = _weights_file(tmp_path, {"consultas_urgencias": ("O1", "20", "DPM", "Dr. Luis Gómez")})
    result = load_file(path, mode="reemplazar", db=db)
    assert result.loaded, result.message
    uploaded = _seeded_weights(db)
    load_catalogs(warehouse.connect(db))  # what a later migration does
    assert _seeded_weights(db) == uploaded
    assert undo(result.load_id, db=db).loaded
    load_catalogs(warehouse.connect(db))
    assert _seeded_weights(db) == seeded


def test_the_cli_refuses_bad_weights_with_exit_2_and_loads_good_ones(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    bad = _weights_file(tmp_path, {"reservas_saldo": ("O5", None, None, None)}, name="pesos_sin_reservas.csv")
    assert main(["load", str(bad), "--modo", "reemplazar"]) == 2
    out = capsys.readouterr().out
    assert "pesos_sin_reservas.csv" in out and "objetivo O5 suman 93; deben sumar 100" in out
    out_file = tmp_path / "exportado.csv"
    assert main(["export", "indicadores_estrategia", "--salida", str(out_file)]) == 0  # the round trip
    capsys.readouterr()
    assert main(["load", str(out_file), "--modo", "reemplazar"]) == 0
    assert "32 filas" in capsys.readouterr().out
    assert main(["catalogo", "indicador"]) == 0
    assert "consultas_medicina_familiar" in capsys.readouterr().out

"""Strategy map: the objective roll-up rule and the catalogs behind it."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators import strategy
from indicators.catalog import BY_ID
from indicators.status import AT_RISK, NO_TARGET, OFF_TARGET, ON_TARGET


def test_rollup_weights_the_kpi_scores() -> None:
    # (1 × 3 + 0.5 × 1) / 4 = 0.875 → En meta
    assert strategy.rollup({"a": ON_TARGET, "b": AT_RISK}, {"a": 3, "b": 1}) == (ON_TARGET, 0.875)
    # (1 × 1 + 0 × 1) / 2 = 0.5 → En riesgo (the threshold is inclusive)
    assert strategy.rollup({"a": ON_TARGET, "b": OFF_TARGET}, {"a": 1, "b": 1}) == (AT_RISK, 0.5)
    # (1 × 1 + 0 × 3) / 4 = 0.25 → Fuera de meta
    assert strategy.rollup({"a": ON_TARGET, "b": OFF_TARGET}, {"a": 1, "b": 3}) == (OFF_TARGET, 0.25)


def test_rollup_leaves_out_kpis_without_meta() -> None:
    assert strategy.rollup({"a": AT_RISK, "b": NO_TARGET}, {"a": 1, "b": 5}) == (AT_RISK, 0.5)
    assert strategy.rollup({"a": NO_TARGET}, {"a": 1}) == (NO_TARGET, None)
    assert strategy.rollup({}, {}) == (NO_TARGET, None)


def test_catalogs_map_every_kpi_to_one_piimss_objective_with_owner(demo_db: Path) -> None:
    links = strategy.links(demo_db)
    assert sorted(links["cve_objetivo"].unique()) == ["O1", "O2", "O3", "O4", "O5", "O6"]
    assert sorted(links["kpi"]) == sorted(BY_ID)  # every KPI exactly once
    assert links["direccion"].notna().all() and (links["peso"] > 0).all()
    projects = strategy.projects(demo_db)
    assert list(projects["numero"]) == list(range(1, 50))
    assert projects.loc[projects["numero"] == 8, "nombre"].item() == "Telemedicina"
    assert projects["direccion"].notna().all()


def test_objective_status_from_the_links(demo_db: Path) -> None:
    links = strategy.links(demo_db)
    statuses = dict.fromkeys(BY_ID, ON_TARGET) | {"ingresos_obrero_patronales": OFF_TARGET}
    table = strategy.objective_status(links, statuses).set_index("cve_objetivo")
    o5 = links[links["cve_objetivo"] == "O5"]
    weight = o5.loc[o5["kpi"] == "ingresos_obrero_patronales", "peso"].item()
    assert table.loc["O5", "puntaje"] == pytest.approx(1 - weight / o5["peso"].sum())
    assert table.loc["O1", "estado"] == ON_TARGET and table.loc["O1", "puntaje"] == 1.0
    assert int(table.loc["O5", "indicadores"]) == len(o5)


def test_project_progress_is_uploaded_like_any_dataset(demo_db: Path, tmp_path: Path) -> None:
    import shutil

    from indicators.engine import latest_period
    from loaders import load_file
    from warehouse import query_rows

    db = tmp_path / "cmi.duckdb"
    shutil.copy(demo_db, db)
    month = f"{latest_period(db):%Y-%m}"
    before = dict(
        query_rows("SELECT cve_proyecto, avance FROM avance_proyectos WHERE periodo = ?", [f"{month}-01"], db)
    )
    assert len(before) == 49  # the demo reports every project every month
    good = tmp_path / "avance.csv"
    p08, p01 = max(before["P08"] - 1, 0), max(before["P01"] - 2, 0)  # plausible revisions of the report
    good.write_text(
        f"cve_proyecto,periodo,avance,comentario\nP08,{month},{p08:g},piloto\nP01,{month},{p01:g},\n"
    )
    assert load_file(good, dataset="avance_proyectos", mode="reemplazar", db=db).loaded
    projects = strategy.projects(db).set_index("cve_proyecto")
    assert projects.loc["P08", "avance"] == p08 and projects.loc["P01", "avance"] == p01
    assert projects.loc["P02", "avance"] == before["P02"]  # a project not in the file keeps its report
    bad = tmp_path / "avance_malo.csv"
    bad.write_text(f"cve_proyecto,periodo,avance,comentario\nP99,{month},10,\nP02,{month},120,\n")
    refused = load_file(bad, dataset="avance_proyectos", mode="reemplazar", db=db)
    assert not refused.loaded
    found = {(f.row, f.column) for f in refused.report.findings}
    assert (2, "cve_proyecto") in found and (3, "avance") in found  # the row and the column of each error
    assert strategy.projects(db).set_index("cve_proyecto").loc["P08", "avance"] == p08  # nothing changed

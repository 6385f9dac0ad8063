"""The results table (indicators/results.py) equals the engine's direct computation, bit for bit, and follows the data version."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from indicators import engine, forecast, results
from indicators.catalog import CATALOG, get
from indicators.periods import add_months
from loaders import load_file
from loaders.history import undo
from warehouse import query_rows


@pytest.fixture(scope="module")
def built(demo_db: Path) -> results.Results:
    return results.build(demo_db)


def _latest(db: Path) -> date:
    return engine.latest_period(db)


def _ids(r: results.Results, ambito: str) -> list[str]:
    level = ambito.partition(":")[0]
    return [k for k in sorted(r.kpis) if level == "nacional" or level in get(k).niveles]


def test_every_scorecard_kpi_is_held_and_agreements_stay_with_the_engine(built: results.Results) -> None:
    assert built.kpis == {k.id for k in CATALOG if k.fuente != "acuerdos"}
    assert not built.covers(["cumplimiento_acuerdos"])
    scopes = {a for (a,) in built.con.execute("SELECT DISTINCT ambito FROM r").fetchall()}
    assert len(scopes) == 1 + 4 + 32 + 35  # nacional, regions, states, OOAD


def test_values_equal_the_engine_for_every_kpi_and_scope(built: results.Results, demo_db: Path) -> None:
    latest = _latest(demo_db)
    scopes = [a for (a,) in built.con.execute("SELECT DISTINCT ambito FROM r ORDER BY 1").fetchall()]
    compared = 0
    for periodo in (f"{latest:%Y-%m}", str(latest.year)):
        for ambito in scopes:
            ids = _ids(built, ambito)
            mine = built.values(ids, periodo, ambito)
            assert mine is not None, (periodo, ambito)
            assert mine == engine.values(ids, periodo, ambito, db=demo_db), (periodo, ambito)
            compared += len(ids)
    assert compared == 2 * (28 + 71 * 23)  # finances are national only


def test_values_equal_the_engine_in_every_period(built: results.Results, demo_db: Path) -> None:
    months = [m for (m,) in built.con.execute("SELECT DISTINCT codigo FROM r ORDER BY 1").fetchall()]
    assert "2019" in months and "2019-12" in months
    for periodo in months:
        for ambito in ("nacional", "entidad:15"):
            ids = _ids(built, ambito)
            assert built.values(ids, periodo, ambito) == engine.values(ids, periodo, ambito, db=demo_db), (
                periodo,
                ambito,
            )


def test_a_period_after_the_data_is_none_as_in_the_engine(built: results.Results, demo_db: Path) -> None:
    later = f"{add_months(_latest(demo_db), 14):%Y-%m}"
    ids = _ids(built, "nacional")
    assert built.values(ids, later, "nacional") == engine.values(ids, later, db=demo_db)
    assert set(built.values(ids, later, "nacional").values()) == {None}


def test_breakdowns_equal_the_engine(built: results.Results, demo_db: Path) -> None:
    latest = _latest(demo_db)
    ids = sorted(built.kpis)
    for periodo in (f"{latest:%Y-%m}", str(latest.year - 1)):
        for nivel, ambito in [
            ("region", "nacional"),
            ("ooad", "nacional"),
            ("entidad", "nacional"),
            ("ooad", "region:Centro"),
            ("entidad", "region:Centro"),
            ("region", "region:Norte"),
        ]:
            mine = built.breakdowns(ids, periodo, nivel, ambito)
            theirs = engine.breakdowns(ids, periodo, nivel, ambito, db=demo_db)
            for kpi_id in ids:
                pd.testing.assert_frame_equal(mine[kpi_id], theirs[kpi_id], check_exact=True)
    national = built.breakdowns(["consultas_medicina_familiar"], f"{latest:%Y-%m}", "ooad", "nacional")
    assert len(national["consultas_medicina_familiar"]) == 35  # every office with data


def test_sparklines_equal_the_engine_series(built: results.Results, demo_db: Path) -> None:
    end = _latest(demo_db)
    for ambito in ("nacional", "region:Occidente", "entidad:09", "ooad:21"):
        ids = _ids(built, ambito)
        for months in (12, 72):
            mine = built.sparklines(ids, add_months(end, -months), end, ambito)
            theirs = engine.series_many(ids, add_months(end, -months), end, ambito, db=demo_db)
            assert mine == {k: [float(x) for x in f["valor"]] for k, f in theirs.items()}
    monthly = built.sparklines(["consultas_medicina_familiar"], add_months(end, -12), end, "nacional")
    assert len(monthly["consultas_medicina_familiar"]) == 13


def test_year_end_projections_from_the_table_equal_the_engine_ones(
    built: results.Results, demo_db: Path
) -> None:
    end = _latest(demo_db)
    projected = 0
    for ambito in ("nacional", "region:Occidente", "ooad:21"):
        for kpi in (k for k in CATALOG if forecast.projectable(k) and k.id in _ids(built, ambito)):
            for periodo in (f"{end:%Y-%m}", f"{add_months(end, -7):%Y-%m}", str(end.year)):
                start = add_months(end, -(forecast.HISTORY_MONTHS - 1))
                series = engine.series(kpi.id, start, end, ambito, db=demo_db)
                history = built.history(kpi.id, start, end, ambito)
                assert list(history) == list(series["valor"]) and list(history.index) == list(
                    series["periodo"]
                )
                mine = forecast.year_end(kpi.id, periodo, ambito, demo_db, table=built)
                theirs = forecast.year_end(kpi.id, periodo, ambito, demo_db)
                assert (mine is None) == (theirs is None), (kpi.id, ambito, periodo)
                if isinstance(mine, forecast.Unreliable):
                    assert mine == theirs, (kpi.id, ambito, periodo)
                elif mine is not None:
                    assert isinstance(theirs, forecast.YearEnd)
                    projected += 1
                    assert (mine.proyeccion, mine.inferior, mine.superior, mine.probabilidad, mine.hasta) == (
                        theirs.proyeccion,
                        theirs.inferior,
                        theirs.superior,
                        theirs.probabilidad,
                        theirs.hasta,
                    )
                    pd.testing.assert_frame_equal(mine.mensual, theirs.mensual)
    assert projected >= 30


def test_a_load_and_its_undo_are_new_versions_never_answered_from_older_rows(
    demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "cmi.duckdb"
    shutil.copy(demo_db, db)
    month = _latest(db)
    periodo = f"{month:%Y-%m}"
    before = results.current(db)
    assert before is not None
    kpi = "consultas_medicina_familiar"
    original = before.values([kpi], periodo, "ooad:09")[kpi].valor
    columns = [
        c
        for (c,) in query_rows(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'consultas' AND column_name <> 'carga_id'",
            path=db,
        )
    ]
    csv = tmp_path / "consultas.csv"
    rows = query_rows(f"SELECT {', '.join(columns)} FROM consultas WHERE periodo = ?", [month], db)
    lines = [",".join(columns)]
    for values in rows:
        record = dict(zip(columns, values, strict=True)) | {"periodo": periodo}
        if record["cve_ooad"] == "09":
            record[kpi] = 123_456
        lines.append(",".join(str(record[c]) for c in columns))
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = load_file(csv, dataset="consultas", mode="reemplazar", db=db, accept_warnings=True)
    assert loaded.loaded, loaded.message

    after = results.current(db)
    assert after.key[1] > before.key[1]  # a new version, built from the new rows
    assert after is results.current(db, version=after.key[1])
    assert results.current(db, version=after.key[1] + 1) is None  # only the warehouse's version is built
    assert before.values([kpi], periodo, "ooad:09")[kpi].valor == original  # a version's rows never change
    assert after.values([kpi], periodo, "ooad:09")[kpi].valor == 123_456
    by_ooad = after.breakdowns([kpi], periodo, "ooad", "nacional")[kpi].set_index("clave")["valor"]
    assert by_ooad["09"] == 123_456  # the slices by period and by scope are the new version's too
    assert after.history(kpi, add_months(month, -3), month, "ooad:09").iloc[-1] == 123_456
    assert before.history(kpi, add_months(month, -3), month, "ooad:09").iloc[-1] == original
    assert after.values([kpi], periodo, "nacional") == engine.values([kpi], periodo, db=db)

    undo(loaded.load_id, db=db)
    undone = results.current(db)
    assert undone.key[1] > after.key[1]
    assert undone.values([kpi], periodo, "ooad:09")[kpi].valor == original
    assert undone.history(kpi, add_months(month, -3), month, "ooad:09").iloc[-1] == original
    assert undone.values([kpi], periodo, "nacional") == engine.values([kpi], periodo, db=db)

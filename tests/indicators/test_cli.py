"""`python -m indicators` as a planner runs it, on the demo warehouse (in-process; one real subprocess)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import warehouse
from indicators import cli as indicators_cli
from tests.cli import run_main, run_module
from tests.warehouses import Warehouses
from warehouse.connection import Location

ROOT = Path(__file__).resolve().parents[2]


def cli(db: Location, *args: str) -> subprocess.CompletedProcess:
    return run_main(indicators_cli.main, *args, db=db)


@pytest.fixture(scope="module")
def db(warehouses: Warehouses) -> Location:
    import warehouse

    copy = warehouses.demo("cli")
    warehouse.close_all()  # the subprocess needs the file to itself (embedded mode)
    return copy


def test_value_reproduces_the_published_2019_figure(db):
    result = cli(db, "value", "consultas_medicina_familiar", "--periodo", "2019")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {
        "kpi",
        "periodo",
        "ambito",
        "valor",
        "unidad",
        "meta",
        "cumplimiento",
        "estado",
        "variacion_anual",
    } <= set(out)
    assert round(out["valor"] / 1e6, 1) == 92.6
    assert (out["periodo"], out["ambito"]) == ("2019", "nacional")


def test_value_for_a_region_and_the_iop_against_its_meta(db):
    out = json.loads(cli(db, "value", "ingresos_obrero_patronales", "--periodo", "2019").stdout)
    assert round(out["valor"]) == 350_110 and round(out["meta"]) == 343_865
    assert out["estado"] == "En meta"
    region = json.loads(
        cli(db, "value", "patrones_registrados", "--periodo", "2019-12", "--ambito", "region:Centro").stdout
    )
    assert 0 < region["valor"] < 1_001_793


def test_series_is_the_real_jobs_series(db):
    result = cli(db, "series", "puestos_trabajo_afiliados", "--desde", "2019-01", "--hasta", "2019-12")
    rows = json.loads(result.stdout)
    real = pd.read_csv(ROOT / "data" / "puestos_nacionales.csv")
    expected = dict(zip(real["periodo"], real["puestos_trabajo_afiliados"], strict=True))
    assert [r["periodo"] for r in rows] == [f"2019-{m:02d}" for m in range(1, 13)]
    assert all(r["valor"] == expected[r["periodo"]] for r in rows)


def test_list_is_the_catalog(db):
    rows = json.loads(cli(db, "list").stdout)
    assert len(rows) == 32 and rows[0]["id"] == "consultas_medicina_familiar"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("value", "no_existe", "--periodo", "2019"), "Indicador desconocido"),
        (("value", "consultas_medicina_familiar", "--periodo", "2019-13"), "Periodo no válido"),
        (
            ("value", "consultas_medicina_familiar", "--periodo", "2019", "--ambito", "ooad:77"),
            "OOAD desconocido",
        ),
        (
            ("value", "consultas_medicina_familiar", "--periodo", "2019", "--ambito", "planeta:x"),
            "Ámbito no válido",
        ),
    ],
)
def test_bad_arguments_exit_2_with_a_spanish_message(db, args, message):
    result = cli(db, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_module_runs_as_a_real_subprocess(db):
    warehouse.close_all()  # the subprocess needs the file to itself
    result = run_module("indicators", "value", "puestos_trabajo_afiliados", "--periodo", "2019-12", db=db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(
        cli(db, "value", "puestos_trabajo_afiliados", "--periodo", "2019-12").stdout
    )

"""A user's scope cuts every engine call: asking wider gets the scope, outside is refused.

Tiny warehouse (tests/indicators/tiny_warehouse.py): consultas de medicina familiar in 2024 are
01 → 120 + 130 = 250, 05 → 220 + 230 = 450 (both Norte), 09 → 1200 + 1300 = 2500 (Centro).
"""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from indicators import cli as indicators_cli
from indicators import engine
from indicators.periods import InvalidArgumentError
from tests.cli import run_main
from tests.indicators import tiny_warehouse

KPI = "consultas_medicina_familiar"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory):
    path = tiny_warehouse.build(tmp_path_factory.mktemp("tiny") / "tiny.duckdb")
    yield path
    import warehouse

    warehouse.close_all()


def test_a_scoped_user_asking_for_the_nation_gets_its_scope(db):
    assert engine.value(KPI, "2024", "nacional", db).valor == 3200
    assert engine.value(KPI, "2024", "nacional", db, within="region:Norte").valor == 700
    assert engine.value(KPI, "2024", "nacional", db, within="ooad:05").valor == 450
    # a narrower request inside the scope is honoured
    assert engine.value(KPI, "2024", "ooad:01", db, within="region:Norte").valor == 250
    # asking for the region that holds an OOAD user's office still gives only the office
    assert engine.value(KPI, "2024", "region:Norte", db, within="ooad:05").valor == 450


@pytest.mark.parametrize(
    ("within", "wanted"),
    [
        ("region:Centro", "ooad:05"),
        ("region:Centro", "region:Norte"),
        ("ooad:09", "ooad:05"),
        ("ooad:09", "region:Norte"),
    ],
)
def test_a_request_outside_the_scope_is_refused_in_spanish(db, within, wanted):
    with pytest.raises(InvalidArgumentError, match="fuera de su ámbito"):
        engine.values([KPI], "2024", wanted, db, within=within)
    with pytest.raises(InvalidArgumentError, match="fuera de su ámbito"):
        engine.series_many([KPI], date(2024, 1, 1), date(2024, 2, 1), wanted, db, within=within)
    with pytest.raises(InvalidArgumentError, match="fuera de su ámbito"):
        engine.breakdowns([KPI], "2024", "ooad", wanted, db, within=within)


def test_breakdowns_and_series_stay_inside_the_scope(db):
    regions = engine.breakdown(KPI, "2024", "region", "nacional", db, within="region:Norte")
    assert regions[["clave", "valor"]].values.tolist() == [["Norte", 700.0]]
    ooad = engine.breakdown(KPI, "2024", "ooad", "nacional", db, within="region:Norte")
    assert sorted(zip(ooad["clave"], ooad["valor"], strict=True)) == [("01", 250.0), ("05", 450.0)]
    one = engine.breakdown(KPI, "2024", "ooad", "nacional", db, within="ooad:09")
    assert one["clave"].tolist() == ["09"] and one["valor"].tolist() == [2500.0]
    trend = engine.series(KPI, date(2023, 1, 1), date(2024, 2, 1), "nacional", db, within="ooad:01")
    assert trend["valor"].tolist() == [100, 110, 120, 130]


def test_intersect_is_the_narrower_scope(db):
    assert engine.intersect("nacional", "ooad:05", db).code == "ooad:05"
    assert engine.intersect("region:Norte", "nacional", db).code == "region:Norte"
    assert engine.intersect("ooad:05", "region:Norte", db).code == "ooad:05"
    assert engine.intersect(None, "region:Centro", db).code == "region:Centro"


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return run_main(indicators_cli.main, *args, db=db)


@pytest.mark.parametrize(
    "rol", ["direccion_general", "ejecutivo", "director_normativo", "planeacion", "analista", "administrador"]
)
def test_the_cli_cuts_to_the_named_account_scope(tmp_path, rol):
    from access import users
    from warehouse import close_all

    db = tiny_warehouse.build(tmp_path / "tiny.duckdb")
    direccion = "DPM" if rol == "director_normativo" else None
    users.add_user("norte", "Norte", None, [rol], ambito="region:Norte", cve_direccion=direccion, path=db)
    users.add_user("coahuila", "Coahuila", None, [rol], ambito="ooad:05", cve_direccion=direccion, path=db)
    close_all()
    region = _cli(db, "value", KPI, "--periodo", "2024", "--usuario", "norte")
    assert region.returncode == 0, region.stderr
    assert json.loads(region.stdout)["valor"] == 700
    office = _cli(db, "series", KPI, "--desde", "2024-01", "--hasta", "2024-02", "--usuario", "coahuila")
    assert [p["valor"] for p in json.loads(office.stdout)] == [220, 230]
    refused = _cli(
        db, "value", KPI, "--periodo", "2024", "--ambito", "region:Centro", "--usuario", "coahuila"
    )
    assert refused.returncode == 2 and "fuera de su ámbito" in refused.stderr
    unknown = _cli(db, "value", KPI, "--periodo", "2024", "--usuario", "nadie")
    assert unknown.returncode == 2 and "no existe" in unknown.stderr

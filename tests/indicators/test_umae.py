"""UMAE below the OOAD: hand-built facts for two UMAE of OOAD 09, read at UMAE scope, ranked,
split out of their OOAD's gap; the OOAD and national figures never count them twice."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators import engine, gap
from indicators.catalog import get
from indicators.periods import InvalidArgumentError, parse_scope
from tests.indicators import tiny_warehouse
from warehouse import close_all
from warehouse.connection import connect

# (cirugias_programadas, cirugias_oportunas, consultas_especialidades) for 2024-01 and 2024-02;
# U06 and U07 sit in OOAD 09 (Ciudad de México Norte, data/catalogos/umae.csv)
UMAE_ROWS = {"U06": ((40, 30, 500), (40, 38, 600)), "U07": ((20, 18, 300), (20, 20, 300))}
MONTHS = ("2024-01-01", "2024-02-01")
SPECIALTY_METAS = {"ooad:09": 1800, "umae:U06": 600, "umae:U07": 250}  # per month


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory):
    path = tiny_warehouse.build(tmp_path_factory.mktemp("umae") / "tiny.duckdb")
    before = {
        scope: engine.value("oportunidad_quirurgica", "2024", scope, path).valor
        for scope in ("nacional", "region:Centro", "ooad:09")
    }
    con = connect(path)
    con.execute("UPDATE consultas SET consultas_especialidades = 2000 WHERE cve_ooad = '09'")
    for umae, months in UMAE_ROWS.items():
        for month, (prog, timely, specialties) in zip(MONTHS, months, strict=True):
            con.execute(
                "INSERT INTO consultas_umae (periodo, cve_umae, cirugias_programadas, cirugias_oportunas,"
                " consultas_especialidades, carga_id) VALUES (?, ?, ?, ?, ?, 1)",
                [month, umae, prog, timely, specialties],
            )
    metas = [("consultas_especialidades", m, a, v) for a, v in SPECIALTY_METAS.items() for m in MONTHS]
    con.executemany("INSERT INTO metas VALUES (?, ?, ?, ?, 1)", metas)
    close_all()
    yield path, before
    close_all()


def test_a_umae_scope_reads_its_own_rows(db):
    path, _ = db
    # U06 in 2024: (30 + 38) / (40 + 40) = 85 %; the meta falls back to the national rate (Feb: 90)
    v = engine.value("oportunidad_quirurgica", "2024", "umae:U06", path)
    assert (v.valor, v.meta, v.estado) == (85.0, 90.0, "En riesgo")  # 85/90 = 0.944: ≥ 0.93, < 0.98
    feb = engine.value("consultas_especialidades", "2024-02", "umae:6", path)  # «6» reads as U06
    assert (feb.valor, feb.meta, feb.estado, feb.valor_periodo_anterior) == (600.0, 600.0, "En meta", 500.0)


def test_ooad_region_and_national_figures_do_not_add_the_umae_again(db):
    path, before = db
    for scope, valor in before.items():
        assert engine.value("oportunidad_quirurgica", "2024", scope, path).valor == valor
    assert before["ooad:09"] == (90 + 95) / 200 * 100


def test_ranking_of_the_umae_of_an_ooad(db):
    path, _ = db
    ranked = engine.breakdown("oportunidad_quirurgica", "2024", "umae", "ooad:09", path)
    assert list(ranked["clave"]) == ["U07", "U06"]  # 95 % before 85 %
    assert list(ranked["valor"]) == [95.0, 85.0]
    assert list(ranked["estado"]) == ["En meta", "En riesgo"]
    assert ranked["nombre"].iloc[0] == "Hospital General, CMN La Raza"
    assert engine.breakdown("oportunidad_quirurgica", "2024", "umae", "ooad:01", path).empty


def test_gap_of_a_ratio_split_by_umae_and_the_rest_of_the_ooad(db):
    path, _ = db
    value, meta, frame = gap.decompose("oportunidad_quirurgica", "2024", "umae", "ooad:09", path)
    assert (value, meta) == (92.5, 90.0)
    by = frame.set_index("clave")["contribucion"]
    # weights of 200 programadas: U06 80 → 0.4 × (85 − 90) = −2; U07 40 → 0.2 × (95 − 90) = +1;
    # the rest: (185 − 30 − 38 − 18 − 20) / (200 − 120) = 79 / 80 = 98.75 % → 0.4 × 8.75 = +3.5
    assert by.to_dict() == pytest.approx({"U06": -2.0, "U07": 1.0, gap.REST: 3.5})
    assert by.sum() == pytest.approx(2.5, abs=1e-12)
    assert list(frame["clave"])[-1] == gap.REST  # the rest goes last, after the UMAE


def test_gap_of_a_sum_split_by_umae_and_the_rest_of_the_ooad(db):
    path, _ = db
    value, meta, frame = gap.decompose("consultas_especialidades", "2024", "umae", "ooad:09", path)
    assert (value, meta) == (4000.0, 3600.0)
    # U06 1100 − 1200 = −100; U07 600 − 500 = +100; rest (4000 − 1700) − (3600 − 1700) = +400
    assert frame.set_index("clave")["contribucion"].to_dict() == {
        "U06": -100.0,
        "U07": 100.0,
        gap.REST: 400.0,
    }


def test_with_rest_by_hand() -> None:
    units = pd.DataFrame(
        {"clave": ["U01", "U02"], "nombre": ["A", "B"], "valor": [10.0, 5.0], "meta": [12.0, 4.0]}
    )
    rest = gap.with_rest(units, 100.0, 110.0).set_index("clave")
    assert (rest.loc[gap.REST, "valor"], rest.loc[gap.REST, "meta"]) == (85.0, 94.0)
    ratio = units.assign(valor=[80.0, 95.0], meta=[90.0, 90.0], peso=[100.0, 50.0])
    # national 85 % over 1,000: the rest weighs 850 at (85,000 − 8,000 − 4,750) / 850 = 85 %
    frame = gap.decompose_ratio(gap.with_rest(ratio, 85.0, 1000.0, 1000.0), 85.0, 90.0).set_index("clave")
    assert frame["contribucion"].to_dict() == pytest.approx({"U01": -1.0, "U02": 0.25, gap.REST: -4.25})
    assert gap.sentence(get("oportunidad_quirurgica"), frame.reset_index(), -5.0, "umae") == (
        "1 UMAE explica el 20 % de la brecha: A (20 %)."
        " En sentido contrario, 1 UMAE la compensa en 5 %: su resultado es mejor que su meta."
    )


def test_umae_scopes_in_spanish(db):
    path, _ = db
    assert parse_scope("umae:u6").code == "umae:U06"
    with pytest.raises(InvalidArgumentError, match="no se mide por UMAE"):
        engine.value("consultas_medicina_familiar", "2024", "umae:U06", path)
    with pytest.raises(InvalidArgumentError, match="UMAE desconocida: «U99»"):
        engine.value("oportunidad_quirurgica", "2024", "umae:U99", path)
    assert engine.intersect("ooad:09", "umae:U06", path).code == "umae:U06"
    assert engine.intersect("region:Centro", "umae:U06", path).code == "umae:U06"
    with pytest.raises(InvalidArgumentError, match="fuera de su ámbito"):
        engine.intersect("ooad:01", "umae:U06", path)

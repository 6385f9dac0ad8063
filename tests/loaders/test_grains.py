"""Files at every grain (national, state, OOAD) loaded as planners have them, read back by the engine.

Every expected number is worked out by hand from the rows written here. Catalog facts used:
entidad 09 (CDMX) = OOAD 09 + 10, entidad 15 (Edo. Méx.) = OOAD 16 + 17, both in región Centro;
entidad 01 (Aguascalientes) = OOAD 01, región Norte.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators import engine
from loaders import load_file
from loaders.cli import main
from tests.loaders.helpers import MEASURES as CONSULTAS_MEASURES
from tests.loaders.helpers import snapshot
from warehouse import query_rows

JOBS = "puestos_trabajo_afiliados"


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _load(path: Path, db: Path, **kw: object):
    result = load_file(path, db=db, accept_warnings=True, **kw)
    assert result.loaded, result.message
    return result


def _v(kpi: str, period: str, scope: str, db: Path):
    return engine.value(kpi, period, scope, db)


@pytest.fixture
def states(db: Path, tmp_path: Path) -> Path:
    """Jobs by state (column cve_ent, as INEGI names it) for 2024-01 and 2024-02."""
    _load(
        _csv(
            tmp_path / "empleo_estatal.csv",
            "periodo,cve_ent,puestos_trabajo\n"
            "2024-01,9,1000\n2024-01,15,800\n2024-01,1,100\n"
            "2024-02,9,1100\n2024-02,15,850\n2024-02,1,110\n",
        ),
        db,
    )
    return db


def test_state_series_answers_nation_region_and_state_but_not_an_office(states: Path) -> None:
    assert _v(JOBS, "2024-02", "nacional", states).valor == 1100 + 850 + 110
    assert _v(JOBS, "2024-02", "region:Centro", states).valor == 1100 + 850
    assert _v(JOBS, "2024-02", "region:Norte", states).valor == 110
    assert _v(JOBS, "2024-02", "entidad:09", states).valor == 1100
    assert _v(JOBS, "2024-01", "entidad:15", states).valor == 800
    office = _v(JOBS, "2024-02", "ooad:09", states)  # CDMX Norte: half of a state is not in the file
    assert office.valor is None
    assert office.nota == "No disponible a este nivel: los datos de este periodo son por entidad federativa."
    assert engine.breakdown(JOBS, "2024-02", "ooad", db=states).empty  # no OOAD ranking made up
    by_state = engine.breakdown(JOBS, "2024-02", "entidad", db=states)
    assert dict(zip(by_state["clave"], by_state["valor"], strict=True)) == {"09": 1100, "15": 850, "01": 110}
    assert query_rows("SELECT count(*) FROM afiliacion", path=states)[0][0] == 0  # no OOAD row invented


def test_state_then_office_series_each_level_reads_one_grain_no_double_count(
    states: Path, tmp_path: Path
) -> None:
    _load(
        _csv(
            tmp_path / "empleo_ooad.csv",
            "periodo,cve_ooad,puestos_trabajo\n2024-02,09,600\n2024-02,10,520\n2024-02,01,111\n",
        ),
        states,
    )
    # CDMX and Aguascalientes now come from their OOAD rows; Edo. Méx. still from its state row
    assert _v(JOBS, "2024-02", "entidad:09", states).valor == 600 + 520  # not 1100 + 1120
    assert _v(JOBS, "2024-02", "entidad:01", states).valor == 111
    assert _v(JOBS, "2024-02", "entidad:15", states).valor == 850
    assert _v(JOBS, "2024-02", "nacional", states).valor == 1120 + 850 + 111
    assert _v(JOBS, "2024-02", "region:Centro", states).valor == 1120 + 850
    assert _v(JOBS, "2024-02", "ooad:10", states).valor == 520
    assert _v(JOBS, "2024-02", "ooad:16", states).nota is not None  # Edo. Méx. Oriente: state data only
    assert _v(JOBS, "2024-01", "nacional", states).valor == 1000 + 800 + 100  # January: states only
    by_office = engine.breakdown(JOBS, "2024-02", "ooad", db=states)
    assert dict(zip(by_office["clave"], by_office["valor"], strict=True)) == {"09": 600, "10": 520, "01": 111}


def test_national_only_series_loads_without_inventing_rows(db: Path, tmp_path: Path) -> None:
    result = _load(_csv(tmp_path / "patrones.csv", "periodo,patrones\n2024-01,5000\n2024-02,5100\n"), db)
    assert result.dataset == "afiliacion" and result.rows == 2
    assert query_rows("SELECT periodo::VARCHAR, patrones FROM afiliacion_nacional ORDER BY 1", path=db) == [
        ("2024-01-01", 5000),
        ("2024-02-01", 5100),
    ]
    assert query_rows("SELECT count(*) FROM afiliacion", path=db)[0][0] == 0
    assert _v("patrones_registrados", "2024-02", "nacional", db).valor == 5100
    state = _v("patrones_registrados", "2024-02", "entidad:09", db)
    assert state.valor is None and state.nota.endswith("son solo nacionales.")


def test_national_row_wins_over_partial_states_and_complete_states_win_over_it(
    db: Path, tmp_path: Path
) -> None:
    _load(_csv(tmp_path / "nacional.csv", "periodo,puestos_trabajo\n2024-03,9999\n2024-04,9999\n"), db)
    _load(_csv(tmp_path / "una_oficina.csv", "periodo,cve_ooad,puestos_trabajo\n2024-03,09,700\n"), db)
    every_state = "".join(f"2024-04,{e:02d},10\n" for e in range(1, 33))
    _load(_csv(tmp_path / "estados.csv", "periodo,cve_entidad,puestos_trabajo\n" + every_state), db)
    assert _v(JOBS, "2024-03", "nacional", db).valor == 9999  # one office is not the nation
    assert _v(JOBS, "2024-03", "entidad:09", db).valor == 700
    assert _v(JOBS, "2024-04", "nacional", db).valor == 32 * 10  # all states: the finest complete grain


@pytest.mark.parametrize(
    ("name", "text", "row"),
    [
        ("empleo_estatal_doble.csv", "periodo,cve_entidad,puestos_trabajo\n2024-01,09,10\n2024-01,9,11\n", 3),
        ("patrones_doble.csv", "periodo,patrones\n2024-01,5000\n2024-02,5100\n2024-01,5001\n", 4),
    ],
)
def test_a_key_repeated_in_a_state_or_national_file_is_refused_before_writing(
    db: Path, tmp_path: Path, name: str, text: str, row: int
) -> None:
    # A lake has no primary key to stop the second row: validation is the only guard, in both modes.
    before = snapshot(db)
    result = load_file(_csv(tmp_path / name, text), db=db, accept_warnings=True)
    assert result.status == "rechazada" and snapshot(db) == before
    assert [(f.row, f.problem.split(";")[0]) for f in result.report.findings] == [(row, "clave repetida")]
    table = "afiliacion_entidad" if "estatal" in name else "afiliacion_nacional"
    assert query_rows(f"SELECT count(*) FROM {table}", path=db) == [(0,)]


def test_state_file_with_its_column_renamed_cve_ooad_is_caught(db: Path, tmp_path: Path) -> None:
    rows = "".join(f"2024-0{m},{e:02d},{1000 * e}\n" for m in (1, 2) for e in range(1, 33))
    path = _csv(tmp_path / "empleo_renombrado.csv", "periodo,cve_ooad,puestos_trabajo\n" + rows)
    before = snapshot(db)
    result = load_file(path, db=db)
    assert result.status == "rechazada" and snapshot(db) == before
    problems = [f.problem for f in result.cautions.findings]
    assert any("parecen claves INEGI de entidad federativa" in p for p in problems)
    assert any("cubre 32 de 35 OOAD" in p for p in problems)
    assert main(["--db", str(db), "load", str(path)]) == 2  # the CLI without --aceptar-advertencias
    assert snapshot(db) == before
    audit = query_rows("SELECT detalle FROM auditoria WHERE accion = 'carga_rechazada'", path=db)
    assert "advertencias=" in audit[-1][0] and "parecen claves INEGI" in audit[-1][0]


def test_jump_from_history_is_a_warning_naming_the_row(db: Path, tmp_path: Path) -> None:
    _load(
        _csv(tmp_path / "enero.csv", "periodo,cve_ooad,puestos_trabajo\n2024-01,09,1000\n2024-01,10,500\n"),
        db,
    )
    path = _csv(
        tmp_path / "febrero.csv", "periodo,cve_ooad,puestos_trabajo\n2024-02,09,1050\n2024-02,10,1600\n"
    )
    result = load_file(path, db=db, dry_run=True)
    jumps = [f for f in result.cautions.findings if f.column == "puestos_trabajo"]
    assert [(f.row, f.value) for f in jumps] == [(3, "1,600")]  # 1600 > 2 × 500; 1050 is plausible
    assert "500" in jumps[0].problem


def test_month_in_course_is_a_warning_and_next_month_is_refused(db: Path, tmp_path: Path) -> None:
    from datetime import date

    path = _csv(tmp_path / "noviembre.csv", "periodo,puestos_trabajo\n2026-11,100\n")
    result = load_file(path, db=db, dry_run=True, today=date(2026, 11, 27))
    assert [f.problem for f in result.cautions.findings] == [
        "el mes aún no termina; sus cifras serán parciales"
    ]
    later = load_file(path, db=db, dry_run=True, today=date(2026, 10, 30))
    assert later.status == "rechazada" and later.report.findings[0].problem == "periodo futuro"


def test_replace_with_a_subset_of_measures_leaves_the_others_identical(db: Path, tmp_path: Path) -> None:
    _load(
        _csv(
            tmp_path / "afiliacion.csv",
            "periodo,cve_ooad,puestos_trabajo,patrones,masa_salarial\n"
            "2024-01,09,1000,70,5000.5\n2024-01,10,2000,80,6000.25\n2024-02,09,1100,71,5100\n",
        ),
        db,
    )
    others = (
        "SELECT sum(hash(periodo, cve_ooad, puestos_permanentes, puestos_eventuales, puestos_con_salario,"
        " masa_salarial, asegurados, patrones, poblacion_derechohabiente_adscrita,"
        " asegurados_programas_especiales)::HUGEINT), count(*) FROM afiliacion"
    )
    before = query_rows(others, path=db)
    path = _csv(
        tmp_path / "solo_puestos.csv", "periodo,cve_ooad,puestos_trabajo\n2024-01,09,1001\n2024-01,10,2002\n"
    )
    preview = load_file(path, mode="reemplazar", db=db, dry_run=True)
    assert preview.changes == [
        "puestos_trabajo: 2 filas (2024-01, 2 ya cargadas): 3,000 → 3,003",
        "Sin cambio (el archivo no las trae): masa_salarial, patrones",
    ]
    result = _load(path, db, mode="reemplazar")
    assert query_rows(others, path=db) == before
    assert query_rows(
        "SELECT cve_ooad, puestos_trabajo, patrones FROM afiliacion ORDER BY periodo, 1", path=db
    ) == [
        ("09", 1001, 70),
        ("10", 2002, 80),
        ("09", 1100, 71),
    ]
    from loaders.history import undo

    assert undo(result.load_id, db=db).loaded
    assert query_rows("SELECT sum(puestos_trabajo) FROM afiliacion", path=db)[0][0] == 1000 + 2000 + 1100


def test_coverage_marks_partial_months_and_the_default_period_is_the_latest_complete(
    db: Path, tmp_path: Path
) -> None:
    from indicators.coverage import coverage, latest_complete

    offices = [r[0] for r in query_rows("SELECT cve_ooad FROM ooad ORDER BY 1", path=db)]
    header = "periodo,cve_ooad," + ",".join(c for c in CONSULTAS_MEASURES)
    full = "".join(f"2024-01,{o}," + ",".join(["1"] * len(CONSULTAS_MEASURES)) + "\n" for o in offices)
    part = "".join(f"2024-02,{o}," + ",".join(["1"] * len(CONSULTAS_MEASURES)) + "\n" for o in offices[:3])
    _load(_csv(tmp_path / "consultas.csv", header + "\n" + full + part), db)
    states = "".join(f"2024-03,{e:02d},5\n" for e in range(1, 33))
    _load(_csv(tmp_path / "consultas_estados.csv", "periodo,cve_entidad,consultas_urgencias\n" + states), db)
    _load(_csv(tmp_path / "consultas_nacional.csv", "periodo,consultas_urgencias\n2024-04,7\n"), db)
    from datetime import date

    assert coverage("consultas", db) == {
        date(2024, 1, 1): None,
        date(2024, 2, 1): "parcial: 3 de 35 OOAD",
        date(2024, 3, 1): None,  # every state
        date(2024, 4, 1): None,  # a national row alone
    }
    assert latest_complete("consultas", db) == date(2024, 4, 1)
    _load(
        _csv(tmp_path / "consultas_mayo.csv", "periodo,cve_entidad,consultas_urgencias\n2024-05,09,1\n"), db
    )
    assert coverage("consultas", db)[date(2024, 5, 1)] == "parcial: 1 de 32 entidades"
    facts = engine.data_facts(db)
    assert facts["latest"] == date(2024, 4, 1) and facts["months"][0] == date(2024, 5, 1)
    assert facts["partial"] == {
        date(2024, 2, 1): "parcial: 3 de 35 OOAD",
        date(2024, 5, 1): "parcial: 1 de 32 entidades",
    }
    assert engine.latest_period(db) == date(2024, 4, 1)
    feb = _v("consultas_medicina_familiar", "2024-02", "nacional", db)
    assert feb.valor == 3 and feb.cobertura == "parcial: 3 de 35 OOAD"
    assert _v("consultas_medicina_familiar", "2024-01", "nacional", db).cobertura is None


def test_state_rows_export_and_reload_as_a_no_op(states: Path, tmp_path: Path) -> None:
    from exports.datasets import export

    out = tmp_path / "afiliacion_entidad.csv"
    assert export("afiliacion", fmt="csv", out=out, db=states, grain="entidad") == 6
    assert out.read_text(encoding="utf-8").splitlines()[:2] == [
        "periodo,cve_entidad,puestos_trabajo,puestos_permanentes,puestos_eventuales,puestos_con_salario,"
        "masa_salarial,asegurados,patrones,poblacion_derechohabiente_adscrita,asegurados_programas_especiales",
        "2024-01,01,100,,,,,,,,",
    ]
    content = "SELECT sum(hash(periodo, cve_entidad, puestos_trabajo, patrones)::HUGEINT), count(*) FROM afiliacion_entidad"
    before = query_rows(content, path=states)
    again = load_file(out, mode="reemplazar", db=states, accept_warnings=True)
    assert (
        again.loaded
        and again.changes[0] == "puestos_trabajo: 6 filas (2024-01, 2024-02, 6 ya cargadas): 3,960 → 3,960"
    )
    assert query_rows(content, path=states) == before

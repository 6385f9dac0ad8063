"""The demo warehouse reproduces the published IMSS figures, checked by SQL on the real file."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from data.demo import build, table_checksums, unidades
from data.demo.__main__ import main
from data.demo.acuerdos import RESPONSIBLE
from data.demo.build import BELOW_OOAD
from data.demo.timeline import Timeline
from indicators import engine
from indicators.catalog import CATALOG
from indicators.status import AT_RISK, OFF_TARGET, ON_TARGET
from tests.warehouses import SESSION_DAY
from warehouse import clock, close_all, query_rows
from warehouse.config import DATA_DIR

pytestmark = pytest.mark.calendario  # reads the demo's dates: `make test` runs it on other days too

OOAD_DATASETS = ("consultas", "afiliacion", "guarderias", "incapacidades", "recetas", "plazas")
CENTRO_OOAD = {"09", "10", "12", "13", "14", "16", "17", "19", "23", "24", "31"}


@pytest.fixture
def one(demo_db: Path) -> Callable[..., Any]:
    def run(sql: str, params: list | None = None):
        return query_rows(sql, params or [], path=demo_db)[0][0]

    return run


def test_2019_medical_services_match_published_totals(one) -> None:
    def total(column: str, year: int) -> int:
        return one(f"SELECT sum({column}) FROM consultas WHERE year(periodo) = ?", [year])

    assert total("consultas_medicina_familiar", 2019) == 92_600_000
    assert round(total("consultas_medicina_familiar", 2018) / 1e6, 1) < 90.0
    assert total("consultas_especialidades", 2019) == 20_100_000
    assert total("intervenciones_quirurgicas", 2019) == 1_400_000
    assert total("chequeos_prevenimss", 2019) == 27_400_000
    assert total("chequeos_prevenimss", 2018) == 31_300_000
    assert 19e6 < total("consultas_urgencias", 2019) < 21e6


def test_2019_money_sick_leave_and_satisfaction(one) -> None:
    iop = "SELECT sum(ingresos_obrero_patronales) FROM finanzas WHERE year(periodo) = ?"
    assert round(one(iop, [2019]), 2) == 350_110.00
    assert abs(one(iop, [2018]) - 350_110 / 1.088) < 0.01
    meta = "SELECT sum(valor) FROM metas WHERE kpi = 'ingresos_obrero_patronales' AND ambito = 'nacional' AND year(periodo) = 2019"
    assert round(one(meta), 2) == 343_865.00
    days = "SELECT sum(dias_incapacidad_eg) FROM incapacidades WHERE year(periodo) = ?"
    assert one(days, [2019]) == 44_000_000
    assert one(days, [2018]) == round(44_000_000 / 1.04)
    rate = "SELECT round(100 * sum(satisfechos) / sum(encuestados), 1) FROM satisfaccion WHERE anio = 2019 AND servicio = ?"
    assert one(rate, ["atencion_medica"]) == 80.9
    assert one(rate, ["guarderias"]) == 97.7
    assert one("SELECT count(DISTINCT cve_ooad) FROM satisfaccion WHERE anio = 2019") == 35


def test_december_stocks(one) -> None:
    def stock(column: str, table: str, year: int) -> int:
        return one(f"SELECT sum({column}) FROM {table} WHERE periodo = ?", [date(year, 12, 1)])

    assert stock("patrones", "afiliacion", 2019) == 1_001_793
    assert stock("patrones", "afiliacion", 2018) == 978_277
    assert stock("capacidad_instalada", "guarderias", 2019) == 254_339
    assert stock("capacidad_instalada", "guarderias", 2018) == 229_570
    assert 70e6 < stock("poblacion_derechohabiente_adscrita", "afiliacion", 2019) < 71e6
    assert one("SELECT sum(recetas_resurtibles) FROM recetas WHERE year(periodo) = 2019") > 5_000_000
    assert 1_300 < stock("unidades", "guarderias", 2019) < 1_400


def test_jobs_equal_the_real_national_series_month_by_month(demo_db: Path) -> None:
    with open(DATA_DIR / "puestos_nacionales.csv", encoding="utf-8") as f:
        real = {r["periodo"]: r for r in csv.DictReader(f)}
    rows = query_rows(
        "SELECT strftime(periodo, '%Y-%m'), sum(puestos_trabajo), sum(puestos_permanentes), "
        "sum(puestos_eventuales) FROM afiliacion GROUP BY 1 ORDER BY 1",
        path=demo_db,
    )
    ours = {r[0]: r[1:] for r in rows}
    assert set(real) <= set(ours)
    for month, r in real.items():
        total, permanent, eventual = ours[month]
        assert total == int(r["puestos_trabajo_afiliados"]), month
        assert permanent + eventual == total, month
        if r["permanentes"]:
            assert (permanent, eventual) == (int(r["permanentes"]), int(r["eventuales"])), month
    later = [m for m in ours if m > max(real)]
    assert later, "the series is extended after its last month"
    assert all(abs(ours[m][0] / ours[max(real)][0] - 1) < 0.05 for m in later)


def test_average_daily_wage(one) -> None:
    sbc = "SELECT sum(masa_salarial) / sum(puestos_con_salario) FROM afiliacion WHERE periodo = ?"
    assert abs(one(sbc, [date(2026, 1, 1)]) - 663) < 1
    assert 370 < one(sbc, [date(2018, 1, 1)]) < 390


def test_every_dataset_covers_every_month_and_ooad(demo_db: Path, one) -> None:
    months = len(Timeline.until(clock.today()))
    last = Timeline.until(clock.today()).last
    for table in OOAD_DATASETS:
        assert one(f"SELECT count(*) FROM {table}") == months * 35, table
        assert one(f"SELECT count(DISTINCT cve_ooad) FROM {table} JOIN ooad USING (cve_ooad)") == 35
        assert one(f"SELECT min(periodo) FROM {table}") == date(2018, 1, 1)
        assert one(f"SELECT max(periodo) FROM {table}") == last
    assert one("SELECT count(*) FROM finanzas") == months
    checks = {
        "consultas": "cirugias_oportunas <= cirugias_programadas AND cirugias_programadas <= intervenciones_quirurgicas"
        " AND dias_cama_ocupados <= dias_cama_disponibles AND consultas_urgencias > 0",
        "guarderias": "ninos_inscritos <= capacidad_instalada AND unidades > 0",
        "recetas": "recetas_surtidas_completas <= recetas_emitidas AND recetas_resurtibles >= 0",
        "plazas": "plazas_ocupadas <= plazas_autorizadas",
        "afiliacion": "puestos_con_salario <= puestos_trabajo AND asegurados > puestos_trabajo AND patrones > 0",
        "incapacidades": "certificados_incapacidad > 0 AND gasto_incapacidades > 0",
        "satisfaccion": "satisfechos <= encuestados",
    }
    for table, condition in checks.items():
        assert one(f"SELECT count(*) FROM {table} WHERE NOT ({condition})") == 0, table


def test_plausible_levels(one) -> None:
    def year(sql: str) -> float:
        return one(sql + " WHERE year(periodo) = 2024")

    assert 80 < year("SELECT 100 * sum(dias_cama_ocupados) / sum(dias_cama_disponibles) FROM consultas") < 86
    assert 85 < year("SELECT 100 * sum(cirugias_oportunas) / sum(cirugias_programadas) FROM consultas") < 93
    assert 97 < year("SELECT 100 * sum(recetas_surtidas_completas) / sum(recetas_emitidas) FROM recetas") < 99
    assert 180e6 < year("SELECT sum(recetas_emitidas) FROM recetas") < 210e6
    assert 7e6 < year("SELECT sum(certificados_incapacidad) FROM incapacidades") < 9e6
    assert 94 < year("SELECT 100 * sum(plazas_ocupadas) / sum(plazas_autorizadas) FROM plazas") < 97.5
    assert one("SELECT reservas_saldo FROM finanzas WHERE periodo = '2024-12-01'") > 400_000
    occupancy = (
        "SELECT sum(ninos_inscritos) / sum(capacidad_instalada) FROM guarderias WHERE periodo = '2024-10-01'"
    )
    assert 0.85 <= one(occupancy) <= 0.92


def test_seasonality_covid_and_recovery(one) -> None:
    def month(column: str, y: int, m: int) -> int:
        return one(f"SELECT sum({column}) FROM consultas WHERE periodo = ?", [date(y, m, 1)])

    def year(column: str, y: int) -> int:
        return one(f"SELECT sum({column}) FROM consultas WHERE year(periodo) = ?", [y])

    for y in (2018, 2019, 2023, 2024):
        assert month("consultas_medicina_familiar", y, 12) < 0.9 * year("consultas_medicina_familiar", y) / 12
    for column in ("consultas_medicina_familiar", "intervenciones_quirurgicas", "chequeos_prevenimss"):
        assert year(column, 2020) < 0.8 * year(column, 2019), column
        assert year(column, 2023) > 0.97 * year(column, 2019), column
    jobs = "SELECT sum(puestos_trabajo) FROM afiliacion WHERE periodo = ?"
    assert one(jobs, [date(2020, 7, 1)]) < 0.95 * one(jobs, [date(2020, 2, 1)])


def test_ooad_sizes_follow_their_share_of_jobs(demo_db: Path) -> None:
    jobs = dict(
        query_rows(
            "SELECT cve_ooad, puestos_trabajo FROM afiliacion WHERE periodo = '2019-12-01'", path=demo_db
        )
    )
    visits = dict(
        query_rows(
            "SELECT cve_ooad, sum(consultas_medicina_familiar) FROM consultas WHERE year(periodo) = 2019 GROUP BY 1",
            path=demo_db,
        )
    )
    large, small = ("10", "15", "21", "16"), ("04", "03", "31")  # CDMX Sur, Jalisco, NL, Edo. Méx.
    for data in (jobs, visits):
        assert min(data[c] for c in large) > 3 * max(data[c] for c in small)


def test_metas_cover_every_kpi_month_and_scope(demo_db: Path, one) -> None:
    months = len(Timeline.until(clock.today()))
    months += 12 - Timeline.until(clock.today()).periods[-1].month  # targets run to the year's end
    for kpi in CATALOG:
        count = one("SELECT count(*) FROM metas WHERE kpi = ?", [kpi.id])
        if kpi.fuente == "acuerdos" and kpi.id != "cumplimiento_acuerdos":
            assert count == 0, kpi.id
            continue
        scopes = 1 + (4 if "region" in kpi.niveles else 0) + (35 if "ooad" in kpi.niveles else 0)
        scopes += 25 if "umae" in kpi.niveles else 0
        if "unidad" in kpi.niveles:  # the units whose level reports the measure: 105 UMF or 70 HGZ
            scopes += 105 if kpi.numerador in unidades.FIRST_LEVEL else 70
        assert count == months * scopes, kpi.id
    unequal = query_rows(
        """
        WITH o AS (
            SELECT m.kpi, m.periodo, x.region, sum(m.valor) AS v FROM metas m
            JOIN ooad x ON m.ambito = 'ooad:' || x.cve_ooad GROUP BY ALL)
        SELECT o.kpi, o.periodo, o.region FROM o JOIN metas r
          ON r.kpi = o.kpi AND r.periodo = o.periodo AND r.ambito = 'region:' || o.region
        WHERE abs(r.valor - o.v) > 1e-6 AND o.kpi IN (SELECT unnest(?))
        """,
        [
            [
                k.id
                for k in CATALOG
                if k.agregacion != "razon" and "ooad" in k.niveles and k.fuente != "acuerdos"
            ]
        ],
        path=demo_db,
    )
    assert unequal == []
    assert one("SELECT min(valor) FROM metas WHERE kpi = 'oportunidad_quirurgica'") == 90.0


def test_scorecard_shows_a_mix_of_statuses(demo_db: Path) -> None:
    seen: set[str] = set()
    for kpi in (
        "surtimiento_recetas",
        "oportunidad_quirurgica",
        "consultas_medicina_familiar",
        "plazas_ocupadas",
    ):
        frame = engine.breakdown(kpi, "2025", "ooad", db=demo_db)
        seen |= set(frame["estado"])
    assert {ON_TARGET, AT_RISK, OFF_TARGET} <= seen
    national = engine.value("consultas_medicina_familiar", "2019", db=demo_db)
    assert round(national.valor / 1e6, 1) == 92.6


def test_meetings_and_agreement_counts(demo_db: Path, one) -> None:
    rows = query_rows(
        "SELECT r.region, r.ronda, r.fecha_inicio, r.fecha_fin, count(a.folio) FROM reuniones r "
        "JOIN acuerdos a USING (cve_reunion) WHERE year(r.fecha_fin) = 2023 GROUP BY ALL",
        path=demo_db,
    )
    assert sorted(r[0] for r in rows) == ["Centro", "Norte", "Occidente", "Sureste"]
    assert all(r[1] == 4 and r[2].month in (4, 5) and r[3].month in (4, 5) for r in rows)
    assert sum(r[4] for r in rows) == 2_541
    centro = query_rows(
        "SELECT r.ronda, r.sede, r.fecha_inicio, r.fecha_fin, count(*), count(DISTINCT a.cve_ooad), "
        "list(DISTINCT a.cve_ooad), list(DISTINCT a.cve_umae) FROM reuniones r JOIN acuerdos a USING (cve_reunion) "
        "WHERE year(r.fecha_fin) = 2026 AND r.region = 'Centro' GROUP BY ALL",
        path=demo_db,
    )
    assert len(centro) == 1
    ronda, sede, start, end, count, n_ooad, ooad, umae = centro[0]
    assert (ronda, start, end, count, n_ooad) == (8, date(2026, 4, 27), date(2026, 4, 30), 816, 11)
    assert "Querétaro" in sede
    assert set(ooad) - {None} == CENTRO_OOAD
    assert sorted(set(umae) - {None}) == [f"U{i:02d}" for i in range(1, 15)]
    assert one("SELECT count(*) FROM acuerdos WHERE (cve_ooad IS NULL) = (cve_umae IS NULL)") == 0


def test_agreement_fields_are_consistent(demo_db: Path, one) -> None:
    assert one("SELECT count(*) - count(DISTINCT folio) FROM acuerdos") == 0
    folios = [r[0] for r in query_rows("SELECT folio FROM acuerdos", path=demo_db)]
    assert all(re.fullmatch(r"RR-(NOR|OCC|CEN|SUR)-20\d\d-\d{4}", f) for f in folios)
    assert (
        one("SELECT count(*) FROM acuerdos a JOIN reuniones r USING (cve_reunion) WHERE a.region <> r.region")
        == 0
    )
    assert one("SELECT count(*) FROM acuerdos WHERE cve_mesa NOT IN (SELECT cve_mesa FROM mesas)") == 0
    assert one("SELECT count(*) FROM acuerdos WHERE (cve_tema IS NOT NULL) <> (cve_mesa = 'MT')") == 0
    assert (
        one(
            "SELECT count(*) FROM acuerdos WHERE cve_direccion NOT IN (SELECT cve_direccion FROM direcciones)"
        )
        == 0
    )
    for key, directorate in RESPONSIBLE.items():
        column = "cve_tema" if key.startswith("T") else "cve_mesa"
        bad = one(
            f"SELECT count(*) FROM acuerdos WHERE {column} = ? AND cve_direccion <> ?", [key, directorate]
        )
        assert bad == 0, key
    assert one("SELECT count(*) FROM acuerdos WHERE length(descripcion) < 30 OR descripcion LIKE '%{%'") == 0
    partners = query_rows(
        "SELECT count(c.cve_direccion), count(*) FILTER (c.cve_direccion = a.cve_direccion) FROM acuerdos a "
        "LEFT JOIN acuerdos_corresponsables c USING (folio) GROUP BY a.folio",
        path=demo_db,
    )
    assert {n for n, _ in partners} == {0, 1, 2, 3}
    assert all(same == 0 for _, same in partners)


def test_agreement_statuses_progress_and_history(demo_db: Path, one) -> None:
    assert (
        one(
            "SELECT count(*) FROM acuerdos WHERE estado NOT IN ('Registrado','En proceso','Concluido','Cancelado')"
        )
        == 0
    )
    inconsistent = """
        SELECT count(*) FROM acuerdos WHERE NOT CASE estado
            WHEN 'Concluido' THEN avance = 100 AND fecha_conclusion IS NOT NULL AND fecha_conclusion >= fecha_registro
            WHEN 'Registrado' THEN avance = 0 AND fecha_conclusion IS NULL
            WHEN 'En proceso' THEN avance > 0 AND avance < 100 AND fecha_conclusion IS NULL
            ELSE avance < 100 AND fecha_conclusion IS NULL END"""
    assert one(inconsistent) == 0
    assert one("SELECT count(*) FROM acuerdos WHERE fecha_conclusion > fecha_compromiso") > 0
    assert one("SELECT count(*) FROM acuerdos WHERE fecha_compromiso IS NULL") > 0
    today = clock.today()  # the demo is built «as of» the business clock, not the machine's date
    overdue = (
        "SELECT count(*) FROM acuerdos WHERE estado IN ('Registrado','En proceso') AND fecha_compromiso < ?"
    )
    assert one(overdue, [today]) > 0
    share = "SELECT avg((estado = 'Concluido')::INT) FROM acuerdos WHERE year(fecha_registro) = ?"
    assert one(share, [2023]) > 0.7
    assert one(share, [2026]) < 0.5
    assert one("SELECT count(*) FROM acuerdos WHERE fecha_conclusion > ?", [today]) == 0
    # History: one row per change, counted by the version; it starts with the registration
    # and ends in the current status.
    mismatched = """
        SELECT count(*) FROM acuerdos a JOIN (
            SELECT folio, count(*) AS n, arg_min(valor_nuevo, fecha) AS first_value,
                   arg_max(valor_nuevo, (fecha, id)) FILTER (campo = 'estado') AS last_status,
                   max(fecha) AS last_change
            FROM acuerdos_historial GROUP BY folio) h USING (folio)
        WHERE h.n <> a.version OR h.first_value <> 'Registrado' OR h.last_status <> a.estado
           OR h.last_change >= ?::DATE + 1"""
    assert one(mismatched, [today]) == 0
    assert one("SELECT count(DISTINCT folio) FROM acuerdos_historial") == one("SELECT count(*) FROM acuerdos")
    assert (
        one(
            "SELECT count(*) FROM acuerdos_historial WHERE usuario = '' OR campo NOT IN ('estado','avance','fecha_conclusion')"
        )
        == 0
    )
    next_id = one("SELECT nextval('seq_acuerdos_historial')")
    assert next_id > one("SELECT max(id) FROM acuerdos_historial")


def test_every_row_points_to_its_load(demo_db: Path, one) -> None:
    loads = {
        r[1]: r
        for r in query_rows("SELECT id, dataset, archivo, usuario, modo, filas FROM cargas", path=demo_db)
    }
    assert set(loads) == {
        *OOAD_DATASETS,
        *BELOW_OOAD,
        "finanzas",
        "satisfaccion",
        "metas",
        "acuerdos",
        "avance_proyectos",
    }
    for dataset, (load_id, _, archivo, usuario, modo, filas) in loads.items():
        assert (archivo, usuario, modo) == (f"demo:{dataset}", "demo", "reemplazar")
        assert one(f"SELECT count(*) FROM {dataset} WHERE carga_id IS DISTINCT FROM ?", [load_id]) == 0
        assert one(f"SELECT count(*) FROM {dataset}") == filas
    assert one("SELECT valor FROM ajustes WHERE clave = 'datos_demo'") == "si"


def test_build_is_deterministic_and_atomic(demo_db: Path, tmp_path: Path) -> None:
    again = tmp_path / "otra.duckdb"
    assert build(again, today=SESSION_DAY) is True
    assert table_checksums(again) == table_checksums(demo_db)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["otra.duckdb"]
    close_all()


def test_cli_keeps_an_existing_file_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "cmi.duckdb"
    target.write_bytes(b"not a warehouse")
    assert main(["--db", str(target)]) == 0
    assert target.read_bytes() == b"not a warehouse"
    assert "--force" in capsys.readouterr().out
    assert main(["--db", str(target), "--force"]) == 0
    assert query_rows("SELECT count(*) FROM acuerdos", path=target)[0][0] == 2_541 + 816
    close_all()


UMAE_MEASURES = (
    "consultas_especialidades",
    "consultas_urgencias",
    "intervenciones_quirurgicas",
    "cirugias_programadas",
    "cirugias_oportunas",
    "dias_cama_ocupados",
    "dias_cama_disponibles",
)


def test_the_25_umae_sit_in_their_host_ooad_and_never_exceed_it(demo_db: Path, one) -> None:
    # every UMAE's host OOAD is in the UMAE's state and region (CDMX, Edomex, Veracruz hold two OOAD)
    assert one("SELECT count(*) FROM umae u JOIN ooad o USING (cve_ooad) WHERE o.cve_entidad = u.cve_entidad"
               " AND o.region = u.region") == 25  # fmt: skip
    months = one("SELECT count(DISTINCT periodo) FROM consultas")
    assert one("SELECT count(*) FROM consultas_umae") == 25 * months
    for measure in UMAE_MEASURES:
        # the UMAE are part of their OOAD: for every month their sum stays within the OOAD's figure
        over = one(
            f"SELECT count(*) FROM (SELECT f.periodo, u.cve_ooad, sum(f.{measure}) AS s FROM consultas_umae f"
            f" JOIN umae u USING (cve_umae) GROUP BY ALL) x JOIN consultas c USING (periodo, cve_ooad)"
            f" WHERE x.s > c.{measure} OR x.s <= 0"
        )
        assert over == 0, measure
    assert one("SELECT count(*) FROM consultas_umae WHERE cirugias_oportunas > cirugias_programadas"
               " OR dias_cama_ocupados > dias_cama_disponibles") == 0  # fmt: skip
    # UMAE run fuller than the nation; the published national totals are read from the OOAD only
    umae = one("SELECT sum(dias_cama_ocupados) / sum(dias_cama_disponibles) FROM consultas_umae")
    national = one("SELECT sum(dias_cama_ocupados) / sum(dias_cama_disponibles) FROM consultas")
    assert 0.8 < national < umae < 0.95
    assert engine.value("consultas_especialidades", "2019", "nacional", demo_db).valor == 20_100_000
    assert (
        engine.breakdown("ocupacion_hospitalaria", "2019-12", "umae", "nacional", demo_db)["meta"]
        .eq(85.0)
        .all()
    )


def test_the_medical_units_add_up_exactly_to_their_ooad(demo_db: Path, one) -> None:
    # two HGZ and three UMF per OOAD, each in the catalog of its OOAD
    assert one("SELECT count(*) FROM unidades") == 175
    assert one("SELECT count(*) FROM (SELECT cve_ooad FROM unidades GROUP BY 1"
               " HAVING count_if(tipo = 'HGZ') = 2 AND count_if(tipo = 'UMF') = 3)") == 35  # fmt: skip
    months = one("SELECT count(DISTINCT periodo) FROM consultas")
    assert one("SELECT count(*) FROM consultas_unidad") == 175 * months
    for measure in unidades.COLUMNS:
        # every month, every OOAD, every measure: the units' sum is the OOAD's figure, to the unit
        off = one(
            f"SELECT count(*) FROM consultas c LEFT JOIN (SELECT f.periodo, u.cve_ooad, sum(f.{measure}) AS s"
            f" FROM consultas_unidad f JOIN unidades u USING (cve_unidad) GROUP BY ALL) x"
            f" USING (periodo, cve_ooad) WHERE x.s IS DISTINCT FROM c.{measure}"
        )
        assert off == 0, measure
        # a unit reports only the measures of its level, never a negative one
        level = "UMF" if measure in unidades.FIRST_LEVEL else "HGZ"
        assert (
            one(
                f"SELECT count(*) FROM consultas_unidad f JOIN unidades u USING (cve_unidad)"
                f" WHERE (u.tipo = '{level}') = ({measure} IS NULL) OR {measure} < 0"
            )
            == 0
        ), measure
    assert one("SELECT count(*) FROM consultas_unidad WHERE cirugias_oportunas > cirugias_programadas"
               " OR dias_cama_ocupados > dias_cama_disponibles") == 0  # fmt: skip
    # the units' flow targets share their OOAD's
    apart = one(
        "SELECT count(*) FROM (SELECT m.kpi, m.periodo, u.cve_ooad, sum(m.valor) AS s FROM metas m"
        " JOIN unidades u ON m.ambito = 'unidad:' || u.cve_unidad WHERE m.kpi = 'consultas_medicina_familiar'"
        " GROUP BY ALL) x JOIN metas o ON o.kpi = x.kpi AND o.periodo = x.periodo"
        " AND o.ambito = 'ooad:' || x.cve_ooad WHERE abs(o.valor - x.s) > 1e-6"
    )
    assert apart == 0
    # the published national totals read the same from the units as from the OOAD
    assert (
        one("SELECT sum(consultas_medicina_familiar) FROM consultas_unidad WHERE year(periodo) = 2019")
        == 92_600_000
    )
    assert engine.value("consultas_medicina_familiar", "2019", "nacional", demo_db).valor == 92_600_000

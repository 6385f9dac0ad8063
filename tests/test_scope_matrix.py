"""Issue 27, the scope matrix: every role × ámbito (nacional, region:Centro, ooad:10) × door.

On one copy of the demo warehouse, seeded with commentary, notices, alerts and evidence in
several regions and OOAD, each door is asked as each person and no row or figure outside the
person's ámbito may come back. Doors: page by folio, board, record (and history), evidence,
commentary, notice, alert, meeting pack, export, report, CLI. OOAD 10 is Ciudad de México Sur
(Centro); OOAD 05 Coahuila (Norte).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import warehouse
from access import users
from access.scope import codes_within
from agreements import actions, notices
from agreements import board as ag
from agreements import meetings as mt
from agreements.evidence import Evidence
from exports.selection import AGREEMENTS, ExportFilters, distinct_values, fetch, select_sql
from indicators import alerts, commentary, engine
from indicators.catalog import CATALOG
from indicators.commentary import Author
from tests.warehouses import Warehouses
from ui.session import User
from warehouse import query_rows
from warehouse.connection import Location

AMBITOS = ("nacional", "region:Centro", "ooad:10")
ROLES = {
    "direccion_general": None,
    "ejecutivo": None,
    "director_normativo": "DPM",
    "enlace": "DPM",
    "analista": None,
    "planeacion": None,
    "administrador": None,
}
KPI = "consultas_medicina_familiar"  # owned by DPM, measured down to the unit
SEEDED_SCOPES = ("nacional", "region:Centro", "region:Norte", "ooad:05", "ooad:10", "ooad:09")
SEED = "Siembra matriz"


def _person(rol: str, ambito: str) -> User:
    usuario = f"{rol[:6]}_{ambito.replace(':', '_')}".lower()
    return User(usuario, usuario, frozenset({rol}), cve_direccion=ROLES[rol], ambito=ambito)


@pytest.fixture(scope="module")
def matrix_db(warehouses: Warehouses, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Location]:
    """The demo warehouse with, in several regions and OOAD: commentary, comment requests, alerts,
    agreement notices and evidence; and an account for every role × ámbito (for the CLIs)."""
    db = warehouses.demo("matriz")
    with pytest.MonkeyPatch.context() as mp:
        warehouses.select(mp, db)
        mp.setenv("CMI_EVIDENCIAS", str(tmp_path_factory.mktemp("evidencias")))
        mp.delenv("CMI_SMTP_HOST", raising=False)
        periodo = f"{engine.latest_period(db):%Y-%m}"
        dg = Author("general", None, es_dg=True)
        for scope in SEEDED_SCOPES:
            commentary.add(KPI, periodo, scope, f"{SEED} {scope}.", "Acción.", dg, db)
            commentary.request(KPI, periodo, scope, "general", db)
        for scope in ("ooad:05", "ooad:10", "region:Norte"):
            for kpi in CATALOG:
                if kpi.measured_at(scope):
                    alerts.follow("director", "DPM", kpi.id, scope, db)
        alerts.evaluate(periodo, db)  # the first look alerts every red KPI at every followed scope
        general = User("general", "DG", frozenset({"direccion_general"}))
        director = User("director", "DPM", frozenset({"director_normativo"}), cve_direccion="DPM")
        for region, ooad in (("Norte", "05"), ("Centro", "10"), ("Centro", "09")):
            folio = query_rows(
                "SELECT folio FROM acuerdos WHERE region = ? AND cve_ooad = ? AND cve_direccion = 'DPM'"
                " AND estado IN ('Registrado', 'En proceso') ORDER BY folio LIMIT 1",
                [region, ooad],
                db,
            )[0][0]
            actions.comment(folio, general, f"{SEED}: revisar {folio}.", db)
            actions.add_evidence(
                folio, director, Evidence("informe.pdf", b"%PDF-1.4 " + folio.encode()), None, db
            )
        for rol in ROLES:
            for ambito in AMBITOS:
                p = _person(rol, ambito)
                users.add_user(
                    p.usuario, p.nombre, None, [rol], cve_direccion=p.cve_direccion, ambito=ambito, path=db
                )
        warehouse.close_all()
        yield db
        warehouse.close_all()


class Scope:
    """What one ámbito holds: agreements by region / OOAD, scope codes, OOAD codes and names."""

    def __init__(self, ambito: str, db: Location) -> None:
        self.ambito = ambito
        self.codes = codes_within(ambito, db)
        level, _, self.key = ambito.partition(":")
        self.level = level
        rows = query_rows("SELECT cve_ooad, region, nombre FROM ooad", path=db)
        self.ooads = {o for o, r, _ in rows if self.holds_ooad(o, r)}
        self.outside_names = {n for o, r, n in rows if not self.holds_ooad(o, r)}

    def holds_ooad(self, ooad: str | None, region: str | None) -> bool:
        if self.level == "nacional":
            return True
        if self.level == "region":
            return region == self.key
        return ooad == self.key

    def agreement(self, region: object, ooad: object) -> bool:
        """The board's rule: an agreement is inside by its region (region scope) or OOAD (OOAD scope)."""
        if self.level == "nacional":
            return True
        if self.level == "region":
            return region == self.key
        return ooad == self.key

    def code(self, scope: object) -> bool:
        return self.codes is None or str(scope) in self.codes


def _agreements_inside(frame: pd.DataFrame, s: Scope) -> bool:
    return all(s.agreement(r, o) for r, o in zip(frame["region"], frame["cve_ooad"], strict=True))


@pytest.fixture
def selected(matrix_db: Location, warehouses: Warehouses, monkeypatch: pytest.MonkeyPatch) -> Location:
    warehouses.select(monkeypatch, matrix_db)
    return matrix_db


def _samples(db: Location) -> dict[str, tuple[str, str | None]]:
    """One agreement per kind of place: folio → (region, OOAD)."""
    out = {}
    for where in (
        "region = 'Norte' AND cve_ooad = '05'",
        "region = 'Centro' AND cve_ooad = '10'",
        "region = 'Centro' AND cve_ooad = '09'",
        "region = 'Centro' AND cve_ooad IS NULL",
        "region = 'Sureste'",
    ):
        rows = query_rows(
            f"SELECT a.folio, a.region, a.cve_ooad FROM acuerdos a WHERE {where}"
            " ORDER BY (SELECT count(*) FROM acuerdos_evidencias e WHERE e.folio = a.folio) DESC, a.folio LIMIT 1",
            path=db,
        )
        if rows:
            out[rows[0][0]] = (rows[0][1], rows[0][2])
    return out


@pytest.mark.parametrize("ambito", AMBITOS)
@pytest.mark.parametrize("rol", list(ROLES))
def test_no_door_lets_out_a_row_outside_the_ambito(selected: Location, rol: str, ambito: str) -> None:
    db = selected
    s = Scope(ambito, db)
    user = _person(rol, ambito)
    direccion = user.agreements_scope

    # board: every list row, and the headline figure counts the same rows
    board = ag.agreements(db, direccion=direccion, filtros=ag.BoardFilters(ambito=ambito), limit=100_000)
    assert _agreements_inside(board, s)
    assert ag.kpis(db, direccion=direccion, filtros=ag.BoardFilters(ambito=ambito)).registrados == len(board)
    for dim in ("region", "unidad"):
        keys = set(
            ag.breakdown(dim, db, direccion=direccion, filtros=ag.BoardFilters(ambito=ambito))["clave"]
        )
        assert keys <= ({s.key} if s.level == "region" and dim == "region" else keys)
        if s.level == "ooad" and dim == "unidad":
            assert keys <= {s.key}

    # record by folio, its history and evidence; every write refused outside
    for folio, (region, ooad) in _samples(db).items():
        inside = s.agreement(region, ooad)
        record = ag.agreement(folio, db, direccion=direccion, ambito=ambito)
        if not inside:
            assert record is None, folio
            assert ag.history(folio, db, direccion=direccion, ambito=ambito).empty, folio
            assert ag.evidences(folio, db, direccion=direccion, ambito=ambito).empty, folio
            with pytest.raises(actions.AgreementError, match="no encontrado"):
                actions.comment(folio, user, "fuera", db)

    # commentary: every row's scope inside
    seen = commentary.history(KPI, db=db, within=ambito)
    assert all(s.code(a) for a in seen["ambito"])
    assert (f"{SEED} ooad:10." in set(seen["por_que"])) == s.code("ooad:10")

    # notices and alerts in the person's inbox
    inbox = notices.inbox(user.inbox, db, within=ambito)
    folios = set(inbox.loc[~inbox["evento"].str.startswith("indicador_"), "folio"])
    if folios:
        rows = query_rows(
            "SELECT region, cve_ooad FROM acuerdos WHERE list_contains(?, folio)", [list(folios)], db
        )
        assert all(s.agreement(r, o) for r, o in rows)
    kpi_rows = inbox[inbox["evento"].str.startswith("indicador_")]
    scopes = query_rows(
        "SELECT coalesce(ambito, 'nacional') FROM notificaciones WHERE list_contains(?, id)",
        [[int(i) for i in kpi_rows["id"]]],
        db,
    )
    assert all(s.code(r[0]) for r in scopes)
    assert notices.unread_count(user.inbox, db, within=ambito) == int((~inbox["leida"]).sum())

    # meeting packs
    for cve in mt.meetings(db, direccion=direccion, ambito=ambito)["cve_reunion"]:
        pack = mt.follow_up(cve, db, direccion=direccion, ambito=ambito)
        assert _agreements_inside(pack.vencidos, s)
        assert set(pack.por_unidad["clave"]) <= (
            {s.key} if s.level == "ooad" else set(pack.por_unidad["clave"])
        )

    # exports: agreements and a dataset, and the column filters' values
    sql, params = select_sql(AGREEMENTS, ExportFilters(), ambito, direccion, db, spanish_headers=False)
    assert _agreements_inside(fetch(sql, params, db), s)
    sql, params = select_sql("consultas", ExportFilters(), ambito, None, db, spanish_headers=False)
    assert set(fetch(sql, params, db)["cve_ooad"]) <= s.ooads
    assert set(distinct_values("consultas", "cve_ooad", db, ambito=ambito)) <= s.ooads


@pytest.mark.parametrize("ambito", AMBITOS)
def test_report_and_clis_stay_inside_the_ambito(
    selected: Location, ambito: str, capsys, tmp_path: Path
) -> None:
    from agreements.cli import main as agreements_cli
    from indicators.cli import main as indicators_cli
    from loaders.cli import main as loaders_cli
    from ui.report import build_report_html

    db = selected
    s = Scope(ambito, db)
    periodo = f"{engine.latest_period(db):%Y-%m}"
    html = build_report_html(periodo, ambito, db)
    named = {n for n in s.outside_names if n in html}
    assert not named, named  # no OOAD of another place is named in the report
    for scope in SEEDED_SCOPES:  # the report's commentary: its own scope's, nothing outside it
        assert f"{SEED} {scope}." not in html or s.code(scope), scope
    assert f"{SEED} {ambito}." in html
    for rol in ("analista", "direccion_general", "ejecutivo"):
        user = _person(rol, ambito)
        capsys.readouterr()
        code = indicators_cli(
            ["value", KPI, "--periodo", periodo, "--ambito", "ooad:05", "--usuario", user.usuario]
        )
        said = capsys.readouterr()
        if ambito == "nacional":
            assert code == 0 and json.loads(said.out)["ambito"] == "ooad:05"
        else:
            assert code == 2 and "fuera de su ámbito" in said.err
        assert agreements_cli(["--usuario", user.usuario, "lista", "--limite", "100000"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert listed and all(s.agreement(r["region"], r["cve_ooad"]) for r in listed)
        assert agreements_cli(["--usuario", user.usuario, "tablero"]) == 0
        assert json.loads(capsys.readouterr().out)["registrados"] == len(listed)
        target = tmp_path / f"export_{user.usuario}.csv"
        assert loaders_cli(["export", "consultas", "--salida", str(target), "--usuario", user.usuario]) == 0
        assert set(pd.read_csv(target, dtype=str)["cve_ooad"]) <= s.ooads


@pytest.mark.parametrize("ambito", ("region:Centro", "ooad:10"))
def test_the_page_by_folio_reads_an_outside_folio_like_a_missing_one(selected: Location, ambito: str) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.warehouses import EMBEDDED
    from warehouse.connection import is_shared

    if is_shared(selected):
        pytest.skip(
            f"a page test: the pages ask the same engine, checked above in both modes ({EMBEDDED} here)"
        )
    root = Path(__file__).resolve().parents[1]
    outside = next(
        f for f, (r, o) in _samples(selected).items() if not Scope(ambito, selected).agreement(r, o)
    )
    for rol in ROLES:
        at = AppTest.from_file(str(root / "pages" / "acuerdos.py"), default_timeout=90)
        at.session_state["user"] = _person(rol, ambito)
        at.query_params["folio"] = outside
        at.run()
        assert not at.exception, (rol, [e.value for e in at.exception])
        assert any("no encontrado" in w.value for w in at.warning), rol
        assert not any(outside in str(h.value) for h in at.subheader), rol


@pytest.mark.parametrize("ambito", AMBITOS)
def test_the_linked_kpi_value_stays_inside_the_ambito(selected: Location, ambito: str) -> None:
    """The record's «Indicador vinculado» names a figure only where the reader may see it."""
    from ui.agreements_view import kpi_progress

    s = Scope(ambito, selected)
    names = dict(query_rows("SELECT cve_ooad, nombre FROM ooad", path=selected))
    for region, ooad in (("Norte", "05"), ("Centro", "10")):
        record = {"cve_kpi": KPI, "cve_ooad": ooad, "unidad": names[ooad], "region": region, "meta_kpi": None}
        aim = kpi_progress(record, ambito)
        if s.agreement(region, ooad):
            assert aim is not None and aim["donde"] in (names[ooad], f"la región {region}", "el país")
        if aim is not None:
            where = {
                names[ooad]: f"ooad:{ooad}",
                f"la región {region}": f"region:{region}",
                "el país": "nacional",
            }
            assert s.code(where[aim["donde"]]), (ambito, aim)

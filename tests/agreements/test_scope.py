"""A directorate sees only agreements where it is responsible or co-responsible: engine and CLI."""

from __future__ import annotations

import json

import pytest

from agreements import board as ag
from agreements import cli as agreements_cli
from tests.agreements.hand_built import AGREEMENTS, AS_OF, CORESPONSIBLES


def _expected(direccion: str) -> set[str]:
    visible = {r[0] for r in AGREEMENTS if r[7] == direccion and r[8] <= AS_OF.isoformat()}
    return visible | {f for f, d in CORESPONSIBLES if d == direccion}


@pytest.mark.parametrize("direccion", ["DPM", "DA", "DIR", "DF", "DJ"])
def test_engine_scope(board_db, direccion):
    expected = _expected(direccion)
    assert set(ag.agreements(board_db, direccion=direccion, as_of=AS_OF)["folio"]) == expected
    assert ag.kpis(board_db, direccion=direccion, as_of=AS_OF).registrados == len(expected)
    for dim in ag.DIMENSIONS:
        assert ag.breakdown(dim, board_db, direccion=direccion, as_of=AS_OF)["registrados"].sum() == len(
            expected
        )
    assert set(ag.upcoming(board_db, direccion=direccion, as_of=AS_OF)["folio"]) <= expected
    curves = ag.completion_curves(board_db, direccion=direccion, as_of=AS_OF)
    assert set(curves["cve_reunion"]) == {r[1] for r in AGREEMENTS if r[0] in expected}
    for folio in {r[0] for r in AGREEMENTS}:
        inside = folio in expected
        assert (ag.agreement(folio, board_db, direccion=direccion, as_of=AS_OF) is not None) == inside
        assert ag.visible(folio, direccion, board_db) == (
            inside or (folio == "RR-CEN-2026-0006" and direccion == "DPM")
        )
        if not inside:
            assert ag.history(folio, board_db, direccion=direccion).empty


def test_coresponsible_sees_it(board_db):
    # DPM is co-responsible of RR-NOR-2026-0001 (DA); DA of RR-NOR-2026-0002 (DIR)
    assert "RR-NOR-2026-0001" in set(ag.agreements(board_db, direccion="DPM", as_of=AS_OF)["folio"])
    assert "RR-NOR-2026-0002" in set(ag.agreements(board_db, direccion="DA", as_of=AS_OF)["folio"])
    assert "RR-NOR-2026-0002" not in set(ag.agreements(board_db, direccion="DPM", as_of=AS_OF)["folio"])


def test_cli_scope(board_db, capsys):
    assert agreements_cli.main(["--direccion", "DA", "--al", "2026-06-30", "lista"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["folio"] for r in rows} == _expected("DA")
    assert {r["fecha_registro"] for r in rows} == {"2026-01-20", "2026-02-10", "2025-11-01"}
    assert agreements_cli.main(["--direccion", "DIR", "--al", "2026-06-30", "tablero"]) == 0
    board = json.loads(capsys.readouterr().out)
    assert (board["registrados"], board["vencidos"]) == (1, 1)
    assert agreements_cli.main(["--al", "2026-06-30", "lista", "--buscar", "0004"]) == 0
    assert {r["folio"] for r in json.loads(capsys.readouterr().out)} == {"RR-CEN-2026-0004"}
    assert agreements_cli.main(["--al", "30/06/2026", "tablero"]) == 2
    assert "Fecha inválida" in capsys.readouterr().err

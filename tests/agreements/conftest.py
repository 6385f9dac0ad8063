from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import warehouse
from tests.agreements import hand_built
from tests.warehouses import Warehouses
from ui.session import User
from warehouse.connection import Location

DG = User("dg", "Directora General", frozenset({"direccion_general"}))
DPM = User("dpm", "Titular DPM", frozenset({"director_normativo"}), cve_direccion="DPM")
DA = User("da", "Titular DA", frozenset({"director_normativo"}), cve_direccion="DA")
DIR = User("dir", "Titular DIR", frozenset({"director_normativo"}), cve_direccion="DIR")
PLANNER = User("planeacion1", "Planeación", frozenset({"planeacion"}))
DA_ENLACE = User("enlace.da", "Enlace DA", frozenset({"enlace"}), cve_direccion="DA")  # named in board_db


@pytest.fixture
def board_db(warehouses: Warehouses, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Location]:
    """The hand-built agreements in a fresh warehouse (both modes); CMI_EVIDENCIAS points into tmp."""
    path = hand_built.build(warehouses.new("acuerdos"))
    with warehouse.transaction(path) as cur:
        for u in (DG, DPM, DA, DIR, PLANNER, DA_ENLACE):  # accounts, so screens show people's names
            cur.execute(
                "INSERT INTO usuarios (usuario, nombre, cve_direccion, creado) VALUES (?, ?, ?, now())",
                [u.usuario, u.nombre, u.cve_direccion],
            )
            cur.executemany("INSERT INTO usuarios_roles VALUES (?, ?)", [[u.usuario, r] for r in u.roles])
        cur.execute("INSERT INTO enlaces VALUES ('enlace.da', 'DA', 'da', TIMESTAMP '2026-01-01 09:00')")
    warehouses.select(monkeypatch, path)
    monkeypatch.setenv("CMI_EVIDENCIAS", str(tmp_path / "evidencias"))
    monkeypatch.delenv("CMI_SMTP_HOST", raising=False)
    yield path
    warehouse.close_all()

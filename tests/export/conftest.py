"""A tiny warehouse per test (tests/indicators/tiny_warehouse.py) plus one hostile agreement."""

from __future__ import annotations

import pytest

import warehouse
from tests.indicators.tiny_warehouse import build
from tests.warehouses import Warehouses
from warehouse.connection import connect

HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.fixture
def tiny_db(warehouses: Warehouses, monkeypatch: pytest.MonkeyPatch):
    path = build(warehouses.new("tiny"))
    con = connect(path)
    con.execute(
        "INSERT INTO acuerdos (folio, cve_reunion, region, cve_ooad, cve_mesa, descripcion, cve_direccion, "
        "fecha_registro, fecha_compromiso, estado, avance) "
        "VALUES ('E', 'R1', 'Norte', '01', 'M1', ?, 'DA', '2024-02-05', '2024-03-01', 'En proceso', 0)",
        [HOSTILE],
    )
    warehouse.close_all()
    warehouses.select(monkeypatch, path)
    yield path
    warehouse.close_all()

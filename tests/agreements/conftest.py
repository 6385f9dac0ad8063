from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import warehouse
from tests.agreements import hand_built
from tests.warehouses import Warehouses
from ui.session import User
from warehouse import clock
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


def overdue_dpm_folios(db: Location) -> list[str]:
    """DPM agreements still «En proceso», overdue and below 90 % on the suite's day, never asked to
    conclude: the demo ages its agreements with the clock, so a cycle test picks its subject here
    instead of naming a folio that another day finds concluded."""
    rows = warehouse.query_rows(
        "SELECT folio FROM acuerdos a WHERE cve_direccion = 'DPM' AND estado = 'En proceso' AND avance < 90 "
        "AND avance = round(avance) AND fecha_compromiso < ? AND NOT EXISTS (SELECT 1 FROM acuerdos_historial h "
        "WHERE h.folio = a.folio AND h.valor_nuevo = 'Solicitud de conclusión') ORDER BY folio",
        [clock.today()],
        db,
    )
    assert len(rows) >= 2, "el almacén de demostración no tiene acuerdos de DPM vencidos en proceso"
    return [str(r[0]) for r in rows]

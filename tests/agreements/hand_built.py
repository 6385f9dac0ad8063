"""A small hand-built set of agreements; every expected board value is worked out from these rows.

The board is computed as of 2026-06-30 (AS_OF).
"""

from __future__ import annotations

from datetime import date

import warehouse
from warehouse.connection import Location, connect

AS_OF = date(2026, 6, 30)

MEETINGS = [
    # cve, nombre, ronda, region, inicio
    ("R1", "1a Reunión Regional Centro 2026", 1, "Centro", "2026-01-15"),
    ("R2", "1a Reunión Regional Norte 2026", 1, "Norte", "2026-02-05"),
    ("R3", "Reunión Regional Norte 2025", 4, "Norte", "2025-10-20"),
]

AGREEMENTS = [
    # folio, reunion, region, ooad, umae, mesa, tema, direccion, registro, compromiso, estado, avance, conclusion, descripcion
    (
        "RR-CEN-2026-0001",
        "R1",
        "Centro",
        "09",
        None,
        "M1",
        "T1",
        "DPM",
        "2026-01-20",
        "2026-03-31",
        "Concluido",
        100,
        "2026-03-15",
        "Equipar quirófanos del HGZ 1",
    ),
    (
        "RR-CEN-2026-0002",
        "R1",
        "Centro",
        "09",
        None,
        "M2",
        "T2",
        "DA",
        "2026-01-20",
        "2026-02-28",
        "Concluido",
        100,
        "2026-04-10",
        "Regularizar el abasto de medicamentos",
    ),
    (
        "RR-CEN-2026-0003",
        "R1",
        "Centro",
        None,
        "U01",
        "M1",
        None,
        "DF",
        "2026-01-20",
        "2026-03-01",
        "Cancelado",
        0,
        None,
        "Ampliar la partida de conservación",
    ),
    (
        "RR-CEN-2026-0004",
        "R1",
        "Centro",
        "09",
        None,
        "M3",
        "T1",
        "DPM",
        "2026-01-20",
        None,
        "En proceso",
        50,
        None,
        "Capacitación del personal de urgencias",
    ),
    (
        "RR-NOR-2026-0001",
        "R2",
        "Norte",
        "01",
        None,
        "M1",
        "T1",
        "DA",
        "2026-02-10",
        "2026-06-10",
        "En proceso",
        30,
        None,
        "Contratar médicos especialistas",
    ),
    (
        "RR-NOR-2026-0002",
        "R2",
        "Norte",
        "01",
        None,
        "M4",
        None,
        "DIR",
        "2026-02-10",
        "2026-03-15",
        "Registrado",
        0,
        None,
        "Depurar el padrón de patrones",
    ),
    (
        "RR-NOR-2026-0003",
        "R2",
        "Norte",
        "05",
        None,
        "M1",
        None,
        "DPM",
        "2026-02-10",
        "2026-07-15",
        "Registrado",
        0,
        None,
        "Reducir el diferimiento quirúrgico",
    ),
    (
        "RR-NOR-2025-0001",
        "R3",
        "Norte",
        "05",
        None,
        "M2",
        None,
        "DA",
        "2025-11-01",
        "2025-12-01",
        "Registrado",
        0,
        None,
        "Licitar el servicio de limpieza",
    ),
    # concluded after AS_OF: as of AS_OF it is still open (and its deadline is 20 days away)
    (
        "RR-CEN-2026-0005",
        "R1",
        "Centro",
        "09",
        None,
        "M5",
        None,
        "DPM",
        "2026-01-20",
        "2026-07-20",
        "Concluido",
        100,
        "2026-07-05",
        "Abrir una guardería en Azcapotzalco",
    ),
    # registered after AS_OF: does not exist yet on the board
    (
        "RR-CEN-2026-0006",
        "R1",
        "Centro",
        "09",
        None,
        "M1",
        None,
        "DPM",
        "2026-07-02",
        "2026-08-30",
        "Registrado",
        0,
        None,
        "Acuerdo posterior al corte",
    ),
]
CORESPONSIBLES = [("RR-NOR-2026-0001", "DPM"), ("RR-NOR-2026-0002", "DA")]


def build(path: Location) -> Location:
    """Create the warehouse at path with the hand-built agreements and return it."""
    con = connect(path)
    for cve, nombre, ronda, region, inicio in MEETINGS:
        con.execute(
            "INSERT INTO reuniones (cve_reunion, nombre, ronda, region, sede, fecha_inicio, fecha_fin) VALUES (?, ?, ?, ?, NULL, ?, ?)",
            [cve, nombre, ronda, region, inicio, inicio],
        )
    for row in AGREEMENTS:
        (
            folio,
            reunion,
            region,
            ooad,
            umae,
            mesa,
            tema,
            direccion,
            reg,
            comp,
            estado,
            avance,
            concl,
            desc,
        ) = row
        con.execute(
            "INSERT INTO acuerdos (folio, cve_reunion, region, cve_ooad, cve_umae, cve_mesa, cve_tema, descripcion, "
            "cve_direccion, fecha_registro, fecha_compromiso, estado, avance, fecha_conclusion) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                folio,
                reunion,
                region,
                ooad,
                umae,
                mesa,
                tema,
                desc,
                direccion,
                reg,
                comp,
                estado,
                avance,
                concl,
            ],
        )
    con.executemany("INSERT INTO acuerdos_corresponsables VALUES (?, ?)", CORESPONSIBLES)
    warehouse.close_all()
    return path

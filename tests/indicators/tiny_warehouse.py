"""A tiny hand-built warehouse: three OOAD (01 and 05 in Norte, 09 in Centro), four months.

Every expected value in the engine tests is worked out by hand from these rows.
"""

from __future__ import annotations

import warehouse
from warehouse.connection import Location, connect
from warehouse.ids import next_id

MONTHS = ("2023-01-01", "2023-02-01", "2024-01-01", "2024-02-01")

# consultas_medicina_familiar per OOAD, one value per month of MONTHS
CONSULTAS = {"01": (100, 110, 120, 130), "05": (200, 210, 220, 230), "09": (1000, 1100, 1200, 1300)}
# (oportunas, programadas) per OOAD and month
CIRUGIAS = {
    "01": ((9, 10), (9, 10), (9, 10), (8, 10)),
    "05": ((45, 50), (45, 50), (45, 50), (30, 40)),
    "09": ((90, 100), (90, 100), (90, 100), (95, 100)),
}
PUESTOS = {"01": (900, 950, 1000, 1100), "05": (2800, 2850, 3000, 2900), "09": (4800, 4900, 5000, 5200)}
# (masa_salarial, puestos_con_salario): January rows are decoys, February rows give the stock ratio
SALARIO = {
    "01": ((1, 1), (1, 1), (1, 1), (500_000, 1000)),
    "05": ((1, 1), (1, 1), (1, 1), (1_200_000, 2000)),
    "09": ((1, 1), (1, 1), (1, 1), (3_000_000, 5000)),
}
DIAS_INCAPACIDAD = {"01": (10, 10, 10, 20), "05": (10, 10, 10, 30), "09": (10, 10, 10, 50)}

AGREEMENTS = [
    # folio, region, ooad, registro, compromiso, estado, avance, conclusion, direccion
    ("A", "Norte", "01", "2024-01-10", "2024-01-25", "Concluido", 100, "2024-02-15", "DPM"),
    ("B", "Norte", "05", "2024-01-12", None, "En proceso", 40, None, "DA"),
    ("C", "Centro", "09", "2024-01-15", "2024-02-10", "Cancelado", 0, None, "DPM"),
    ("D", "Centro", None, "2024-02-01", "2024-02-20", "En proceso", 10, None, "DF"),
]


def build(path: Location) -> Location:
    """Create the tiny warehouse at path and return it."""
    con = connect(path)
    for cve in CONSULTAS:
        for i, month in enumerate(MONTHS):
            op, prog = CIRUGIAS[cve][i]
            con.execute(
                "INSERT INTO consultas VALUES (?, ?, ?, 0, 0, 0, ?, ?, 0, 0, 0, 1)",
                [month, cve, CONSULTAS[cve][i], prog, op],
            )
            masa, con_sal = SALARIO[cve][i]
            con.execute(
                "INSERT INTO afiliacion (periodo, cve_ooad, puestos_trabajo, puestos_con_salario, masa_salarial, carga_id) "
                "VALUES (?, ?, ?, ?, ?, 1)",
                [month, cve, PUESTOS[cve][i], con_sal, masa],
            )
            con.execute(
                "INSERT INTO incapacidades VALUES (?, ?, ?, 0, 0, 1)", [month, cve, DIAS_INCAPACIDAD[cve][i]]
            )
    for cve, (sat, enc) in {"01": (80, 100), "05": (150, 200), "09": (400, 500)}.items():
        con.execute("INSERT INTO satisfaccion VALUES (2023, ?, 'atencion_medica', ?, ?, 1)", [cve, enc, sat])
    metas = [
        ("consultas_medicina_familiar", "2024-01-01", "nacional", 1500),
        ("consultas_medicina_familiar", "2024-02-01", "nacional", 1700),
        ("consultas_medicina_familiar", "2024-01-01", "ooad:09", 1500),
        ("consultas_medicina_familiar", "2024-02-01", "ooad:09", 1500),
        ("consultas_medicina_familiar", "2024-01-01", "ooad:01", 100),
        ("consultas_medicina_familiar", "2024-02-01", "ooad:01", 100),
        ("oportunidad_quirurgica", "2024-01-01", "nacional", 92),
        ("oportunidad_quirurgica", "2024-02-01", "nacional", 90),
        ("dias_incapacidad_eg", "2024-02-01", "nacional", 95),
        ("puestos_trabajo_afiliados", "2024-01-01", "nacional", 9000),
        ("puestos_trabajo_afiliados", "2024-02-01", "nacional", 9000),
    ]
    con.executemany("INSERT INTO metas VALUES (?, ?, ?, ?, 1)", metas)
    for folio, region, ooad, reg, comp, estado, avance, concl, direccion in AGREEMENTS:
        con.execute(
            "INSERT INTO acuerdos (folio, cve_reunion, region, cve_ooad, cve_mesa, descripcion, cve_direccion, "
            "fecha_registro, fecha_compromiso, estado, avance, fecha_conclusion) "
            "VALUES (?, 'R1', ?, ?, 'M1', 'Acuerdo de prueba', ?, ?, ?, ?, ?, ?)",
            [folio, region, ooad, direccion, reg, comp, estado, avance, concl],
        )
    con.execute("INSERT INTO acuerdos_corresponsables VALUES ('D', 'DPM')")
    con.execute(
        "INSERT INTO cargas (id, dataset, archivo, filas, usuario, fecha, modo) "
        "VALUES (?, 'consultas', 'prueba.csv', 12, 'prueba', now(), 'agregar')",
        [next_id(con, "seq_cargas")],
    )
    warehouse.close_all()
    return path


# The five medical units of OOAD 09 (data/catalogos/unidades.csv) for January and February 2024:
# they add up to the OOAD's rows above. consultas_medicina_familiar: 1200 and 1300.
UNIT_FAMILY = {"09UMF020": (600, 650), "09UMF041": (400, 450), "09UMF094": (200, 200)}
# (oportunas, programadas): the OOAD's are (90, 100) and (95, 100)
UNIT_SURGERY = {"09HGZ027": ((60, 70), (65, 70)), "09HGZ024": ((30, 30), (30, 30))}
UNIT_FAMILY_METAS = {"09UMF020": 800, "09UMF041": 450, "09UMF094": 250}  # per month; the OOAD's is 1500


def add_units(path: Location) -> Location:
    """Add the unit rows and the family-medicine unit targets to a tiny warehouse; return it."""
    months = MONTHS[2:]
    con = connect(path)
    for unit, values in UNIT_FAMILY.items():
        for month, value in zip(months, values, strict=True):
            con.execute(
                "INSERT INTO consultas_unidad (periodo, cve_unidad, consultas_medicina_familiar, carga_id)"
                " VALUES (?, ?, ?, 1)",
                [month, unit, value],
            )
    for unit, pairs in UNIT_SURGERY.items():
        for month, (timely, scheduled) in zip(months, pairs, strict=True):
            con.execute(
                "INSERT INTO consultas_unidad (periodo, cve_unidad, cirugias_oportunas, cirugias_programadas,"
                " carga_id) VALUES (?, ?, ?, ?, 1)",
                [month, unit, timely, scheduled],
            )
    con.executemany(
        "INSERT INTO metas VALUES (?, ?, ?, ?, 1)",
        [
            ("consultas_medicina_familiar", m, f"unidad:{u}", v)
            for u, v in UNIT_FAMILY_METAS.items()
            for m in months
        ],
    )
    warehouse.close_all()
    return path

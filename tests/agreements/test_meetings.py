"""A meeting created by Planeación, its agreements bulk-loaded into it, its follow-up pack exported.

Every expected count is worked out by hand from the six rows below (deadlines far in the past
or far in the future, so the figures hold whatever the day the test runs).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from agreements import actions as act
from agreements import meetings as mt
from agreements.evidence import Evidence
from loaders import load_file
from tests.agreements.conftest import DA, DG, DIR, PLANNER
from ui import meeting_pack
from ui.session import User
from warehouse import query_rows

MEETING = mt.Meeting(
    cve_reunion="RR9-CEN-2026",
    nombre="9ª Reunión Regional Centro",
    ciclo="2026",
    ronda=9,
    region="Centro",
    fecha_inicio=date(2026, 5, 6),
    fecha_fin=date(2026, 5, 8),
    sede="Pachuca, Hgo.",
    ooad=("09", "15"),
    umae=("U01",),
    mesas=("M1", "M2", "M3"),
    temas=("T1",),
)
HEADER = "cve_reunion,cve_ooad,cve_umae,cve_mesa,cve_tema,descripcion,cve_direccion,corresponsables,fecha_registro,fecha_compromiso"
ROWS = [
    "RR9-CEN-2026,09,,M1,,Abrir 10 camas en el HGZ 8,DPM,DA,2026-05-10,2026-06-30",  # 0007 overdue
    "RR9-CEN-2026,09,,M1,,Contratar 4 anestesiólogos,DA,,2026-05-10,2099-12-31",  # 0008 open
    "RR9-CEN-2026,,U01,M2,,Surtir oncológicos al 95 %,DA,,2026-05-10,2026-07-31",  # 0009 overdue
    "RR9-CEN-2026,15,,M3,,Conservar los elevadores,DPM,,2026-05-10,",  # 0010 open, no deadline
    "RR9-CEN-2026,15,,M1,,Depurar la plantilla,DIR,,2026-05-10,2099-12-31",  # 0011 concluded below
    "RR9-CEN-2026,15,,M2,,Licitar ambulancias,DF,,2026-05-10,2026-06-01",  # 0012 cancelled below
]


def test_meeting_bulk_load_and_follow_up_pack(board_db: Path, tmp_path: Path) -> None:
    with pytest.raises(act.AgreementError, match="Solo Planeación"):
        mt.create(MEETING, DA, db=board_db)
    with pytest.raises(act.AgreementError, match="OOAD desconocido: 99"):
        mt.create(mt.Meeting(**{**MEETING.__dict__, "ooad": ("99",)}), PLANNER, db=board_db)
    mt.create(MEETING, PLANNER, Evidence("minuta.pdf", b"%PDF-1.4 minuta"), db=board_db)
    record = mt.meeting("RR9-CEN-2026", board_db)
    assert (
        record["ciclo"],
        record["ronda"],
        record["minuta_nombre"],
        list(record["umae_participantes"]),
    ) == (
        "2026",
        9,
        "minuta.pdf",
        ["U01"],
    )

    csv = tmp_path / "acuerdos_rr9.csv"
    csv.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    result = load_file(csv, user="planeacion1", db=board_db)
    assert result.loaded and result.dataset == "acuerdos_registro", result.message
    assert result.folios == [f"RR-CEN-2026-{n:04d}" for n in range(7, 13)]
    act.request_conclusion(
        "RR-CEN-2026-0011", DIR, "Plantilla depurada", 1, Evidence("p.csv", b"a"), db=board_db
    )
    act.validate_conclusion("RR-CEN-2026-0011", DG, 2, db=board_db)
    act.cancel("RR-CEN-2026-0012", DG, 1, "Se atiende con el programa nacional", db=board_db)

    listing = mt.meetings(board_db)
    assert listing.set_index("cve_reunion").loc[
        "RR9-CEN-2026", ["n_ooad", "n_umae", "acuerdos"]
    ].tolist() == [2, 1, 6]
    pack = mt.follow_up("RR9-CEN-2026", board_db)
    k = pack.kpis
    assert (k.registrados, k.concluidos, k.cancelados, k.en_proceso, k.vencidos) == (6, 1, 1, 4, 2)
    assert k.cumplimiento == pytest.approx(20.0)  # 1 / (6 - 1)
    mesas = pack.por_mesa.set_index("clave")[
        ["registrados", "concluidos", "en_proceso", "vencidos", "cancelados"]
    ]
    assert mesas.to_dict("index") == {
        "M1": {"registrados": 3, "concluidos": 1, "en_proceso": 2, "vencidos": 1, "cancelados": 0},
        "M2": {"registrados": 2, "concluidos": 0, "en_proceso": 1, "vencidos": 1, "cancelados": 1},
        "M3": {"registrados": 1, "concluidos": 0, "en_proceso": 1, "vencidos": 0, "cancelados": 0},
    }
    units = pack.por_unidad.set_index("clave")["registrados"].to_dict()
    assert units == {"15": 3, "09": 2, "U01": 1}
    assert sorted(pack.vencidos["folio"]) == ["RR-CEN-2026-0007", "RR-CEN-2026-0009"]

    # the exported pack holds the same counts
    book = load_workbook(io.BytesIO(meeting_pack.to_xlsx(pack)))
    assert book.sheetnames == ["Resumen", "Por mesa", "Por OOAD y UMAE", "Vencidos"]
    resumen = {r[0]: r[1] for r in book["Resumen"].iter_rows(min_row=4, values_only=True)}
    # the same labels as every screen (board.label)
    assert (
        resumen["Registrados · acumulado"],
        resumen["Vencidos · al corte"],
        resumen["Cumplimiento · acumulado"],
    ) == ("6", "2", "20.0 %")
    por_mesa = list(book["Por mesa"].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1], r[4]) for r in por_mesa] == [
        ("Prestación de Servicios de Salud en el Marco Presupuestal", 3, 1),
        ("Abasto y Adquisiciones", 2, 1),
        ("Conservación", 1, 0),
    ]
    vencidos = list(book["Vencidos"].iter_rows(min_row=4, values_only=True))
    responsible = dict(query_rows("SELECT cve_direccion, nombre FROM direcciones", path=board_db))
    assert sorted((r[0], r[3]) for r in vencidos) == [
        ("RR-CEN-2026-0007", responsible["DPM"]),
        ("RR-CEN-2026-0009", responsible["DA"]),
    ]
    html = meeting_pack.to_html(pack)
    assert "Seguimiento de la 9ª Reunión Regional Centro (Centro)" in html
    assert html.count("RR-CEN-2026-0007") == 1 and "Surtir oncológicos al 95 %" in html
    assert query_rows("SELECT count(*) FROM auditoria WHERE accion = 'reunion_alta'", path=board_db) == [(1,)]


def test_pack_escapes_user_text(board_db: Path) -> None:
    mt.create(MEETING, PLANNER, db=board_db)
    act.register(
        act.NewAgreement("RR9-CEN-2026", "M1", "<img src=x onerror=alert(1)> =HYPERLINK(\"x\")", "DPM",
                         date(2026, 6, 1), date(2026, 5, 10)),
        PLANNER,
        board_db,
    )  # fmt: skip
    pack = mt.follow_up("RR9-CEN-2026", board_db)
    html = meeting_pack.to_html(pack)
    assert "<img" not in html and "&lt;img src=x" in html
    book = load_workbook(io.BytesIO(meeting_pack.to_xlsx(pack)))
    cell = next(r[7] for r in book["Vencidos"].iter_rows(min_row=4, values_only=True))
    assert cell.startswith("<img")  # text as text; a leading "=" would have been prefixed with "'"


def test_pack_html_template_escapes_hostile_text(board_db: Path) -> None:
    """The pack's HTML is a Jinja2 template with autoescape: markup typed into a meeting or an
    agreement comes out as text, and a spreadsheet formula is just characters in a page."""
    hostile = mt.Meeting(
        **{**MEETING.__dict__, "nombre": "Reunión <b>Centro</b>", "sede": "<script>alert('sede')</script>"}
    )
    mt.create(hostile, PLANNER, db=board_db)
    text = '<script>alert(1)</script> =HYPERLINK("http://x","y")'
    act.register(
        act.NewAgreement("RR9-CEN-2026", "M1", text, "DPM", date(2026, 6, 1), date(2026, 5, 10)),
        PLANNER,
        board_db,
    )
    html = meeting_pack.to_html(mt.follow_up("RR9-CEN-2026", board_db))
    assert "<script" not in html and "<b>" not in html
    assert "<title>Seguimiento de la Reunión &lt;b&gt;Centro&lt;/b&gt; (Centro)</title>" in html
    assert (
        '<p class="meta">&lt;script&gt;alert(&#39;sede&#39;)&lt;/script&gt; · 06/05/2026 a 08/05/2026' in html
    )
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt; =HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)</td>" in html
    # one agreement, overdue since 2026-06-01: the summary and the per-table rows say so
    assert (
        "<tr><td>Registrados · acumulado</td><td>1</td></tr>" in html
        and "<tr><td>Vencidos · al corte</td><td>1</td></tr>" in html
    )
    # registrados 1, concluidos 0, abiertos en plazo 0, vencidos 1
    counts = '<td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">1</td>'
    assert f"<tr><td>Prestación de Servicios de Salud en el Marco Presupuestal</td>{counts}" in html
    assert f"<tr><td>Sin OOAD ni UMAE</td>{counts}" in html
    assert '<td>01/06/2026</td><td class="num">' in html and "Sin acuerdos." not in html


def test_a_planner_registers_meetings_only_inside_their_ambito(board_db: Path) -> None:
    norte = User("plan_norte", "Planeación Norte", frozenset({"planeacion"}), ambito="region:Norte")
    with pytest.raises(mt.AgreementError, match=r"dentro de su ámbito \(región Norte\)"):
        mt.create(MEETING, norte, db=board_db)  # a Centro meeting
    assert query_rows(
        "SELECT count(*) FROM reuniones WHERE cve_reunion = ?", [MEETING.cve_reunion], board_db
    ) == [(0,)]
    centro = User("plan_centro", "Planeación Centro", frozenset({"planeacion"}), ambito="region:Centro")
    with pytest.raises(mt.AgreementError, match="dentro de su ámbito"):  # OOAD 15 lies in Occidente
        mt.create(MEETING, centro, db=board_db)
    own = mt.Meeting(**{**MEETING.__dict__, "ooad": ("09",)})  # OOAD 09 and UMAE U01 (OOAD 10): Centro
    assert mt.create(own, centro, db=board_db) == MEETING.cve_reunion

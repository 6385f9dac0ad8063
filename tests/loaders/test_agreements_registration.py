"""Bulk registration of a meeting's agreements (acuerdos_registro) and safe acuerdos replace/undo."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from access import users
from agreements.register import NewAgreement, insert_all
from exports.datasets import export
from loaders import CONTRACTS, data_dictionary, load_file, template, undo
from loaders.cli import main
from tests.loaders.helpers import snapshot, write
from warehouse import query_rows, transaction

HEADER = [
    "cve_reunion",
    "cve_ooad",
    "cve_umae",
    "cve_mesa",
    "cve_tema",
    "descripcion",
    "cve_direccion",
    "corresponsables",
    "fecha_registro",
    "fecha_compromiso",
]
ROWS = [
    ["R1", "9", "", "M1", "T1", "Equipar quirófanos del HGZ 1", "DPM", "DA; DIR", "2026-01-20", "2026-06-30"],
    ["R1", "", "U01", "M2", "", "Regularizar el abasto de oncológicos", "DA", "", "2026-01-20", ""],
    [
        "R2",
        "02",
        "",
        "M1",
        "T2",
        "Abrir turno vespertino en la UMF 3",
        "DPM",
        "DF",
        "2026-02-06",
        "2026-12-31",
    ],
    ["R1", "15", "", "M1", "", "Reducir el diferimiento quirúrgico", "DIR", "DPM,DA", "2026-01-21", ""],
]
TODAY = date(2026, 11, 26)


@pytest.fixture
def meetings(db: Path) -> Path:
    """The fresh warehouse with two meetings and one agreement already registered (Centro 2026)."""
    with transaction(db) as cur:
        cur.executemany(
            "INSERT INTO reuniones (cve_reunion, nombre, ronda, region, sede, fecha_inicio, fecha_fin) VALUES (?, ?, ?, ?, NULL, ?, ?)",
            [
                ["R1", "1a Reunión Regional Centro 2026", 1, "Centro", date(2026, 1, 15), date(2026, 1, 16)],
                ["R2", "1a Reunión Regional Norte 2026", 1, "Norte", date(2026, 2, 5), date(2026, 2, 6)],
            ],
        )
    previous = NewAgreement("R1", "M1", "Acuerdo previo", "DF", fecha_registro=date(2026, 1, 15))
    with transaction(db) as cur:
        insert_all(cur, [previous], "dg", datetime(2026, 1, 15, 9), None)
    return db


def _csv(path: Path, rows: list[list[str]], sep: str = ",") -> Path:
    def line(cells: list[str]) -> str:
        return sep.join(f'"{c}"' if sep in c else c for c in cells)

    return write(path, [sep.join(HEADER), *(line(r) for r in rows)])


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append([v or None for v in r])
    wb.save(path)
    return path


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_meeting_spreadsheet_registers_agreements_with_folios(
    meetings: Path, tmp_path: Path, kind: str
) -> None:
    db = meetings
    path = (_csv if kind == "csv" else _xlsx)(tmp_path / f"acuerdos_reunion.{kind}", ROWS)
    result = load_file(path, user="pablo", db=db, today=TODAY, accept_warnings=True)
    assert result.dataset == "acuerdos_registro" and result.loaded, (result.message, result.report.findings)
    assert result.folios == ["RR-CEN-2026-0002", "RR-CEN-2026-0003", "RR-NOR-2026-0001", "RR-CEN-2026-0004"]
    assert result.message == (
        f"Carga {result.load_id}: se registraron 4 acuerdos de la reunión R1, R2"
        " con folios RR-CEN-2026-0002 a RR-CEN-2026-0004."
    )
    stored = query_rows(
        "SELECT folio, region, cve_ooad, cve_umae, cve_mesa, cve_tema, cve_direccion, fecha_registro,"
        " fecha_compromiso, estado, avance, version, carga_id FROM acuerdos WHERE carga_id = ? ORDER BY folio",
        [result.load_id],
        path=db,
    )
    lid = result.load_id
    assert stored == [
        ("RR-CEN-2026-0002", "Centro", "09", None, "M1", "T1", "DPM", date(2026, 1, 20), date(2026, 6, 30),
         "Registrado", 0.0, 1, lid),
        ("RR-CEN-2026-0003", "Centro", None, "U01", "M2", None, "DA", date(2026, 1, 20), None,
         "Registrado", 0.0, 1, lid),
        ("RR-CEN-2026-0004", "Centro", "15", None, "M1", None, "DIR", date(2026, 1, 21), None,
         "Registrado", 0.0, 1, lid),
        ("RR-NOR-2026-0001", "Norte", "02", None, "M1", "T2", "DPM", date(2026, 2, 6), date(2026, 12, 31),
         "Registrado", 0.0, 1, lid),
    ]  # fmt: skip
    assert query_rows(
        "SELECT folio, cve_direccion FROM acuerdos_corresponsables WHERE folio <> 'RR-CEN-2026-0001'"
        " ORDER BY 1, 2",
        path=db,
    ) == [
        ("RR-CEN-2026-0002", "DA"),
        ("RR-CEN-2026-0002", "DIR"),
        ("RR-CEN-2026-0004", "DA"),
        ("RR-CEN-2026-0004", "DPM"),
        ("RR-NOR-2026-0001", "DF"),
    ]
    history = query_rows(
        "SELECT folio, usuario, campo, valor_anterior, valor_nuevo FROM acuerdos_historial"
        " WHERE folio <> 'RR-CEN-2026-0001' ORDER BY folio",
        path=db,
    )
    assert history == [(f, "pablo", "estado", None, "Registrado") for f in sorted(result.folios)]
    # inbox: responsible + co-responsibles of each
    assert (
        query_rows(
            "SELECT count(*) FROM notificaciones WHERE evento = 'registro' AND folio <> 'RR-CEN-2026-0001'",
            path=db,
        )[0][0]
        == 3 + 1 + 2 + 3
    )
    assert query_rows(
        "SELECT dataset, archivo, filas, usuario, modo, periodos, estado FROM cargas WHERE id = ?",
        [lid],
        path=db,
    ) == [("acuerdos_registro", path.name, 4, "pablo", "agregar", "reunión R1, R2", "aplicada")]
    again = load_file(path, user="pablo", db=db, today=TODAY, accept_warnings=True)
    assert again.status == "duplicada"
    assert query_rows("SELECT count(*) FROM acuerdos", path=db)[0][0] == 5


BAD_CASES = [
    (["R1", "09", "", "M1", "", "Algo", "DXX", "", "2026-01-20", ""], "cve_direccion",
     "clave desconocida en el catálogo direcciones; las más cercanas: DA (Dirección de Administración),"
     " DF (Dirección de Finanzas), DIR (Dirección de Incorporación y Recaudación)"
     " (lista completa: python -m loaders catalogo direccion) (valor «DXX»)"),
    (["R9", "09", "", "M1", "", "Algo", "DPM", "", "2026-01-20", ""], "cve_reunion",
     "clave desconocida en el catálogo reuniones; las más cercanas: R1 (1a Reunión Regional Centro 2026),"
     " R2 (1a Reunión Regional Norte 2026) (valor «R9»)"),
    (["R1", "09", "", "M1", "", "", "DPM", "", "2026-01-20", ""], "descripcion",
     "valor vacío en una columna obligatoria"),
    (["R1", "09", "", "M1", "", "Algo", "DPM", "DA;DZ", "2026-01-20", ""], "corresponsables",
     "alguna clave de corresponsable no existe en el catálogo direcciones (valor «DA;DZ»)"),
    (["R1", "09", "", "M1", "", "Algo", "DPM", "DA, DPM", "2026-01-20", ""], "corresponsables",
     "la dirección responsable no puede ser también corresponsable (valor «DA, DPM»)"),
    (["R1", "09", "U01", "M1", "", "Algo", "DPM", "", "2026-01-20", ""], "cve_umae",
     "indique OOAD o UMAE, no ambos (valor «U01»)"),
    (["R1", "09", "", "M1", "", "Algo", "DPM", "", "2026-01-20", "2025-12-31"], "fecha_compromiso",
     "la fecha compromiso es anterior a la fecha de registro (valor «2025-12-31»)"),
]  # fmt: skip


@pytest.mark.parametrize(("bad", "column", "problem"), BAD_CASES)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_bad_row_refuses_the_whole_file_and_nothing_changes(
    meetings: Path, tmp_path: Path, kind: str, bad: list[str], column: str, problem: str
) -> None:
    db = meetings
    path = (_csv if kind == "csv" else _xlsx)(tmp_path / f"acuerdos_malos.{kind}", [ROWS[0], bad, ROWS[2]])
    before = snapshot(db)
    result = load_file(path, dataset="acuerdos_registro", db=db, today=TODAY, accept_warnings=True)
    assert result.status == "rechazada"
    assert [f.message for f in result.report.findings] == [
        f"acuerdos_malos.{kind}, fila 3, columna «{column}»: {problem}."
    ]
    assert snapshot(db) == before


def test_registration_is_agregar_only_and_not_exported(meetings: Path, tmp_path: Path) -> None:
    path = _csv(tmp_path / "acuerdos_reunion.csv", ROWS)
    result = load_file(path, mode="reemplazar", db=meetings, today=TODAY, accept_warnings=True)
    assert result.status == "rechazada" and "solo se carga en modo «agregar»" in result.message
    with pytest.raises(ValueError, match="no se exporta"):
        export("acuerdos_registro", db=meetings)
    assert "acuerdos_registro" in CONTRACTS
    assert template("acuerdos_registro").splitlines()[0] == ",".join(HEADER)
    assert data_dictionary("acuerdos_registro").query("columna == 'cve_reunion'").reglas.iloc[0] == (
        "debe existir en el catálogo reuniones"
    )


def test_cli_registers_and_undo_cancels_without_deleting(
    meetings: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    db = meetings
    users.add_user("pablo", "Pablo", None, ["planeacion"], path=db)  # --usuario names a real account
    path = _csv(tmp_path / "acuerdos_reunion.csv", ROWS, sep=";")
    assert (
        main(
            [
                "load",
                str(path),
                "--dataset",
                "acuerdos_registro",
                "--usuario",
                "pablo",
                "--aceptar-advertencias",
            ]
        )
        == 0
    )
    assert "se registraron 4 acuerdos" in capsys.readouterr().out
    lid = query_rows("SELECT max(id) FROM cargas", path=db)[0][0]
    history_before = query_rows("SELECT * FROM acuerdos_historial ORDER BY id", path=db)
    assert main(["undo", str(lid), "--usuario", "pablo"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        f"Se deshizo la carga {lid}: sus 4 acuerdos (RR-CEN-2026-0002 a RR-NOR-2026-0001) quedaron «Cancelado»"
    )
    assert "No se borró nada" in out
    assert query_rows("SELECT count(*) FROM acuerdos", path=db)[0][0] == 5
    assert query_rows("SELECT DISTINCT estado, version FROM acuerdos WHERE carga_id = ?", [lid], path=db) == [
        ("Cancelado", 2)
    ]
    history_after = query_rows("SELECT * FROM acuerdos_historial ORDER BY id", path=db)
    assert history_after[: len(history_before)] == history_before  # nothing rewritten or deleted
    added = [(h[1], h[4], h[5], h[6]) for h in history_after[len(history_before) :]]
    note = f"Carga revertida (carga {lid}, deshecha por la carga {lid + 1})"
    assert sorted(added) == [
        (f, "estado", "Registrado", "Cancelado") for f in sorted(
            ["RR-CEN-2026-0002", "RR-CEN-2026-0003", "RR-CEN-2026-0004", "RR-NOR-2026-0001"]
        )
    ]  # fmt: skip
    assert {h[7] for h in history_after[len(history_before) :]} == {note}
    assert query_rows("SELECT estado FROM acuerdos WHERE folio = 'RR-CEN-2026-0001'", path=db) == [
        ("Registrado",)
    ]
    assert query_rows(
        "SELECT id, modo, estado, revierte_a, filas FROM cargas WHERE id >= ? ORDER BY id", [lid], path=db
    ) == [(lid, "agregar", "revertida", None, 4), (lid + 1, "deshacer", "aplicada", lid, 4)]
    # the same file can be registered again (new folios) once its load was undone
    again = load_file(path, dataset="acuerdos_registro", db=db, today=TODAY, accept_warnings=True)
    assert again.loaded and again.folios[0] == "RR-CEN-2026-0005"


def test_undo_is_refused_once_an_agreement_has_follow_up(meetings: Path, tmp_path: Path) -> None:
    from agreements.actions import record_progress
    from ui.session import User

    db = meetings
    result = load_file(
        _csv(tmp_path / "acuerdos_reunion.csv", ROWS), db=db, today=TODAY, accept_warnings=True
    )
    assert result.loaded
    dpm = User("dpm", "Titular DPM", frozenset({"director_normativo"}), cve_direccion="DPM")
    record_progress("RR-CEN-2026-0002", dpm, 30, "Licitación publicada", 1, db=db)
    before = snapshot(db)
    refused = undo(result.load_id, db=db)
    assert refused.status == "rechazada"
    assert refused.message == (
        f"No se puede deshacer la carga {result.load_id}: 1 de sus acuerdos ya tienen seguimiento"
        " (avance, comentarios o cambios de estado): RR-CEN-2026-0002. Si ya no aplican, cancélelos"
        " uno por uno desde su ficha."
    )
    assert snapshot(db) == before


def test_acuerdos_replace_keeps_history_and_refuses_stale_rows(meetings: Path, tmp_path: Path) -> None:
    from agreements.actions import record_progress
    from ui.session import User

    db = meetings
    assert load_file(
        _csv(tmp_path / "acuerdos_reunion.csv", ROWS), db=db, today=TODAY, accept_warnings=True
    ).loaded
    exported = tmp_path / "acuerdos.csv"
    export("acuerdos", out=exported, db=db)
    lines = exported.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    i_avance, i_estado = header.index("avance"), header.index("estado")
    edited = []
    for line in lines:
        cells = line.split(",")
        if cells[0] == "RR-CEN-2026-0003":
            cells[i_avance], cells[i_estado] = "40.0", "En proceso"
        edited.append(",".join(cells))
    changed = write(tmp_path / "acuerdos_editado.csv", edited)
    result = load_file(changed, mode="reemplazar", user="pablo", db=db, today=TODAY, accept_warnings=True)
    assert result.loaded, (result.message, [f.message for f in result.report.findings])
    rows = query_rows(
        "SELECT campo, valor_anterior, valor_nuevo, usuario, comentario FROM acuerdos_historial"
        " WHERE comentario LIKE 'Reemplazado%' ORDER BY folio, campo",
        path=db,
    )
    note = (
        f"Reemplazado por la carga {result.load_id}, archivo «acuerdos_editado.csv» (carga {result.load_id})"
    )
    assert rows == [
        ("avance", "0", "40", "pablo", note),
        ("estado", "Registrado", "En proceso", "pablo", note),
    ]
    assert query_rows("SELECT folio, version FROM acuerdos WHERE version > 1 ORDER BY 1", path=db) == [
        ("RR-CEN-2026-0003", 2)
    ]
    # undoing that load puts the old values back and says so in the history
    reverted = undo(result.load_id, user="pablo", db=db)
    assert reverted.loaded, reverted.message
    assert query_rows(
        "SELECT campo, valor_anterior, valor_nuevo FROM acuerdos_historial WHERE comentario LIKE 'Carga revertida:%'"
        " ORDER BY campo",
        path=db,
    ) == [("avance", "40", "0"), ("estado", "En proceso", "Registrado")]
    assert query_rows(
        "SELECT avance, estado, version FROM acuerdos WHERE folio = 'RR-CEN-2026-0003'", path=db
    ) == [(0.0, "Registrado", 1)]
    # progress recorded after the export: reloading the old export is refused on that row
    dpm = User("dpm", "Titular DPM", frozenset({"director_normativo"}), cve_direccion="DPM")
    record_progress("RR-CEN-2026-0002", dpm, 30, "Licitación publicada", 1, db=db)
    before = snapshot(db)
    stale = load_file(exported, mode="reemplazar", db=db, today=TODAY, accept_warnings=True)
    assert stale.status == "rechazada"
    messages = [f.message for f in stale.report.findings]
    assert any(
        m.startswith("acuerdos.csv, fila 3, columna «version»: el acuerdo RR-CEN-2026-0002 cambió después")
        for m in messages
    ), messages
    assert snapshot(db) == before


def test_upload_page_offers_registration_with_its_template_and_dictionary(meetings: Path) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.loaders.test_cli_page import PAGE, PLANNER

    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["user"] = PLANNER
    at.run()
    assert not at.exception
    options = at.selectbox(key="carga_dataset").options
    assert "Registro de acuerdos nuevos de una reunión (acuerdos_registro)" in options
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Plantilla de acuerdos_registro" in labels
    at.selectbox(key="diccionario_conjunto").set_value("acuerdos_registro").run()
    assert at.dataframe[-1].value["columna"].tolist() == HEADER
    at.selectbox(key="carga_dataset").set_value("acuerdos_registro").run()
    assert [o for o in at.radio(key="carga_modo").options] == ["Agregar periodos nuevos"]

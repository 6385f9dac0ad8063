"""History is append-only: no code path updates or deletes acuerdos_historial rows.

DuckDB has no triggers, so the guarantee is in the code: (1) no SQL in the repository (Python
or migrations, outside tests) updates, deletes, truncates, drops or upserts that table; (2) every
write function of the agreement modules, succeeding or failing, leaves each existing history
row exactly as it was and only appends rows with higher ids.
"""

from __future__ import annotations

import contextlib
import inspect
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from agreements import actions as act
from agreements import notices
from agreements import register as agreement_register
from agreements.evidence import Evidence
from tests.agreements.conftest import DA, DA_ENLACE, DG, DIR, DPM, PLANNER
from warehouse import query_rows
from warehouse.settings import ROOT

FORBIDDEN = re.compile(
    r"(UPDATE\s+acuerdos_historial|DELETE\s+FROM\s+acuerdos_historial|TRUNCATE\s+(TABLE\s+)?acuerdos_historial"
    r"|DROP\s+TABLE\s+(IF\s+EXISTS\s+)?acuerdos_historial|INSERT\s+OR\s+REPLACE\s+INTO\s+acuerdos_historial"
    r"|ALTER\s+TABLE\s+acuerdos_historial)",
    re.IGNORECASE,
)


def test_no_source_updates_or_deletes_history():
    offenders = []
    for path in [*ROOT.glob("**/*.py"), *ROOT.glob("warehouse/migrations/*.sql")]:
        rel = path.relative_to(ROOT)
        if rel.parts[0] in (".venv", "tests") or "site-packages" in rel.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        offenders += [f"{rel}: {m.group(0)}" for m in FORBIDDEN.finditer(text)]
        if "acuerdos_historial" in text and re.search(r"ON\s+CONFLICT\s+DO\s+UPDATE", text, re.IGNORECASE):
            offenders.append(f"{rel}: upsert near acuerdos_historial")
    assert offenders == []


def test_agreement_modules_expose_no_history_edit():
    for module in (act, notices, agreement_register):
        names = [
            n for n, f in inspect.getmembers(module, inspect.isfunction) if f.__module__ == module.__name__
        ]
        assert not [n for n in names if re.search(r"delete|remove|purge|edit|overwrite|undo", n)], module


def _history(db: Path) -> list[tuple]:
    return query_rows("SELECT * FROM acuerdos_historial ORDER BY id", path=db)


def test_every_write_path_only_appends(board_db):
    folio = "RR-NOR-2026-0001"  # DA responsible, DPM co-responsible, version 1
    rows = pd.DataFrame(
        {"cve_reunion": ["R2"], "cve_mesa": ["M1"], "descripcion": ["Masivo"], "cve_direccion": ["DA"]}
    )
    new = act.NewAgreement("R1", "M1", "Uno", "DPM", date(2026, 9, 1), date(2026, 6, 30))
    attempts = [
        lambda: act.register(new, PLANNER, board_db),
        lambda: act.register(new, DA, board_db),  # refused: a director does not register
        lambda: act.register(act.NewAgreement("RX", "M1", "x", "DPM"), PLANNER, board_db),  # refused
        lambda: act.register_many(rows, PLANNER, board_db),
        lambda: act.register_many(rows.assign(cve_mesa=["M9"]), PLANNER, board_db),  # refused
        lambda: act.record_progress(folio, DA, 50, "avance", 1, Evidence("a.txt", b"hola"), board_db),
        lambda: act.record_progress(folio, DA_ENLACE, 20, "versión vieja", 1, db=board_db),  # conflict
        lambda: act.record_progress(folio, DIR, 20, "fuera de ámbito", 2, db=board_db),  # denied
        lambda: act.record_progress(folio, DPM, 20, "corresponsable", 2, db=board_db),  # denied
        lambda: act.record_progress(folio, DA_ENLACE, 10, "retrocede", 2, db=board_db),  # decrease appended
        lambda: act.comment(folio, DG, "comentario", db=board_db),
        lambda: act.comment(folio, DIR, "sin relación", db=board_db),  # denied
        lambda: act.validate_conclusion(folio, DA, 3, db=board_db),  # denied
        lambda: act.request_conclusion(folio, DA, "listo", 3, db=board_db),
        lambda: act.return_to_progress(folio, DG, 4, "falta firma", db=board_db),
        lambda: act.request_conclusion(folio, DA_ENLACE, "ya firmado", 5, db=board_db),
        lambda: act.validate_conclusion(folio, DG, 6, "ok", db=board_db),
        lambda: act.validate_conclusion(folio, DG, 1, db=board_db),  # conflict / wrong state
        lambda: notices.mark_read("DA", db=board_db),
        lambda: notices.set_directorate_email("DA", "da@imss.test", board_db),
    ]
    before = _history(board_db)
    for attempt in attempts:
        with contextlib.suppress(act.AgreementError):
            attempt()
        after = _history(board_db)
        assert after[: len(before)] == before  # nothing changed or vanished
        assert all(r[0] > before[-1][0] for r in after[len(before) :]) if before else True
        before = after
    # 50, 10, 100 at the first request, back to 10 when it is returned, 100 at the second: each kept
    assert [r[6] for r in before if r[1] == folio and r[4] == "avance"] == ["50", "10", "100", "10", "100"]
    assert [r[5:7] for r in before if r[1] == folio and r[4] == "estado"] == [
        ("En proceso", "Solicitud de conclusión"),
        ("Solicitud de conclusión", "En proceso"),
        ("En proceso", "Solicitud de conclusión"),
        ("Solicitud de conclusión", "Concluido"),
    ]


def test_history_records_person_and_behalf(board_db):
    folio = "RR-NOR-2026-0001"  # DA responsible; enlace.da acts for DA
    act.record_progress(folio, DA_ENLACE, 45, "Capturado por el enlace", 1, db=board_db)
    rows = query_rows(
        "SELECT h.usuario, n.en_nombre_de, h.campo, h.valor_anterior, h.valor_nuevo FROM acuerdos_historial h"
        " JOIN acuerdos_historial_en_nombre n ON n.historial_id = h.id WHERE h.folio = ? ORDER BY h.id",
        [folio],
        board_db,
    )
    assert rows == [("enlace.da", "DA", "avance", "30", "45")]


@pytest.mark.parametrize("sql", ["UPDATE", "DELETE"])
def test_sql_scan_catches_a_violation(sql):
    text = f"{sql} {'FROM ' if sql == 'DELETE' else ''}acuerdos_historial SET x = 1"
    assert FORBIDDEN.search(text)

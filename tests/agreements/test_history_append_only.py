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

from indicators import agreement_actions as act
from indicators import agreement_notices as notices
from indicators.agreement_evidence import Evidence
from tests.agreements.conftest import DA, DG, DIR, DPM
from warehouse import agreement_register, query_rows
from warehouse.config import ROOT

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
        lambda: act.register(new, "p", board_db),
        lambda: act.register(act.NewAgreement("RX", "M1", "x", "DPM"), "p", board_db),  # refused
        lambda: act.register_many(rows, "p", board_db),
        lambda: act.register_many(rows.assign(cve_mesa=["M9"]), "p", board_db),  # refused
        lambda: act.record_progress(folio, DA, 50, "avance", 1, Evidence("a.txt", b"hola"), board_db),
        lambda: act.record_progress(folio, DPM, 20, "versión vieja", 1, db=board_db),  # conflict
        lambda: act.record_progress(folio, DIR, 20, "fuera de ámbito", 2, db=board_db),  # denied
        lambda: act.record_progress(folio, DPM, 10, "retrocede", 2, db=board_db),  # a decrease is appended
        lambda: act.comment(folio, DG, "comentario", db=board_db),
        lambda: act.comment(folio, DA, "no es DG", db=board_db),  # denied
        lambda: act.change_status(folio, DA, "Concluido", 3, db=board_db),  # denied
        lambda: act.validate_conclusion(folio, DG, 3, "ok", db=board_db),
        lambda: act.change_status(folio, DG, "En proceso", 4, "se reabre", db=board_db),  # reopen
        lambda: act.change_status(folio, DG, "Concluido", 1, db=board_db),  # conflict
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
    campos = [r[4] for r in before if r[1] == folio]
    assert campos.count("avance") == 3  # 50, then 10, then 100 at conclusion: each kept
    assert [r[5:7] for r in before if r[1] == folio and r[4] == "fecha_conclusion"] == [
        (None, date.today().isoformat()),
        (date.today().isoformat(), None),
    ]


def test_history_survives_reopen_and_records_old_values(board_db):
    folio = "RR-CEN-2026-0001"  # concluded 2026-03-15
    act.change_status(folio, DG, "En proceso", 1, "Falta evidencia", db=board_db)
    rows = query_rows(
        "SELECT campo, valor_anterior, valor_nuevo, comentario FROM acuerdos_historial WHERE folio = ? ORDER BY id",
        [folio],
        board_db,
    )
    assert rows == [
        ("estado", "Concluido", "En proceso", "Falta evidencia"),
        ("fecha_conclusion", "2026-03-15", None, None),
    ]


@pytest.mark.parametrize("sql", ["UPDATE", "DELETE"])
def test_sql_scan_catches_a_violation(sql):
    text = f"{sql} {'FROM ' if sql == 'DELETE' else ''}acuerdos_historial SET x = 1"
    assert FORBIDDEN.search(text)

"""Evidence file names (issue 27, finding 14): a 254-character name gave «Falla inesperada».

The stored copy is `<sha256 prefix>_<name>`, 13 characters more than the name; past a file
system's 255 bytes writing it failed with an English OSError. A name over the cap is refused in
Spanish before anything is written; one at the cap is stored.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from agreements import actions as act
from agreements import board as ag
from agreements.evidence import MAX_NAME_CHARS, Evidence, EvidenceError
from tests.agreements.conftest import DA
from warehouse import query_rows

NOW = datetime(2026, 6, 30, 10, 0)
FOLIO = "RR-NOR-2026-0001"


def _history_rows(db) -> int:
    return int(query_rows("SELECT count(*) FROM acuerdos_historial", path=db)[0][0])


def test_a_254_character_evidence_name_is_refused_in_spanish(board_db, tmp_path):
    name = "informe_" + "x" * 242 + ".pdf"
    assert len(name) == 254
    before = _history_rows(board_db)
    with pytest.raises(EvidenceError) as refused:
        act.record_progress(
            FOLIO, DA, 50, "Anexo", 1, evidencia=Evidence(name, b"%PDF-1.4"), db=board_db, now=NOW
        )
    message = str(refused.value)
    assert "«informe_xxx" in message and "tiene 254 caracteres" in message
    assert f"el máximo es {MAX_NAME_CHARS}" in message
    assert _history_rows(board_db) == before
    assert not list((tmp_path / "evidencias").rglob("*.pdf"))


def test_an_evidence_name_at_the_cap_is_stored(board_db):
    name = "a" * (MAX_NAME_CHARS - 4) + ".pdf"
    act.record_progress(
        FOLIO, DA, 50, "Anexo", 1, evidencia=Evidence(name, b"%PDF-1.4"), db=board_db, now=NOW
    )
    files = ag.evidences(FOLIO, board_db)
    assert files["nombre_original"].tolist() == [name]
    assert len(files["ruta"].iloc[0].rsplit("/", 1)[-1].encode()) <= 255

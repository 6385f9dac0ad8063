"""Agreement text from files and users is shown as text (issue 12): no image, no link, no heading."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

import warehouse
from tests.agreements.conftest import DPM
from ui.safe import JOINER

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = "![x](http://198.51.100.7/p.png) [vuelva a entrar aquí](http://198.51.100.7/phish)\n# Urgente"
FOLIO = "RR-CEN-2026-0001"


def test_a_hostile_description_is_shown_as_its_characters(board_db):
    with warehouse.transaction(board_db) as cur:
        cur.execute("UPDATE acuerdos SET descripcion = ? WHERE folio = ?", [PAYLOAD, FOLIO])
    at = AppTest.from_file(str(ROOT / "pages" / "acuerdos.py"), default_timeout=60)
    at.session_state["user"] = DPM
    at.run()
    at.selectbox(key="acuerdos_folio").set_value(FOLIO).run()
    assert not at.exception
    quoted = [m.value for m in at.markdown if m.value.startswith("> ")]
    assert len(quoted) == 1
    body = quoted[0][2:]
    for char in "[]()!#":
        assert not re.search(r"(?<!\\)" + re.escape(char), body), char
    assert body.replace("\\", "").replace(JOINER, "") == PAYLOAD.replace("\n", " ")

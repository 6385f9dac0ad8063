"""Issue 27, finding 16: the export page's column filters list only values inside the user's ámbito.

The tiny warehouse holds OOAD 01 and 05 (Norte) and 09 (Centro); the filters name them.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from exports.selection import distinct_values
from ui.session import User
from warehouse.settings import ROOT


def test_distinct_values_stay_inside_the_scope(tiny_db):
    assert distinct_values("consultas", "cve_ooad", tiny_db) == ["01", "05", "09"]
    assert distinct_values("consultas", "cve_ooad", tiny_db, ambito="region:Norte") == ["01", "05"]
    assert distinct_values("consultas", "cve_ooad", tiny_db, ambito="ooad:09") == ["09"]
    assert distinct_values("acuerdos", "cve_direccion", tiny_db, ambito="region:Norte", direccion="DA") == [
        "DA"
    ]
    assert distinct_values("finanzas", "periodo", tiny_db, ambito="region:Norte") == []  # national rows only


@pytest.mark.parametrize(
    ("ambito", "shown"), [("region:Norte", ["Aguascalientes", "Coahuila"]), ("nacional", None)]
)
def test_the_export_page_lists_only_the_users_values_by_name(tiny_db, ambito, shown):
    at = AppTest.from_file(str(ROOT / "pages" / "exportar.py"), default_timeout=60)
    at.session_state["user"] = User("u", "U", frozenset({"analista"}), ambito=ambito)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    ooad = next(m for m in at.multiselect if m.label == "OOAD")
    if shown is None:
        assert "Ciudad de México Norte" in ooad.options
    else:
        assert ooad.options == shown
    for box in at.multiselect:
        assert not any(o in ("01", "05", "09") for o in box.options)  # names, not bare codes

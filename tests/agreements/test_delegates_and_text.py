"""Enlaces are named by an administrator or the directorate's own director; user text stays text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agreements import actions as act
from agreements import delegates
from tests.agreements.conftest import DA, DG, DPM, PLANNER
from ui.session import User
from warehouse import query_rows

ROOT = Path(__file__).resolve().parents[2]
ADMIN = User("root", "Administradora", frozenset({"administrador"}))
PAYLOAD = "![x](http://host/p.png) [vuelva a entrar aquí](http://host/phish) **negritas**"


def test_who_may_name_enlaces(board_db):
    with pytest.raises(act.AgreementError, match="Solo un administrador o el titular de DA"):
        delegates.name_delegate(DPM, "planeacion1", "DA", board_db)  # another directorate's
    with pytest.raises(act.AgreementError):
        delegates.name_delegate(DG, "planeacion1", "DA", board_db)  # the DG does not name enlaces
    delegates.name_delegate(DA, "planeacion1", "DA", board_db)
    assert query_rows(
        "SELECT rol FROM usuarios_roles WHERE usuario = 'planeacion1' ORDER BY 1", path=board_db
    ) == [("enlace",), ("planeacion",)]
    with pytest.raises(act.AgreementError, match="pertenece a la dirección DA"):
        delegates.name_delegate(ADMIN, "planeacion1", "DPM", board_db)
    assert delegates.delegates("DA", board_db)["nombre"].tolist() == ["Enlace DA", "Planeación"]
    delegates.remove_delegate(ADMIN, "planeacion1", "DA", board_db)
    assert delegates.delegates("DA", board_db)["usuario"].tolist() == ["enlace.da"]
    assert [r[0] for r in query_rows("SELECT accion FROM auditoria ORDER BY id", path=board_db)] == [
        "enlace_rechazado",
        "enlace_rechazado",
        "enlace_designado",
        "enlace_retirado",
    ]


def test_agreement_text_and_comments_are_shown_as_text(board_db):
    out = act.register(
        act.NewAgreement("R1", "M1", PAYLOAD, "DPM", date(2026, 12, 31), date(2026, 6, 30)), PLANNER, board_db
    )
    act.comment(out.folio, DG, PAYLOAD, db=board_db)
    at = AppTest.from_file(str(ROOT / "pages/acuerdos.py"), default_timeout=60)
    at.session_state["user"] = DPM
    at.query_params["folio"] = out.folio
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [m.value for m in at.markdown if "vuelva" in m.value]
    assert shown == [
        "**Acuerdo:** \\!\\[x\\]\\(http\\:/\u2060/host/p\\.png\\) \\[vuelva a entrar aquí\\]\\(http\\:/\u2060/host/phish\\)"
        " \\*\\*negritas\\*\\*"
    ]
    history = next(df.value for df in at.dataframe if "Comentario" in df.value.columns)
    assert PAYLOAD in history["Comentario"].tolist()  # a grid cell: never rendered as Markdown
    inbox = AppTest.from_file(str(ROOT / "pages/mis_pendientes.py"), default_timeout=60)
    inbox.session_state["user"] = DPM
    inbox.run()
    messages = [m.value for m in inbox.markdown if "vuelva" in m.value]
    assert messages and all("](http" not in m and "\\]\\(http" in m for m in messages)

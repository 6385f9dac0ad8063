"""The notification e-mail reaches a real local SMTP server (aiosmtpd) with the folio in the subject."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from indicators import agreement_actions as act
from indicators import agreement_notices as notices
from tests.agreements.conftest import DG, PLANNER


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Inbox]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("CMI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CMI_SMTP_PORT", str(port))
    monkeypatch.setenv("CMI_SMTP_FROM", "cmi@imss.test")
    yield inbox
    controller.stop()


def test_registration_and_status_mail_folio_in_subject(board_db, smtp_server):
    notices.set_directorate_email("DPM", "dpm@imss.test", board_db)
    notices.set_directorate_email("DF", "df@imss.test", board_db)
    new = act.NewAgreement(
        "R1", "M1", "Abrir 20 camas", "DPM", date(2026, 9, 30), date(2026, 6, 30), corresponsables=("DF",)
    )
    out = act.register(new, PLANNER, board_db)
    assert out.folio == "RR-CEN-2026-0007" and out.aviso_correo is None
    assert len(smtp_server.messages) == 1
    rcpts, raw = smtp_server.messages[0]
    mail = message_from_bytes(raw)
    assert sorted(rcpts) == ["df@imss.test", "dpm@imss.test"]
    assert "RR-CEN-2026-0007" in mail["Subject"]
    assert mail["From"] == "cmi@imss.test"
    assert "Abrir 20 camas" in mail.get_payload(decode=True).decode("utf-8")
    act.cancel(out.folio, DG, 1, "Duplicado", db=board_db)
    assert "RR-CEN-2026-0007" in message_from_bytes(smtp_server.messages[1][1])["Subject"]


def test_unreachable_server_does_not_undo_the_change(board_db, monkeypatch):
    monkeypatch.setenv("CMI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CMI_SMTP_PORT", str(_free_port()))  # nobody listens
    notices.set_directorate_email("DPM", "dpm@imss.test", board_db)
    out = act.comment("RR-CEN-2026-0004", DG, "Revisar", db=board_db)
    assert out.aviso_correo and out.aviso_correo.startswith("No se pudo enviar el correo")
    assert notices.unread_count("DPM", board_db) == 1

"""The notification e-mail reaches a real local SMTP server (aiosmtpd) with the folio in the subject."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from agreements import actions as act
from agreements import notices
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


def test_mail_carries_the_link_to_the_record(board_db, smtp_server, monkeypatch):
    monkeypatch.setenv("CMI_BASE_URL", "https://cmi.imss.test/")
    notices.set_directorate_email("DPM", "dpm@imss.test", board_db)
    act.comment("RR-CEN-2026-0004", DG, "Revisar", db=board_db)
    body = message_from_bytes(smtp_server.messages[0][1]).get_payload(decode=True).decode("utf-8")
    assert "https://cmi.imss.test/acuerdos?folio=RR-CEN-2026-0004" in body
    assert (
        message_from_bytes(smtp_server.messages[0][1])["Subject"]
        == "[CMI IMSS] Acuerdo RR-CEN-2026-0004: comentario"
    )


def test_daily_digest_per_person_once_a_day(board_db, smtp_server):
    from agreements.cli import main
    from warehouse import transaction

    with transaction(board_db) as cur:
        cur.execute("UPDATE usuarios SET email = usuario || '@imss.test'")
        # DA: NOR-0001 (deadline 2026-06-10) became overdue yesterday when the digest runs on 2026-06-11;
        # DPM: co-responsible of NOR-0001 too; CEN-0006 is due on 2026-06-15 in this copy
        cur.execute(
            "UPDATE acuerdos SET fecha_compromiso = DATE '2026-06-15' WHERE folio = 'RR-CEN-2026-0006'"
        )
    day = date(2026, 6, 11)
    sent = notices.daily_digest(day, board_db)
    by_user = {r.usuario: (r.proximos, r.vencidos, r.error) for r in sent}
    # counted by hand from hand_built.py: open agreements of each directorate around 2026-06-11
    assert by_user["da"] == (0, 1, None)  # NOR-0001 (DA responsible, 10/06)
    assert by_user["dpm"] == (1, 1, None)  # CEN-0006 (15/06) and NOR-0001 as co-responsible
    assert by_user["enlace.da"] == (0, 1, None)
    assert "dg" not in by_user and "planeacion1" not in by_user  # no directorate, no digest
    mails = {tuple(r): message_from_bytes(raw) for r, raw in smtp_server.messages}
    dpm = mails[("dpm@imss.test",)].get_payload(decode=True).decode("utf-8")
    assert "Vencen en los próximos 7 días (1):" in dpm and "Vencieron ayer (1):" in dpm
    assert "/acuerdos?folio=RR-CEN-2026-0006" in dpm
    before = len(smtp_server.messages)
    assert notices.daily_digest(day, board_db) == []  # a retry the same day sends nothing
    assert main(["--al", "2026-06-11", "resumen-diario"]) == 0 and len(smtp_server.messages) == before

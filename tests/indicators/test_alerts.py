"""Alerts: the transitions that alert, notices for owner, DG and followers, the e-mail digest."""

from __future__ import annotations

from email import message_from_bytes
from pathlib import Path

import pytest

from access.scope import scope_name
from agreements import notices
from indicators import alerts, engine
from indicators.catalog import BY_ID
from indicators.status import AT_RISK, OFF_TARGET, ON_TARGET
from tests.warehouses import Warehouses
from warehouse import query_rows, transaction
from warehouse.connection import Location

PERIOD = "2019-12"


def test_transitions() -> None:
    assert alerts.transition(ON_TARGET, 1.0, OFF_TARGET, 0.9) == "pasó a «Fuera de meta» (antes «En meta»)"
    assert alerts.transition(None, None, OFF_TARGET, 0.9) == "pasó a «Fuera de meta»"
    assert alerts.transition(OFF_TARGET, 0.90, OFF_TARGET, 0.89) is None  # still red, small drop
    assert (
        alerts.transition(ON_TARGET, 1.10, ON_TARGET, 1.05)
        == "su cumplimiento bajó 5.0 puntos (110.0% → 105.0%)"
    )
    assert alerts.transition(ON_TARGET, 1.10, AT_RISK, 1.06) is None  # 4 points: below the set amount
    assert alerts.transition(ON_TARGET, 1.10, AT_RISK, 1.06, worsening=0.03) is not None
    assert alerts.transition(AT_RISK, 0.96, ON_TARGET, 1.0) is None  # improving never alerts
    assert alerts.transition(None, None, ON_TARGET, 1.0) is None


@pytest.fixture
def db(warehouses: Warehouses) -> Location:
    """A private copy of the demo warehouse, in both modes (alerts and comments write with MERGE / next_id)."""
    return warehouses.demo()


def test_evaluate_alerts_changes_only_and_reaches_owner_dg_and_followers(db: Path) -> None:
    national = engine.values(list(BY_ID), PERIOD, "nacional", db)
    red = sorted(k for k, v in national.items() if v is not None and v.estado == OFF_TARGET)
    first = alerts.evaluate(PERIOD, db)
    assert sorted(a.kpi for a in first if a.ambito == "nacional") == red  # first look: every red KPI
    assert alerts.evaluate(PERIOD, db) == []  # nothing changed: no alert
    # «Patrones registrados» was green with 8 points more before; a follower watches it in OOAD 09
    v = national["patrones_registrados"]
    with transaction(db) as cur:
        cur.execute(
            "UPDATE alertas_estado SET estado = 'En meta', cumplimiento = ? WHERE kpi = 'patrones_registrados' "
            "AND ambito = 'nacional'",
            [v.cumplimiento + 0.08],
        )
    alerts.follow("director", "DPM", "patrones_registrados", "nacional", db)
    found = alerts.evaluate(PERIOD, db)
    assert [(a.kpi, a.ambito) for a in found] == [("patrones_registrados", "nacional")]
    assert found[0].destinatarios == ("DG", "DIR", "DPM")  # DG, the owner and the follower's inbox
    assert "bajó 8.0 puntos" in found[0].motivo or "Fuera de meta" in found[0].motivo
    message = notices.inbox("DPM", db).iloc[0]
    assert message["evento"] == alerts.EVENT and message["folio"] == "Patrones registrados"


def test_following_an_ooad_evaluates_that_scope(db: Path) -> None:
    alerts.evaluate(PERIOD, db)
    alerts.follow("director", "DPM", "consultas_medicina_familiar", "ooad:09", db)
    assert list(alerts.follows("director", db)["ambito"]) == ["ooad:09"]
    alerts.evaluate(PERIOD, db)
    assert (
        query_rows(
            "SELECT count(*) FROM alertas_estado WHERE kpi = 'consultas_medicina_familiar' AND ambito = 'ooad:09'",
            path=db,
        )[0][0]
        == 1
    )
    alerts.unfollow("director", "consultas_medicina_familiar", "ooad:09", db)
    assert alerts.follows("director", db).empty


def test_daily_digest_by_email(db: Path, smtp_server) -> None:
    notices.set_directorate_email("DG", "dg@imss.test", db)
    alerts.evaluate(PERIOD, db)
    dg = alerts.digest(db)["DG"]
    assert dg and all(m.startswith("Alerta:") for m in dg)
    assert alerts.send_digest(db) == 1  # only the DG has an address
    rcpts, raw = smtp_server.messages[0]
    mail = message_from_bytes(raw)
    assert rcpts == ["dg@imss.test"]
    assert f"{len(dg)} avisos" in mail["Subject"]
    assert dg[0] in mail.get_payload(decode=True).decode("utf-8")


def test_an_alert_names_its_place_and_month_never_codes(demo_db: Path) -> None:
    """What a person reads in «Mis pendientes»: the OOAD's and the UMAE's names and the month in words."""
    ooad = alerts.Alert("patrones_registrados", "ooad:09", "2026-11", "está «Fuera de meta»", ("DG",))
    assert alerts._notice(ooad, "sistema", demo_db).mensaje == (
        "Alerta: «Patrones registrados» (OOAD Ciudad de México Norte, noviembre 2026) está «Fuera de meta»."
    )
    assert scope_name("umae:U01", demo_db) == "UMAE Hospital de Cardiología, CMN Siglo XXI"
    assert scope_name("region:Centro", demo_db) == "región Centro"
    assert scope_name("ooad:77", demo_db) == "OOAD 77"  # not in the catalogs: its code, said as such
    assert scope_name("nacional", demo_db) == "nacional"

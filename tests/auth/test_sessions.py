"""Server-side sessions: the signed cookie's tamper check, the one-time hand-off, expiry and revocation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

import warehouse
from access import sessions, users

SECRET = "Clave-De-Ana-2026"
T0 = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def ana(db, monkeypatch):
    monkeypatch.setenv("CMI_SESSION_MINUTES", "30")
    monkeypatch.setenv("CMI_SESSION_HOURS", "12")
    users.add_user("ana", "Ana", SECRET, ["analista"], path=db)
    return db


def _cookie(db, now=T0) -> tuple[str, str]:
    clave, token = sessions.create("ana", "local", now=now, path=db)
    cookie = sessions.redeem(token, sessions.secret(db), now=now + timedelta(seconds=1), path=db)
    assert cookie is not None
    return clave, cookie


def test_cookie_names_the_session_and_any_change_is_refused(ana):
    key = sessions.secret(ana)
    clave, cookie = _cookie(ana)
    assert sessions.from_cookie(cookie, key, now=T0 + timedelta(minutes=1), path=ana).clave == clave
    cookie_id, mac = cookie.split(".")
    flipped = mac[:-1] + ("0" if mac[-1] != "0" else "1")
    other_id = ("f" if cookie_id[0] != "f" else "e") + cookie_id[1:]
    for forged in (f"{cookie_id}.{flipped}", f"{other_id}.{mac}", cookie_id, f"{cookie}.x", "", clave):
        assert sessions.unsign(forged, key) is None
        assert sessions.from_cookie(forged, key, now=T0, path=ana) is None
    assert sessions.unsign(cookie, b"another-key") is None  # signed with another server's key
    assert clave not in cookie  # the server-side key never travels to the browser


def test_hand_off_token_works_once_and_only_briefly(ana):
    key = sessions.secret(ana)
    _, token = sessions.create("ana", "local", now=T0, path=ana)
    assert sessions.redeem(token, key, now=T0 + sessions.HANDOFF + timedelta(seconds=1), path=ana) is None
    _, token = sessions.create("ana", "local", now=T0, path=ana)
    assert sessions.redeem("0" * 64, key, now=T0, path=ana) is None
    assert sessions.redeem(token, key, now=T0 + timedelta(seconds=5), path=ana) is not None
    assert sessions.redeem(token, key, now=T0 + timedelta(seconds=6), path=ana) is None


def test_idle_and_absolute_expiry(ana):
    clave, _ = _cookie(ana)
    assert sessions.find(clave, now=T0 + timedelta(minutes=29), path=ana) is not None
    assert sessions.find(clave, now=T0 + timedelta(minutes=31), path=ana) is None
    assert sessions.idle_ended(clave, now=T0 + timedelta(minutes=31), path=ana)
    sessions.touch(clave, now=T0 + timedelta(minutes=29), path=ana)
    assert sessions.find(clave, now=T0 + timedelta(minutes=58), path=ana) is not None
    for minutes in range(60, 12 * 60, 20):  # active all day: still the 12-hour limit
        sessions.touch(clave, now=T0 + timedelta(minutes=minutes), path=ana)
    assert sessions.find(clave, now=T0 + timedelta(hours=11, minutes=59), path=ana) is not None
    assert sessions.find(clave, now=T0 + timedelta(hours=12), path=ana) is None
    assert not sessions.idle_ended(clave, now=T0 + timedelta(hours=12), path=ana)


def test_revocation_by_sign_out_password_change_and_deactivation(ana):
    key = sessions.secret(ana)
    now = T0 + timedelta(minutes=1)
    one, cookie = _cookie(ana)
    sessions.revoke(one, "cierre", path=ana)
    assert sessions.find(one, now=now, path=ana) is None
    assert sessions.from_cookie(cookie, key, now=now, path=ana) is None

    two, three = _cookie(ana)[0], _cookie(ana)[0]
    users.set_password("ana", "Otra-Clave-2026", by="admin", path=ana)
    assert sessions.find(two, now=now, path=ana) is None and sessions.find(three, now=now, path=ana) is None

    four, _ = _cookie(ana)
    users.set_active("ana", False, by="admin", path=ana)
    assert sessions.find(four, now=now, path=ana) is None
    users.set_active("ana", True, by="admin", path=ana)
    assert sessions.find(four, now=now, path=ana) is None  # reactivation does not revive it
    motives = warehouse.query_rows("SELECT motivo, count(*) FROM sesiones GROUP BY 1 ORDER BY 1", path=ana)
    assert motives == [("baja", 1), ("cierre", 1), ("contrasena", 2)]


def test_the_gate_reads_session_and_account_in_one_query(ana):
    """users.of_session: what sessions.find accepts, with the account's current roles."""
    clave, _ = _cookie(ana)
    now = T0 + timedelta(minutes=10)
    account = users.of_session(clave, now=now, path=ana)
    assert (account.usuario, account.nombre, account.roles) == ("ana", "Ana", frozenset({"analista"}))
    users.update_user(
        "ana",
        roles=["analista", "ejecutivo"],
        nombre="Ana",
        email=None,
        cve_direccion=None,
        ambito="nacional",
        by="admin",
        path=ana,
    )
    assert users.of_session(clave, now=now, path=ana).roles == frozenset({"analista", "ejecutivo"})
    assert users.of_session(clave, now=T0 + timedelta(minutes=31), path=ana) is None  # idle
    assert users.of_session("no-existe", now=now, path=ana) is None
    with warehouse.transaction(ana) as cur:  # deactivated without its sessions revoked (a race)
        cur.execute("UPDATE usuarios SET activo = false WHERE usuario = 'ana'")
    assert users.of_session(clave, now=now, path=ana) is None
    with warehouse.transaction(ana) as cur:
        cur.execute("UPDATE usuarios SET activo = true WHERE usuario = 'ana'")
    sessions.revoke(clave, "cierre", path=ana)
    assert users.of_session(clave, now=now, path=ana) is None


def test_only_digests_are_stored(ana):
    _, cookie = _cookie(ana)
    cookie_id = cookie.split(".")[0]
    stored = warehouse.query_rows("SELECT id_hash FROM sesiones", path=ana)[0][0]
    assert stored != cookie_id and len(stored) == 64


def test_the_signing_key_is_made_once_and_kept(ana, monkeypatch):
    monkeypatch.delenv("CMI_SESSION_SECRET", raising=False)
    first = sessions.secret(ana)
    assert first == sessions.secret(ana) and len(first) == 64
    monkeypatch.setenv("CMI_SESSION_SECRET", "de-la-configuracion")
    assert sessions.secret(ana) == b"de-la-configuracion"


def test_the_hand_off_token_is_bound_to_the_browser_that_signed_in(ana):
    key, mine, other = sessions.secret(ana), sessions.new_device(), sessions.new_device()
    assert sessions.valid_device(mine) and not sessions.valid_device("x" * 64)
    _, token = sessions.create("ana", "local", equipo=mine, now=T0, path=ana)
    assert sessions.redeem(token, key, equipo=other, now=T0, path=ana) is None  # someone else's browser
    assert sessions.redeem(token, key, now=T0, path=ana) is None  # a browser without a device cookie
    assert sessions.redeem(token, key, equipo=mine, now=T0, path=ana) is not None


def test_the_sign_out_check_names_one_session(ana):
    key = sessions.secret(ana)
    first, _ = sessions.create("ana", "local", now=T0, path=ana)
    second, _ = sessions.create("ana", "local", now=T0, path=ana)
    assert sessions.sign_out_check(first, key) != sessions.sign_out_check(second, key)
    assert sessions.sign_out_check(first, key) != sessions.sign_out_check(first, b"otra-clave")

"""Issue 27 finding 10: people behind one address (an office behind NAT or a proxy) are not locked
out by someone else failing there. Throttling is keyed by account + device cookie for a browser
that has signed in to the account before; unknown browsers are still throttled by address."""

from __future__ import annotations

from datetime import datetime, timedelta

from access import login, users

SECRET = "Clave-Segura-2026"
OFFICE = "10.20.30.40"  # one address for the whole office
T0 = datetime(2026, 3, 2, 9, 0)
ANA_DEVICE, ATTACKER_DEVICE = "a" * 64, "b" * 64


def _setup(db) -> None:
    users.add_user("ana", "Ana", SECRET, ["ejecutivo"], path=db)
    users.add_user("luis", "Luis", SECRET, ["ejecutivo"], path=db)
    # Ana signed in from her browser yesterday: the device is hers
    yesterday = T0 - timedelta(days=1)
    assert login.authenticate("ana", SECRET, origen=OFFICE, equipo=ANA_DEVICE, now=yesterday, path=db).ok


def test_twenty_failures_from_the_office_do_not_stop_a_known_browser(db) -> None:
    _setup(db)
    for i in range(login.SOURCE_LIMIT):  # someone sprays many names from the same address
        login.authenticate(f"user{i}", "x", origen=OFFICE, now=T0 + timedelta(seconds=i), path=db)
    later = T0 + timedelta(seconds=30)
    # a stranger's browser there waits (spraying is throttled by address) ...
    assert not login.authenticate("luis", SECRET, origen=OFFICE, now=later, path=db).ok
    refused = login.authenticate("luis", SECRET, origen=OFFICE, equipo="c" * 64, now=later, path=db)
    assert not refused.ok and refused.locked_until is not None
    # ... but Ana, in her own browser, with the right password, gets in
    assert login.authenticate("ana", SECRET, origen=OFFICE, equipo=ANA_DEVICE, now=later, path=db).ok


def test_failures_on_her_account_from_the_office_do_not_stop_her_browser(db) -> None:
    _setup(db)
    for i in range(login.PAIR_LIMIT + 2):
        login.authenticate(
            "ana", f"mala-{i}", origen=OFFICE, equipo=ATTACKER_DEVICE, now=T0 + timedelta(seconds=i), path=db
        )
    later = T0 + timedelta(seconds=20)
    assert login.authenticate(
        "ana", SECRET, origen=OFFICE, equipo=ATTACKER_DEVICE, now=later, path=db
    ).locked_until
    assert login.authenticate("ana", SECRET, origen=OFFICE, equipo=ANA_DEVICE, now=later, path=db).ok


def test_a_trusted_browser_that_keeps_failing_waits_too(db) -> None:
    _setup(db)
    for i in range(login.PAIR_LIMIT):
        login.authenticate(
            "ana", "mala", origen=OFFICE, equipo=ANA_DEVICE, now=T0 + timedelta(seconds=i), path=db
        )
    waiting = login.authenticate(
        "ana", SECRET, origen=OFFICE, equipo=ANA_DEVICE, now=T0 + timedelta(seconds=10), path=db
    )
    assert not waiting.ok and waiting.locked_until is not None


def test_a_device_is_trusted_only_for_the_account_it_signed_in_to(db) -> None:
    _setup(db)
    for i in range(login.PAIR_LIMIT):  # Ana's browser guessing Luis's password: throttled by address
        login.authenticate(
            "luis", "x", origen=OFFICE, equipo=ANA_DEVICE, now=T0 + timedelta(seconds=i), path=db
        )
    later = T0 + timedelta(seconds=10)
    assert login.authenticate("luis", SECRET, origen=OFFICE, equipo="d" * 64, now=later, path=db).locked_until
    # and only the digest of the cookie is stored
    import warehouse

    stored = {r[0] for r in warehouse.query_rows("SELECT equipo FROM intentos_acceso", path=db)}
    assert ANA_DEVICE not in stored and login.device_digest(ANA_DEVICE) in stored

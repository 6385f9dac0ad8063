"""Accounts, bcrypt hashes, throttling and the audit log against a real DuckDB file."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest

import warehouse
from access import audit_view, login, users
from ui.session import ROLES as UI_ROLES
from warehouse import audit, query_rows

SECRET = "Correcta-Segura-91"


def test_role_keys_match_the_ui_labels():
    assert set(users.ROLES) == set(UI_ROLES)


def test_add_user_stores_a_bcrypt_hash_and_roles(db):
    acc = users.add_user("Ana.Lopez", "Ana López", SECRET, ["analista", "ejecutivo"], by="admin", path=db)
    assert acc.usuario == "ana.lopez" and acc.roles == {"analista", "ejecutivo"} and acc.activo
    (stored,) = warehouse.query_rows("SELECT password_hash FROM usuarios", path=db)[0]
    assert stored.startswith("$2b$04$") and SECRET not in stored
    assert users.password_matches(SECRET, stored)
    log = audit_view.audit_log(path=db)
    assert list(log["accion"]) == ["usuario_alta"]
    assert log["usuario"][0] == "admin" and "ana.lopez" in log["detalle"][0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"roles": ["jefe"]}, "Rol desconocido"),
        ({"roles": []}, "al menos un rol"),
        ({"roles": ["director_normativo"]}, "debe tener una dirección"),
        ({"roles": ["analista"], "cve_direccion": "XYZ"}, "Dirección desconocida"),
        ({"roles": ["analista"], "ambito": "region:Atlantida"}, "Ámbito inválido"),
        ({"roles": ["analista"], "ambito": "ooad:99"}, "Ámbito inválido"),
        ({"roles": ["analista"], "password": "corta"}, "al menos 8"),
        ({"roles": ["analista"], "password": "ñ" * 37}, "72 bytes"),
    ],
)
def test_invalid_accounts_are_refused_and_nothing_is_written(db, kwargs, message):
    kwargs = {"password": SECRET, **kwargs}
    with pytest.raises(users.AccountError, match=message):
        users.add_user("pepe", "Pepe", kwargs.pop("password"), kwargs.pop("roles"), path=db, **kwargs)
    assert warehouse.query_rows("SELECT count(*) FROM usuarios", path=db) == [(0,)]
    assert warehouse.query_rows("SELECT count(*) FROM usuarios_roles", path=db) == [(0,)]


def test_scoped_accounts_are_accepted(db):
    d = users.add_user("dir", "Dir", SECRET, ["director_normativo"], cve_direccion="DPM", path=db)
    o = users.add_user("jefe09", "Jefe", SECRET, ["ejecutivo"], ambito="ooad:09", path=db)
    r = users.add_user("norte", "Norte", SECRET, ["ejecutivo"], ambito="region:Norte", path=db)
    assert (d.cve_direccion, o.ambito, r.ambito) == ("DPM", "ooad:09", "region:Norte")
    with pytest.raises(users.AccountError, match="ya existe"):
        users.add_user("DIR", "Otro", SECRET, ["analista"], path=db)


def test_login_success_and_failure_are_recorded(db):
    users.add_user("ana", "Ana", SECRET, ["analista"], path=db)
    bad = login.authenticate("ana", "equivocada", path=db)
    assert not bad.ok and bad.message == login.WRONG
    ok = login.authenticate(" ANA ", SECRET, path=db)
    assert ok.ok and ok.account is not None and ok.account.roles == {"analista"}
    unknown = login.authenticate("nadie", SECRET, path=db)
    assert not unknown.ok and unknown.message == login.WRONG  # same message: no user enumeration
    rows = warehouse.query_rows(
        "SELECT usuario, accion, detalle FROM auditoria WHERE accion LIKE 'inicio%' ORDER BY id", path=db
    )
    assert rows == [
        ("ana", "inicio_sesion_fallido", "contraseña"),
        ("ana", "inicio_sesion", "local"),
        ("nadie", "inicio_sesion_fallido", "usuario inexistente"),
    ]


def test_a_source_that_fails_five_times_backs_off_doubling(db):
    users.add_user("ana", "Ana", SECRET, ["analista"], path=db)
    t0 = datetime(2026, 3, 2, 9, 0)
    here = "10.0.0.7"
    for i in range(4):
        result = login.authenticate("ana", f"mala-{i}", origen=here, now=t0 + timedelta(minutes=i), path=db)
        assert result.message == login.WRONG
    fifth = login.authenticate("ana", "mala-4", origen=here, now=t0 + timedelta(minutes=4), path=db)
    assert not fifth.ok and fifth.locked_until == t0 + timedelta(minutes=4, seconds=30)
    waiting = login.authenticate(
        "ana", SECRET, origen=here, now=t0 + timedelta(minutes=4, seconds=29), path=db
    )
    assert not waiting.ok and "intente de nuevo después de las 09:04:30" in waiting.message
    sixth = login.authenticate(
        "ana", "mala-5", origen=here, now=t0 + timedelta(minutes=4, seconds=31), path=db
    )
    assert sixth.locked_until == t0 + timedelta(minutes=5, seconds=31)  # 60 s: the wait doubles
    assert login.authenticate(
        "ana", SECRET, origen=here, now=t0 + timedelta(minutes=5, seconds=32), path=db
    ).ok
    results = [
        r[0] for r in warehouse.query_rows("SELECT resultado FROM intentos_acceso ORDER BY fecha", path=db)
    ]
    assert results == ["fallo"] * 5 + ["bloqueado", "fallo", "exito"]
    assert warehouse.query_rows(
        "SELECT count(*) FROM auditoria WHERE accion = 'inicio_sesion_bloqueado'", path=db
    ) == [(1,)]


def test_nobody_can_lock_someone_else_out(db):
    users.add_user("ana", "Ana", SECRET, ["analista"], path=db)
    t0 = datetime(2026, 3, 2, 9, 0)
    for i in range(12):  # an attacker hammers ana's account from one address
        login.authenticate(
            "ana", f"adivina-{i}", origen="203.0.113.9", now=t0 + timedelta(seconds=i), path=db
        )
    assert login.wait_until("ana", "203.0.113.9", t0 + timedelta(seconds=12), db) is not None
    # ana, from her own desk, is not slowed down: not even after one typo
    assert (
        login.authenticate("ana", "typo", origen="10.0.0.7", now=t0 + timedelta(seconds=13), path=db).message
        == login.WRONG
    )
    assert login.authenticate("ana", SECRET, origen="10.0.0.7", now=t0 + timedelta(seconds=14), path=db).ok


def test_a_source_spraying_many_names_backs_off_for_all_of_them(db):
    users.add_user("ana", "Ana", SECRET, ["analista"], path=db)
    t0 = datetime(2026, 3, 2, 9, 0)
    for i in range(login.SOURCE_LIMIT):
        login.authenticate(
            f"nombre{i}", "123456", origen="203.0.113.9", now=t0 + timedelta(seconds=i), path=db
        )
    refused = login.authenticate("ana", SECRET, origen="203.0.113.9", now=t0 + timedelta(seconds=21), path=db)
    assert not refused.ok and refused.locked_until == t0 + timedelta(seconds=19 + 30)
    assert login.authenticate("ana", SECRET, origen="10.0.0.7", now=t0 + timedelta(seconds=22), path=db).ok


def test_a_distributed_attack_costs_the_owner_a_wait_only_after_a_mistake(db):
    users.add_user("ana", "Ana", SECRET, ["analista"], path=db)
    t0 = datetime(2026, 3, 2, 9, 0)
    for i in range(login.ACCOUNT_LIMIT):  # one failure from each of 50 addresses
        login.authenticate("ana", "x", origen=f"198.51.100.{i}", now=t0 + timedelta(seconds=i), path=db)
    assert login.authenticate("ana", SECRET, origen="10.0.0.7", now=t0 + timedelta(seconds=60), path=db).ok
    typo = login.authenticate("ana", "typo", origen="10.0.0.8", now=t0 + timedelta(seconds=61), path=db)
    assert typo.locked_until == t0 + timedelta(seconds=91)


def test_failures_spread_beyond_the_window_do_not_lock(db):
    users.add_user("ana", "Ana", SECRET, ["analista"], path=db)
    t0 = datetime(2026, 3, 2, 9, 0)
    for i in range(8):  # one failure every 4 minutes: never 5 within 15 minutes
        login.authenticate("ana", "mala", now=t0 + timedelta(minutes=4 * i), path=db)
    assert login.authenticate("ana", SECRET, now=t0 + timedelta(minutes=29), path=db).ok


def test_a_success_resets_the_count(db):
    users.add_user("ana", "Ana", SECRET, ["analista"], path=db)
    t0 = datetime(2026, 3, 2, 9, 0)
    for i in range(4):
        login.authenticate("ana", "mala", now=t0 + timedelta(seconds=i), path=db)
    assert login.authenticate("ana", SECRET, now=t0 + timedelta(seconds=5), path=db).ok
    for i in range(4):
        login.authenticate("ana", "mala", now=t0 + timedelta(seconds=10 + i), path=db)
    assert login.authenticate("ana", SECRET, now=t0 + timedelta(seconds=20), path=db).ok


def test_inactive_and_oidc_only_accounts_cannot_sign_in_locally(db):
    users.add_user("ana", "Ana", SECRET, ["analista"], path=db)
    users.add_user("sso", "SSO", None, ["ejecutivo"], email="sso@imss.gob.mx", path=db)
    users.set_active("ana", False, by="admin", path=db)
    assert not login.authenticate("ana", SECRET, path=db).ok
    assert not login.authenticate("sso", "", path=db).ok
    assert users.find_by_email("SSO@imss.gob.mx", path=db).usuario == "sso"
    users.set_active("ana", True, by="admin", path=db)
    assert login.authenticate("ana", SECRET, path=db).ok
    with pytest.raises(users.AccountError, match="propia cuenta"):
        users.set_active("ana", False, by="ANA", path=db)


def test_password_reset_and_profile_update(db):
    users.add_user("ana", "Ana", SECRET, ["analista"], path=db)
    users.set_password("ana", "Nueva-Clave-2026", by="admin", path=db)
    assert not login.authenticate("ana", SECRET, path=db).ok
    assert login.authenticate("ana", "Nueva-Clave-2026", path=db).ok
    acc = users.update_user(
        "ana",
        roles=["director_normativo"],
        nombre="Ana L.",
        email=None,
        cve_direccion="DPES",
        ambito="region:Norte",
        by="admin",
        path=db,
    )
    assert (
        acc.roles == {"director_normativo"} and acc.cve_direccion == "DPES" and acc.ambito == "region:Norte"
    )
    actions = set(audit_view.audit_log(usuario="admin", path=db)["accion"])
    assert actions == {"usuario_contrasena", "usuario_modificado"}


def test_first_run_admin_from_environment(db, monkeypatch):
    monkeypatch.delenv("CMI_ADMIN_USER", raising=False)
    assert users.ensure_admin_from_env(db) is None and not users.has_users(db)
    monkeypatch.setenv("CMI_ADMIN_USER", "root")
    monkeypatch.setenv("CMI_ADMIN_PASSWORD", SECRET)
    assert users.ensure_admin_from_env(db) == "root"
    assert users.ensure_admin_from_env(db) is None  # only once
    assert users.get_user("root", db).roles == {"administrador"}
    assert login.authenticate("root", SECRET, path=db).ok
    monkeypatch.setenv("CMI_ADMIN_USER", "otro.admin")  # accounts exist: the variables do nothing
    assert users.ensure_admin_from_env(db) is None and users.get_user("otro.admin", db) is None


def test_short_admin_password_is_refused_in_spanish(db, monkeypatch):
    monkeypatch.setenv("CMI_ADMIN_USER", "root")
    monkeypatch.setenv("CMI_ADMIN_PASSWORD", "corta")
    with pytest.raises(users.AccountError, match="al menos 8 caracteres"):
        users.ensure_admin_from_env(db)
    assert not users.has_users(db)


def test_unknown_names_are_checked_against_a_hash_of_the_real_cost(db):
    assert users.BCRYPT_ROUNDS == 4  # this package's fixture; the server uses 12
    assert login.dummy_hash().startswith("$2b$04$")
    users.BCRYPT_ROUNDS = 12
    try:
        assert login.dummy_hash().startswith("$2b$12$")
    finally:
        users.BCRYPT_ROUNDS = 4


def test_demo_users_one_per_role(db):
    with pytest.raises(users.AccountError):  # never outside the demo build
        users.create_demo_users(db)
    with warehouse.transaction(db) as cur:
        cur.execute("INSERT INTO ajustes (clave, valor) VALUES ('datos_demo', 'si')")
    assert len(users.create_demo_users(db)) == 7
    assert users.create_demo_users(db) == []  # idempotent
    assert query_rows("SELECT usuario, cve_direccion, designado_por FROM enlaces", path=db) == [
        ("enlace", "DPM", "director")
    ]  # the demo enlace acts for the demo director's directorate
    accounts = users.list_users(db)
    assert sorted(r for a in accounts for r in a.roles) == sorted(users.ROLES)
    for usuario, *_ in users.DEMO_USERS:
        assert login.authenticate(usuario, users.demo_password(usuario), path=db).ok


def test_audit_filters_by_user_action_and_dates(db):
    audit.audit("ana", "exportacion", "resumen.xlsx", path=db, when=datetime(2026, 1, 31, 23, 59))
    audit.audit("ana", "carga", "asegurados.csv", path=db, when=datetime(2026, 2, 1, 0, 0))
    audit.audit("luis", "carga", "ingresos.csv", path=db, when=datetime(2026, 2, 15, 12, 0))
    assert list(audit_view.audit_log(usuario="ana", path=db)["detalle"]) == ["asegurados.csv", "resumen.xlsx"]
    assert list(audit_view.audit_log(accion="carga", path=db)["usuario"]) == ["luis", "ana"]
    feb = audit_view.audit_log(desde=datetime(2026, 2, 1).date(), hasta=datetime(2026, 2, 1).date(), path=db)
    assert list(feb["detalle"]) == ["asegurados.csv"]
    assert audit_view.audit_choices(db) == (["ana", "luis"], ["carga", "exportacion"])


def test_audit_inside_a_callers_transaction_rolls_back_with_it(db):
    with pytest.raises(RuntimeError), warehouse.transaction(db) as cur:
        audit.audit("ana", "carga", "x.csv", con=cur)
        raise RuntimeError("carga rechazada")
    assert audit_view.audit_log(path=db).empty


def test_clear_password_never_reaches_the_file_or_the_logs(db, caplog):
    caplog.set_level(logging.DEBUG)
    users.add_user("ana", "Ana", SECRET, ["analista"], path=db)
    login.authenticate("ana", SECRET, path=db)
    login.authenticate("ana", SECRET + "x", path=db)
    users.set_password("ana", "Otra-Clave-Segura", by="admin", path=db)
    warehouse.close_all()  # flush the WAL into the file
    data = db.read_bytes() + (
        db.with_suffix(".duckdb.wal").read_bytes() if db.with_suffix(".duckdb.wal").exists() else b""
    )
    for clear in (SECRET, "Otra-Clave-Segura"):
        assert clear.encode() not in data and clear.encode("utf-16-le") not in data
        assert clear not in caplog.text
    assert b"$2b$04$" in data  # the hashes are there: the file was really read

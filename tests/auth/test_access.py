"""Which screens each role may open: the navigation list, every page's own check, the dashboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.auth import may_open
from ui.registry import ROOT, SCREENS, allowed
from ui.session import ROLES, User

COMMON = {
    "pages/resumen.py",
    "pages/servicios_medicos.py",
    "pages/incorporacion_recaudacion.py",
    "pages/prestaciones_economicas_sociales.py",
    "pages/procesos_administrativos.py",
    "pages/finanzas.py",
    "pages/acuerdos.py",
    "pages/reuniones.py",
    "pages/catalogo.py",
    "pages/mapa_estrategico.py",
    "pages/mis_pendientes.py",  # everyone: the alerts of the KPIs they follow
}
EXPECTED = {
    "direccion_general": COMMON | {"pages/mis_pendientes.py", "pages/exportar.py"},
    "ejecutivo": COMMON | {"pages/exportar.py"},
    "director_normativo": COMMON | {"pages/mis_pendientes.py"},
    "enlace": COMMON | {"pages/mis_pendientes.py"},
    "planeacion": COMMON | {"pages/cargar_datos.py"},
    "analista": COMMON | {"pages/exportar.py"},
    "administrador": COMMON
    | {
        "pages/exportar.py",
        "pages/cargar_datos.py",
        "pages/usuarios.py",
        "pages/auditoria.py",
        "pages/mis_pendientes.py",  # to name enlaces
    },
}
EXISTING = {s.path for s in SCREENS if (ROOT / s.path).exists()}


def _user(*roles: str) -> User:
    directorate = "DPM" if {"director_normativo", "enlace"} & set(roles) else None
    return User("u", "U", frozenset(roles), cve_direccion=directorate)


@pytest.mark.parametrize("role", list(ROLES))
def test_navigation_lists_exactly_the_allowed_pages(role):
    assert {s.path for s in allowed(_user(role))} == EXPECTED[role] & EXISTING
    for screen in SCREENS:
        assert may_open(_user(role), screen.path) is (screen.path in EXPECTED[role])


def test_several_roles_see_the_union_and_nobody_sees_nothing():
    both = {s.path for s in allowed(_user("planeacion", "analista"))}
    assert both == (EXPECTED["planeacion"] | EXPECTED["analista"]) & EXISTING
    assert allowed(None) == [] and not may_open(None, "pages/resumen.py")


def test_unknown_screens_are_refused():
    assert not may_open(_user("administrador"), "pages/no_existe.py")
    assert may_open(_user("administrador"), str(ROOT / "pages" / "usuarios.py"))


def test_every_screen_in_the_registry_has_an_expectation():
    assert {s.path for s in SCREENS} == set().union(*EXPECTED.values())


@pytest.mark.parametrize("role", list(ROLES))
def test_dashboard_runs_for_every_role(tmp_path, monkeypatch, role):
    import warehouse
    from tests.indicators import tiny_warehouse

    monkeypatch.setenv("CMI_DB", str(tiny_warehouse.build(tmp_path / "tiny.duckdb")))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["user"] = _user(role)
    try:
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        assert at.session_state["user"].roles == {role}
    finally:
        warehouse.close_all()


def test_security_settings_in_the_repo():
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "enableXsrfProtection = true" in config
    assert 'showErrorDetails = "none"' in config
    assert "cookieSecret" not in config
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert ".streamlit/secrets.toml" in ignored
    assert not any(Path(p).name == "secrets.toml" for p in _tracked())


def _tracked() -> list[str]:
    import subprocess

    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.split()

"""Every screen of the app, its section in the navigation and the roles that may open it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from access.inbox import unread_count
from access.roles import CAPABILITIES, EVERYONE
from ui.errors import new_incident
from ui.session import User

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Screen:
    path: str  # file under pages/
    title: str
    icon: str
    section: str
    roles: frozenset[str] = EVERYONE
    url: str | None = None  # url_path; defaults to the file name

    @property
    def url_path(self) -> str:
        return self.url or self.path.removeprefix("pages/").removesuffix(".py")


SCREENS: tuple[Screen, ...] = (
    Screen("pages/resumen.py", "Resumen", ":material/dashboard:", "Cuadro de mando"),
    Screen("pages/mapa_estrategico.py", "Mapa estratégico", ":material/account_tree:", "Cuadro de mando"),
    Screen("pages/servicios_medicos.py", "Servicios médicos", ":material/local_hospital:", "Rubros"),
    Screen("pages/incorporacion_recaudacion.py", "Incorporación y recaudación", ":material/badge:", "Rubros"),
    Screen(
        "pages/prestaciones_economicas_sociales.py",
        "Prestaciones económicas y sociales",
        ":material/child_care:",
        "Rubros",
    ),
    Screen("pages/procesos_administrativos.py", "Procesos administrativos", ":material/inventory:", "Rubros"),
    Screen("pages/finanzas.py", "Finanzas", ":material/account_balance:", "Rubros"),
    Screen("pages/acuerdos.py", "Seguimiento de acuerdos", ":material/handshake:", "Acuerdos"),
    # everyone: the agreements' notices, and the alerts of the KPIs the person follows
    Screen("pages/mis_pendientes.py", "Mis pendientes", ":material/inbox:", "Acuerdos"),
    Screen("pages/reuniones.py", "Reuniones regionales", ":material/groups:", "Acuerdos"),
    Screen("pages/catalogo.py", "Catálogo de indicadores", ":material/menu_book:", "Consulta"),
    Screen(
        "pages/exportar.py",
        "Exportar",
        ":material/download:",
        "Consulta",
        CAPABILITIES["exportar"],
    ),
    Screen(
        "pages/cargar_datos.py",
        "Cargar datos",
        ":material/upload_file:",
        "Datos",
        CAPABILITIES["cargar"],
    ),
    Screen(
        "pages/usuarios.py",
        "Usuarios y roles",
        ":material/group:",
        "Administración",
        CAPABILITIES["administrar"],
    ),
    Screen(
        "pages/auditoria.py", "Bitácora", ":material/history:", "Administración", CAPABILITIES["administrar"]
    ),
)


INBOX_SCREEN = "pages/mis_pendientes.py"


def nav_title(screen: Screen, user: User) -> str:
    """The screen's name in the menu; «Mis pendientes» carries the unread notices: «Mis pendientes (3)»."""
    if screen.path != INBOX_SCREEN:
        return screen.title
    try:
        n = unread_count(user.inbox, viewer=user.usuario, within=user.ambito)  # the notices the page lists
    except Exception as exc:  # the menu is drawn outside the page guard: a failed read costs the count only
        new_incident(exc)  # logged under a folio; the page itself then shows the notice
        return screen.title
    return f"{screen.title} ({n:,})" if n else screen.title


def allowed(user: User | None) -> list[Screen]:
    """The screens a user may open, in navigation order (only those whose file exists)."""
    if user is None:
        return []
    return [s for s in SCREENS if user.roles & s.roles and (ROOT / s.path).exists()]

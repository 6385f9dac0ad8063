"""Roles and what each may do: the one table every room reads (screens, domain functions, CLIs).

A capability is checked where the thing is done (loader, export, agreement register, user
administration); the UI reads the same table only to hide what the domain would refuse anyway.
"""

from __future__ import annotations

DG = "direccion_general"
EXECUTIVE = "ejecutivo"
DIRECTOR = "director_normativo"
DELEGATE = "enlace"
PLANNER = "planeacion"
ANALYST = "analista"
ADMIN = "administrador"

# Role key -> Spanish label, in the order screens list them.
ROLES: dict[str, str] = {
    DG: "Dirección General",
    EXECUTIVE: "Ejecutivo",
    DIRECTOR: "Director normativo",
    DELEGATE: "Enlace de dirección",
    PLANNER: "Planeación",
    ANALYST: "Analista",
    ADMIN: "Administrador",
}
EVERYONE = frozenset(ROLES)

CAPABILITIES: dict[str, frozenset[str]] = {
    "cargar": frozenset({PLANNER, ADMIN}),
    "exportar": frozenset({ANALYST, DG, EXECUTIVE, ADMIN}),
    "registrar_acuerdos": frozenset({DG, PLANNER, ADMIN}),
    "nombrar_enlaces": frozenset({ADMIN, DIRECTOR}),
    "ver_todos_los_acuerdos": frozenset({DG, EXECUTIVE, ADMIN}),
    "bandeja_de_acuerdos": frozenset({DG, DIRECTOR, DELEGATE, ADMIN}),
    "administrar": frozenset({ADMIN}),
}


def may(roles: frozenset[str] | set[str], capability: str) -> bool:
    """Whether any of the roles holds the capability (an unknown capability is a programming error)."""
    return bool(set(roles) & CAPABILITIES[capability])

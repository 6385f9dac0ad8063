"""Who may do what to an agreement: one table of relation × action, and the states each action needs.

A person's *relation* to an agreement follows from their roles, their directorate and the
delegations (enlaces) they hold:

- ``responsable``: a normative director of the responsible directorate;
- ``enlace``: a delegate named for the responsible directorate (acts on its behalf);
- ``corresponsable``: the director or a delegate of a co-responsible directorate;
- ``dg``: the Dirección General;
- ``ninguna``: everybody else (executives, planners, analysts, administrators) — read only.

The domain functions (`agreements.actions`) refuse what this table does not allow, and
their UPDATE statements repeat the state condition in SQL; the record shows the same table to the
user («Usted puede: …»). Registration is not tied to an agreement: `REGISTRARS` may register.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from access import roles

DG_ROLE = roles.DG
DIRECTOR_ROLE = roles.DIRECTOR
REGISTRARS = roles.CAPABILITIES["registrar_acuerdos"]
DELEGATE_NAMERS = roles.CAPABILITIES["nombrar_enlaces"]

REQUESTED = "Solicitud de conclusión"
STATES = ("Registrado", "En proceso", REQUESTED, "Concluido", "Cancelado")
OPEN_STATES = ("Registrado", "En proceso", REQUESTED)
CLOSED_STATES = ("Concluido", "Cancelado")

RELATIONS: dict[str, str] = {
    "responsable": "Dirección responsable",
    "enlace": "Enlace de la dirección responsable",
    "corresponsable": "Dirección corresponsable (o su enlace)",
    "dg": "Dirección General",
    "ninguna": "Sin relación (consulta)",
}
ACTIONS: dict[str, str] = {
    "avance": "registrar avance",
    "evidencia": "adjuntar evidencia",
    "comentar": "comentar",
    "solicitar": "solicitar la conclusión",
    "validar": "validar la conclusión",
    "devolver": "devolver a «En proceso» con comentario",
    "cancelar": "cancelar con motivo",
}
_RESPONSIBLE_SIDE = frozenset({"avance", "evidencia", "comentar", "solicitar"})
TABLE: dict[str, frozenset[str]] = {
    "responsable": _RESPONSIBLE_SIDE,
    "enlace": _RESPONSIBLE_SIDE,
    "corresponsable": frozenset({"comentar", "evidencia"}),
    "dg": frozenset({"comentar", "validar", "devolver", "cancelar"}),
    "ninguna": frozenset(),
}
# The states in which each action may happen (the SQL of each change repeats this condition).
STATES_FOR: dict[str, tuple[str, ...]] = {
    "avance": ("Registrado", "En proceso"),
    "evidencia": OPEN_STATES,
    "comentar": STATES,
    "solicitar": ("Registrado", "En proceso"),
    "validar": (REQUESTED,),
    "devolver": (REQUESTED,),
    "cancelar": OPEN_STATES,
}


class Actor(Protocol):
    """Who acts (ui.session.User satisfies it). Read-only: a frozen dataclass is an Actor too."""

    @property
    def usuario(self) -> str: ...
    @property
    def roles(self) -> frozenset[str]: ...
    @property
    def cve_direccion(self) -> str | None: ...
    @property
    def ambito(self) -> str: ...  # nacional | region:NOMBRE | ooad:CLAVE: the agreements they may touch


def relations(
    actor: Actor, responsible: str, co_responsible: Iterable[str], delegations: Iterable[str] = ()
) -> frozenset[str]:
    """Every relation the actor has to an agreement (empty set → «ninguna»).

    `delegations` are the directorates the actor is enlace of (table `enlaces`).
    """
    out: set[str] = set()
    co = set(co_responsible)
    delegated = set(delegations)
    if DG_ROLE in actor.roles:
        out.add("dg")
    if DIRECTOR_ROLE in actor.roles and actor.cve_direccion:
        if actor.cve_direccion == responsible:
            out.add("responsable")
        elif actor.cve_direccion in co:
            out.add("corresponsable")
    if responsible in delegated:
        out.add("enlace")
    if delegated & co:
        out.add("corresponsable")
    return frozenset(out) or frozenset({"ninguna"})


def allowed(rels: Iterable[str], estado: str) -> tuple[str, ...]:
    """The actions these relations allow on an agreement in this state, in table order."""
    granted: set[str] = set()
    for rel in rels:
        granted |= TABLE[rel]
    return tuple(a for a in ACTIONS if a in granted and estado in STATES_FOR[a])


def can(rels: Iterable[str], action: str, estado: str) -> bool:
    return action in allowed(rels, estado)


def may_register(actor: Actor) -> bool:
    return bool(REGISTRARS & actor.roles)


def may_name_delegate(actor: Actor, cve_direccion: str) -> bool:
    """An administrator names delegates for any directorate; a director only for their own."""
    if roles.ADMIN in actor.roles:
        return True
    return DIRECTOR_ROLE in actor.roles and actor.cve_direccion == cve_direccion


def sentence(actions: Iterable[str]) -> str:
    """«Usted puede: registrar avance, comentar y solicitar la conclusión.» (Spanish list)."""
    names = [ACTIONS[a] for a in actions]
    if not names:
        return "Usted puede consultar este acuerdo; no puede modificarlo."
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " y " + names[-1]
    return f"Usted puede: {listed}."


def table_rows() -> list[Mapping[str, str]]:
    """The permission table as rows for the screen: relation × action → sí / —."""
    return [
        {"Relación": RELATIONS[r], **{ACTIONS[a]: ("sí" if a in TABLE[r] else "—") for a in ACTIONS}}
        for r in RELATIONS
    ]

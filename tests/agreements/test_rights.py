"""The permission table, cell by cell: every role × relation × action, and the same answers in the domain.

The expected table is written out here by hand from the seeds (SISTEMA DE SEGUIMIENTO DE
ACUERDOS): the responsible directorate or its enlace captures progress and asks for conclusion,
co-responsibles comment and attach evidence, only the DG validates, returns or cancels.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from access.users import ROLES
from agreements import actions as act
from agreements import board as ag
from agreements import rights
from agreements.evidence import Evidence
from ui.session import User
from warehouse import query_rows

NOW = datetime(2026, 6, 30, 10, 0)
# relation → actions, written by hand (not read from the module under test)
EXPECTED = {
    "responsable": {"avance", "evidencia", "comentar", "solicitar"},
    "enlace": {"avance", "evidencia", "comentar", "solicitar"},
    "corresponsable": {"evidencia", "comentar"},
    "dg": {"comentar", "validar", "devolver", "cancelar"},
    "ninguna": set(),
}
ALL_ACTIONS = ("avance", "evidencia", "comentar", "solicitar", "validar", "devolver", "cancelar")
# agreement RR-NOR-2026-0001 of the hand-built set: DA responsible, DPM co-responsible
RESPONSIBLE, CO = "DA", ["DPM"]


def _actor(role: str, relation: str) -> tuple[User, list[str]]:
    """A person with `role` standing in `relation` to the agreement, and their delegations."""
    if relation == "enlace":
        return User("p", "P", frozenset({role}), cve_direccion=RESPONSIBLE), [RESPONSIBLE]
    if relation == "corresponsable":
        return User("p", "P", frozenset({role}), cve_direccion=CO[0]), ([CO[0]] if role == "enlace" else [])
    if relation == "responsable":
        return User("p", "P", frozenset({role}), cve_direccion=RESPONSIBLE), []
    return User("p", "P", frozenset({role}), cve_direccion="DIR"), []


def _expected_relations(role: str, relation: str) -> set[str]:
    """What the role actually gets when placed in that relation (written by hand)."""
    got: set[str] = set()
    if role == "direccion_general":
        got.add("dg")
    if relation == "enlace":
        got.add("enlace")  # a delegation makes the relation, whatever the role
    if relation == "corresponsable" and role in ("director_normativo", "enlace"):
        got.add("corresponsable")
    if relation in ("responsable", "enlace") and role == "director_normativo":
        got.add("responsable")  # a director of the responsible directorate is responsible anyway
    return got or {"ninguna"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("relation", list(rights.RELATIONS))
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_table_cell(role: str, relation: str, action: str) -> None:
    actor, delegated = _actor(role, relation)
    rels = rights.relations(actor, RESPONSIBLE, CO, delegated)
    assert rels == _expected_relations(role, relation)
    granted = set().union(*(EXPECTED[r] for r in rels))
    state = "Solicitud de conclusión" if action in ("validar", "devolver") else "En proceso"
    assert rights.can(rels, action, state) == (action in granted)


@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_states_gate_every_action(action: str) -> None:
    everybody = set(rights.RELATIONS)
    allowed_in = {s for s in rights.STATES if rights.can(everybody, action, s)}
    expected = {
        "avance": {"Registrado", "En proceso"},
        "solicitar": {"Registrado", "En proceso"},
        "evidencia": {"Registrado", "En proceso", "Solicitud de conclusión"},
        "cancelar": {"Registrado", "En proceso", "Solicitud de conclusión"},
        "comentar": set(rights.STATES),
        "validar": {"Solicitud de conclusión"},
        "devolver": {"Solicitud de conclusión"},
    }[action]
    assert allowed_in == expected


def test_sentence_lists_what_the_user_may_do() -> None:
    assert rights.sentence(rights.allowed({"corresponsable"}, "En proceso")) == (
        "Usted puede: adjuntar evidencia y comentar."
    )
    assert rights.sentence(()) == "Usted puede consultar este acuerdo; no puede modificarlo."


def test_registration_and_delegate_naming_rights() -> None:
    for role in ROLES:
        user = User("p", "P", frozenset({role}), cve_direccion="DA")
        assert rights.may_register(user) == (role in ("direccion_general", "planeacion", "administrador"))
        assert rights.may_name_delegate(user, "DA") == (role in ("director_normativo", "administrador"))
        assert rights.may_name_delegate(user, "DPM") == (role == "administrador")


# The domain obeys the same table: each relation tries each action on a real warehouse.
CALLS = {
    "avance": lambda f, u, v, db: act.record_progress(f, u, 50, "avance", v, db=db, now=NOW),
    "evidencia": lambda f, u, v, db: act.add_evidence(f, u, Evidence("e.txt", b"x"), db=db, now=NOW),
    "comentar": lambda f, u, v, db: act.comment(f, u, "nota", db=db, now=NOW),
    "solicitar": lambda f, u, v, db: act.request_conclusion(
        f, u, "hecho", v, Evidence("e.txt", b"x"), db=db, now=NOW
    ),
    "validar": lambda f, u, v, db: act.validate_conclusion(f, u, v, db=db, now=NOW),
    "devolver": lambda f, u, v, db: act.return_to_progress(f, u, v, "falta", db=db, now=NOW),
    "cancelar": lambda f, u, v, db: act.cancel(f, u, v, "motivo", db=db, now=NOW),
}
PEOPLE = {
    "responsable": User("da", "Titular DA", frozenset({"director_normativo"}), cve_direccion="DA"),
    "enlace": User("enlace.da", "Enlace DA", frozenset({"enlace"}), cve_direccion="DA"),
    "corresponsable": User("dpm", "Titular DPM", frozenset({"director_normativo"}), cve_direccion="DPM"),
    "dg": User("dg", "Directora General", frozenset({"direccion_general"})),
    "ninguna": User("analista", "Analista", frozenset({"analista"})),
}


@pytest.mark.parametrize("relation", list(PEOPLE))
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_domain_enforces_the_table(board_db, relation: str, action: str) -> None:
    folio = "RR-NOR-2026-0001"
    if action in ("validar", "devolver"):  # put it where those actions apply
        act.request_conclusion(folio, PEOPLE["responsable"], "hecho", 1, Evidence("a.txt", b"x"), db=board_db)
    version = int(ag.agreement(folio, board_db)["version"])
    call = CALLS[action]
    if action in EXPECTED[relation]:
        call(folio, PEOPLE[relation], version, board_db)
    else:
        before = query_rows("SELECT count(*) FROM acuerdos_historial", path=board_db)[0][0]
        with pytest.raises(act.PermissionDeniedError, match="No puede"):
            call(folio, PEOPLE[relation], version, board_db)
        assert query_rows("SELECT count(*) FROM acuerdos_historial", path=board_db)[0][0] == before
        audit = query_rows("SELECT accion FROM auditoria ORDER BY id DESC LIMIT 1", path=board_db)
        assert audit == [("acuerdo_rechazado",)]

"""Who is using the app in this browser session, and what the roles may do.

The login gate (dashboard.py) stores the signed-in `User` in st.session_state["user"];
pages read it with `current_user()` and pass its scope explicitly to the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from access.inbox import DG_INBOX, personal_inbox
from access.roles import DG, ROLES, may

__all__ = ["ROLES", "User", "current_user"]


@dataclass(frozen=True)
class User:
    """A signed-in person: roles, the directorate for agreements, the KPI scope."""

    usuario: str
    nombre: str
    roles: frozenset[str] = field(default_factory=frozenset)
    cve_direccion: str | None = None
    ambito: str = "nacional"  # nacional | region:NOMBRE | ooad:CLAVE

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def sees_all_agreements(self) -> bool:
        """The DG and executives see every agreement; a directorate only its own."""
        return may(self.roles, "ver_todos_los_acuerdos") or self.cve_direccion is None

    @property
    def agreements_scope(self) -> str | None:
        """The directorate code that restricts agreements, or None for all."""
        return None if self.sees_all_agreements else self.cve_direccion

    @property
    def inbox(self) -> str:
        """Where this person's notices land: the DG's inbox, their directorate's, or their own."""
        if self.has(DG):
            return DG_INBOX
        return self.cve_direccion or personal_inbox(self.usuario)


def current_user() -> User | None:
    """The signed-in user of this session, if any."""
    return st.session_state.get("user")

"""The one base of every error whose message is written for a person (Spanish, no traceback).

Pages and command-line tools catch `UserError` and show its text as it is; anything else is an
incident (logged with a number). Subclasses may also derive from a built-in (`KeyError`,
`ValueError`) for callers that catch those, and still print their message unquoted.
"""

from __future__ import annotations


class UserError(Exception):
    """A refusal or a failure explained in Spanish to the person who asked."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

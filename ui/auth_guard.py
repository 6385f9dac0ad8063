"""Kept for pages written against the first name of the access check; use ui.auth.require_screen."""

from ui.auth import require_screen as guard

__all__ = ["guard"]

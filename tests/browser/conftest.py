"""Fixtures of the browser tests shared across modules (a module runs on one xdist worker)."""

from tests.browser.axe import axe_source

__all__ = ["axe_source"]

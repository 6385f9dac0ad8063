"""axe-core (npm, pinned) for the browser tests: installed on first use, injected by Playwright."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

AXE_VERSION = "4.10.3"
AXE_DIR = Path(__file__).resolve().parent / ".axe"  # ignored by git; installed on first use
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js, installed from the npm registry into tests/browser/.axe when missing."""
    if not AXE_JS.exists():
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(AXE_DIR),
                "--no-audit",
                "--no-fund",
                "--no-save",
                f"axe-core@{AXE_VERSION}",
            ],
            check=True,
            timeout=300,
        )
    return AXE_JS.read_text(encoding="utf-8")


def serious_violations(page, axe_source: str) -> list[str]:
    """axe's serious and critical findings on the page as it is, one line each."""
    # elements of the previous run fade while a rerun draws: scan the page as it rests
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)
    page.wait_for_timeout(1500)
    page.evaluate(axe_source)  # evaluate is not subject to the app's Content-Security-Policy
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]

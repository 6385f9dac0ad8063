"""The house plan (docs/arquitectura.md) enforced on the imports of the code.

Every import counts, including the ones inside functions: a cycle hidden in a function is a cycle.
Command-line entry points (`cli.py`, `__main__.py`) may call any domain package, but never the UI.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", "tests", "bench", "data", "wip", ".git"}
DOMAIN = ("warehouse", "access", "indicators", "agreements", "loaders", "exports")
UI = ("ui", "pages", "dashboard", "app")
# What each domain package's library modules may import of ours (besides itself).
ALLOWED: dict[str, set[str]] = {
    "warehouse": set(),
    "access": {"warehouse"},
    "indicators": {"warehouse", "access"},
    "agreements": {"warehouse", "access", "indicators"},
    "loaders": {"warehouse", "access", "agreements"},
    "exports": {"warehouse", "access", "indicators", "agreements", "loaders"},
}
OURS = set(DOMAIN) | set(UI) | {"data", "bench"}


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if rel.parts[0] in SKIP:
            continue
        name = ".".join(rel.with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Every module name `path` imports (`from pkg import sub` counts as importing `pkg.sub`)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = {f"{node.module}.{a.name}" for a in node.names} & known.keys()
            out.update(subs if len(subs) == len(node.names) else {node.module, *subs})
    return out


def graph(root: Path) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports(path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, ()):
            if w not in edges or w == v:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def violations(edges: dict[str, set[str]]) -> list[str]:
    out = []
    for mod, deps in sorted(edges.items()):
        home = mod.split(".")[0]
        entry = mod.rsplit(".", 1)[-1] in ("cli", "__main__")
        tops = {d.split(".")[0] for d in deps}
        for top in sorted(tops):
            if top == "streamlit" and home not in UI:
                out.append(f"{mod} importa streamlit fuera de ui/, pages/ y dashboard.py")
            if home in DOMAIN and top in UI:
                out.append(f"{mod} (dominio) importa {top}")
            if home == "pages" and top in ("warehouse", "duckdb"):
                out.append(f"{mod} (página) importa {top} directamente")
            if home in ("ui", "dashboard", "app") and top == "duckdb":
                out.append(f"{mod} importa duckdb")
            if (
                home in DOMAIN
                and not entry
                and top in OURS - set(UI)
                and top != home
                and top not in ALLOWED[home]
            ):
                out.append(f"{mod} importa {top}, que {home}/ no puede usar")
    return out


def test_no_import_cycle() -> None:
    assert cycles(graph(ROOT)) == []


def test_every_import_follows_the_house_plan() -> None:
    assert violations(graph(ROOT)) == []


@pytest.fixture
def bad_house(tmp_path: Path) -> Path:
    files = {
        "warehouse/__init__.py": "",
        "warehouse/connection.py": "import duckdb\nfrom access import users\n",
        "access/__init__.py": "",
        "access/users.py": "def f():\n    from access import roles\n",
        "access/roles.py": "from access.users import f\n",
        "indicators/__init__.py": "",
        "indicators/engine.py": "import streamlit as st\nfrom ui import cards\n",
        "ui/__init__.py": "",
        "ui/cards.py": "import duckdb\n",
        "pages/resumen.py": "from warehouse import connection\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_the_checks_catch_a_bad_house(bad_house: Path) -> None:
    edges = graph(bad_house)
    assert cycles(edges) == [["access.roles", "access.users"]]
    assert violations(edges) == [
        "indicators.engine importa streamlit fuera de ui/, pages/ y dashboard.py",
        "indicators.engine (dominio) importa ui",
        "pages.resumen (página) importa warehouse directamente",
        "ui.cards importa duckdb",
        "warehouse.connection importa access, que warehouse/ no puede usar",
    ]

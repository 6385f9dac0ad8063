"""One truth on every screen (issue 26): a KPI's value, meta, status and comparison agree everywhere.

Views (period, scope, comparison) are drawn with a fixed seed so that every level (nacional,
región, entidad, OOAD, UMAE, unidad médica) meets every comparison (meta, año anterior, periodo
anterior) over months and years; in each view 18 KPIs are drawn, 216 tuples in all. For each:

- the card on Resumen and the card on the KPI's rubric page print the same value, chip, status
  and meta (read from the HTML each page sends);
- the chip's colour is the status's colour (never the sign's alone), and a value printed
  exactly like its meta is «En meta» (a status that hangs on an unprinted digit shows the digit);
- the CLI (`python -m indicators value`) gives the same status, and the card's printed value
  and meta round from its numbers;
- the executive report (nacional, región, OOAD) prints the same status, and its value and meta
  round from the CLI's numbers;
- the Exportar page's «Vista de indicador» table (región, OOAD) holds the CLI's numbers and status.

Disagreements are collected for the whole view and reported together.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from indicators import cli, engine
from indicators.catalog import CATALOG
from indicators.definitions import RUBRICS, Kpi
from indicators.periods import add_months
from indicators.status import NO_DATA, ON_TARGET, STATUS_ORDER, STATUS_TONE
from tests.coherence.surfaces import CardShown, cards_in, rounds_from, table_rows
from ui.cards import card_scope
from ui.filters import COMPARISONS, places_of
from ui.format import fmt_month
from ui.report import build_report_html
from ui.session import User

ROOT = Path(__file__).resolve().parents[2]
SEED = 26
KPIS_PER_VIEW = 18
LEVELS = ("nacional", "region", "entidad", "ooad", "umae", "unidad")
# Each level meets each comparison once: 18 views.
VIEW_KEYS = [(level, comparison) for level in LEVELS for comparison in COMPARISONS]
DG = User("coherencia", "Dirección General", frozenset({"direccion_general", "analista"}))
SCORED = [
    k for k in CATALOG if k.rubro != "acuerdos"
]  # agreement figures: tests/coherence/test_agreements.py
RUBRIC_PAGES = {rubric: f"pages/{rubric}.py" for rubric in RUBRICS if rubric != "acuerdos"}
EXPORT_VIEWS = {"region": "Indicador por región", "ooad": "Indicador por OOAD"}


@dataclass
class View:
    level: str
    comparison: str  # code: meta | anio_anterior | periodo_anterior
    periodo: str  # 2026-11 or 2025
    query: dict[str, str]  # the address a person would open
    ambito: str  # the filters' scope (nacional, region:…, entidad:…, ooad:…)
    umae: str | None = None
    unidad: str | None = None
    kpis: list[Kpi] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.level}/{self.comparison}/{self.periodo}"


def _views(db: Path) -> list[View]:
    rng = random.Random(SEED)
    places = places_of(engine.catalogs(db))
    latest = engine.latest_period(db)
    assert latest is not None
    months = [add_months(latest, -i) for i in range(24)]
    years = sorted({f"{m:%Y}" for m in months})
    views = []
    for level, comparison in VIEW_KEYS:
        if rng.random() < 0.7:
            month: date = rng.choice(months)
            periodo, query = f"{month:%Y-%m}", {"tipo": "Mes", "mes": fmt_month(month)}
        else:
            periodo = rng.choice(years)
            query = {"tipo": "Año", "anio": periodo}
        query["comparacion"] = COMPARISONS[comparison]
        view = View(level, comparison, periodo, query, "nacional")
        # a UMAE or a unit is chosen inside its OOAD, as the sidebar does
        umae = rng.choice(places.umae) if level == "umae" else None
        unit = rng.choice(places.units) if level == "unidad" else None
        ooad_code = umae[2] if umae else unit[2] if unit else None
        office = next(o for o in places.ooad if o[0] == ooad_code) if ooad_code else rng.choice(places.ooad)
        if level == "region":
            view.query["region"], view.ambito = office[2], f"region:{office[2]}"
        elif level == "entidad":
            state = next(s for s in places.states if s[0] == office[3])
            view.query |= {"region": state[2], "entidad": state[1]}
            view.ambito = f"entidad:{state[0]}"
        elif level != "nacional":
            view.query |= {"region": office[2], "ooad": office[1]}
            view.ambito = f"ooad:{office[0]}"
        if umae:
            view.query["umae"], view.umae = umae[1], umae[0]
        if unit:
            view.query["unidad"], view.unidad = unit[1], unit[0]
        view.kpis = rng.sample(SCORED, KPIS_PER_VIEW)
        views.append(view)
    return views


@pytest.fixture(scope="module")
def db(demo_db: Path) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CMI_DB", str(demo_db))
        patch.setenv("CMI_WAREHOUSE", "")
        yield demo_db
    warehouse.close_all()


@pytest.fixture(scope="module")
def views(db: Path) -> list[View]:
    return _views(db)


def _page(path: str, query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=180)
    at.session_state["user"] = DG
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _cards(path: str, query: dict[str, str]) -> dict[str, CardShown]:
    return cards_in([block.value for block in _page(path, query).html])


def _cli(kpi: Kpi, periodo: str, ambito: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["value", kpi.id, "--periodo", periodo, "--ambito", ambito])
    assert code == 0, (kpi.id, periodo, ambito)
    return json.loads(out.getvalue())


def _report(view: View) -> dict[str, list[str]]:
    """KPI name → its row in the executive report's scorecard table (the first table holding it)."""
    rows: dict[str, list[str]] = {}
    names = {k.nombre for k in CATALOG}
    for row in table_rows(build_report_html(view.periodo, view.ambito)):
        if row[0] in names:
            rows.setdefault(row[0], row)
    return rows


def _exported(view: View, kpi: Kpi) -> dict | None:
    """The row of the view's scope in the Exportar page's «Vista de indicador» table."""
    at = _page("pages/exportar.py", view.query)
    next(r for r in at.radio if r.label == "¿Qué desea exportar?").set_value("Vista de indicador").run()
    next(s for s in at.selectbox if s.label == "Indicador").set_value(kpi.id).run()
    next(r for r in at.radio if r.label == "Vista").set_value(view.level).run()
    assert not at.exception, [e.value for e in at.exception]
    frame = at.dataframe[0].value
    key = view.ambito.split(":", 1)[1]
    match = frame[frame["Clave"].astype(str) == key]
    if match.empty:
        return None
    row = match.iloc[0]
    return {"valor": row["Valor"], "meta": row["Meta"], "estado": row["Estado"]}


def _status_cell(row: list[str]) -> str | None:
    """The report row's semáforo word (the columns after it change: cumplimiento, cierre del año)."""
    return next((cell for cell in row[1:] if cell in STATUS_ORDER or cell == "Sin datos"), None)


def _num(x: object) -> float | None:
    return None if x is None or x != x else float(x)  # type: ignore[arg-type]


@pytest.mark.parametrize("index", range(len(VIEW_KEYS)), ids=[f"{lv}-{c}" for lv, c in VIEW_KEYS])
def test_every_surface_shows_the_same_kpi_figures(views: list[View], index: int) -> None:
    view = views[index]
    wrong: list[str] = []
    resumen = _cards("pages/resumen.py", view.query)
    rubric_cards: dict[str, dict[str, CardShown]] = {}
    report = _report(view) if view.level in ("nacional", "region", "ooad") else {}
    for kpi in view.kpis:
        where = f"{view} «{kpi.nombre}»"
        card = resumen.get(kpi.nombre)
        if card is None:
            wrong.append(f"{where}: sin tarjeta en Resumen")
            continue
        if kpi.rubro not in rubric_cards:
            rubric_cards[kpi.rubro] = _cards(RUBRIC_PAGES[kpi.rubro], view.query)
        on_rubric = rubric_cards[kpi.rubro].get(kpi.nombre)
        if on_rubric is None or on_rubric.reading() != card.reading():
            wrong.append(f"{where}: Resumen {card.reading()} ≠ rubro {on_rubric and on_rubric.reading()}")
        if card.chip and card.chip_tone != STATUS_TONE.get(card.status, "gray"):
            wrong.append(f"{where}: chip {card.chip} en {card.chip_tone} junto a «{card.status}»")
        scope = card_scope(kpi, view.ambito, view.umae, view.unidad)
        if scope is None:  # «no disponible a este nivel»: nothing to compare
            continue
        raw = _cli(kpi, view.periodo, scope)
        meta_text = card.status_line.split("Meta:", 1)[1].split("·")[0] if "Meta:" in card.status_line else ""
        shown_status = card.status or (NO_DATA if card.value in ("", "—") else "")
        if shown_status != raw["estado"]:
            wrong.append(f"{where}: tarjeta «{card.status}», CLI «{raw['estado']}»")
        if not rounds_from(card.value, _num(raw["valor"])):
            wrong.append(f"{where}: tarjeta {card.value}, CLI {raw['valor']}")
        if meta_text and not rounds_from(meta_text, _num(raw["meta"])):
            wrong.append(f"{where}: meta {meta_text.strip()} en la tarjeta, CLI {raw['meta']}")
        if meta_text and card.value == meta_text.strip() and card.status not in (ON_TARGET, ""):
            wrong.append(f"{where}: {card.value} contra meta {meta_text.strip()} y «{card.status}»")
        if report:
            row = report.get(kpi.nombre)
            if row is None:
                wrong.append(f"{where}: no está en el reporte")
            elif (
                _status_cell(row),
                rounds_from(row[1], _num(raw["valor"])),
                rounds_from(row[2], _num(raw["meta"])),
            ) != (
                raw["estado"],
                True,
                True,
            ):
                wrong.append(f"{where}: reporte {row}, CLI {raw['valor']} / {raw['meta']} «{raw['estado']}»")
        if view.level in EXPORT_VIEWS and view.level in kpi.niveles and scope == view.ambito:
            exported = _exported(view, kpi)
            if exported is None or (
                _num(exported["valor"]),
                _num(exported["meta"]),
                exported["estado"],
            ) != (_num(raw["valor"]), _num(raw["meta"]), raw["estado"]):
                wrong.append(f"{where}: exportación {exported}, CLI {raw}")
    assert wrong == [], "\n".join(wrong)


def test_the_sample_covers_every_level_and_comparison(views: list[View]) -> None:
    assert len(views) * KPIS_PER_VIEW >= 200
    assert {(v.level, v.comparison) for v in views} == set(VIEW_KEYS)
    assert {v.query["tipo"] for v in views} == {"Mes", "Año"}

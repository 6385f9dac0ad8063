"""What a page's KPI cards show, read from the HTML the page sends (ui/card_html.py)."""

from __future__ import annotations

from html.parser import HTMLParser

from streamlit.testing.v1 import AppTest

from indicators.definitions import Kpi
from indicators.engine import KpiValue
from ui.format import fmt_value_meta

TONES = ("green", "orange", "red", "gray")


def _tone(classes: list[str]) -> str:
    return next((c.removeprefix("cmi-") for c in classes if c.removeprefix("cmi-") in TONES), "")


class CardParser(HTMLParser):
    """Collects each card's name (its aria-label), the text of its value, and the colours of its
    chip (`chip_tone`, the delta) and of its semáforo badge (`status_tone`)."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if "cmi-card" in classes:
            self.cards.append(
                {
                    "label": found.get("aria-label") or "",
                    "value": "",
                    "text": "",
                    "chip_tone": "",
                    "status_tone": "",
                }
            )
        elif self.cards and "cmi-delta" in classes:
            self.cards[-1]["chip_tone"] = _tone(classes)
        elif self.cards and "cmi-badge" in classes:
            self.cards[-1]["status_tone"] = _tone(classes)
        elif self.cards and classes and classes[0] in ("cmi-card-value", "cmi-card-muted"):
            self._in = classes[0]

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self.cards:
            self.cards[-1]["text"] += data
            if self._in == "cmi-card-value":
                self.cards[-1]["value"] += data


def cards(at: AppTest) -> list[dict[str, str]]:
    """Every card on the page in order: label, value, and all its text."""
    parser = CardParser()
    for block in at.html:
        parser.feed(block.value)
    return parser.cards


def shown(at: AppTest) -> dict[str, str]:
    """Label → value of every card and every st.metric on the page."""
    return {c["label"]: c["value"] for c in cards(at)} | {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> list[str]:
    """Each card's whole text (name, value, delta, semáforo, meta, notes), as a person reads it."""
    return [c["text"] for c in cards(at)]


def value_shown(kpi: Kpi, v: KpiValue) -> str:
    """The value a card prints for `v`: in the KPI's format, with the decimals that tell it from its
    meta when both would print alike («1.890 M» against «1.893 M», issue 26)."""
    return fmt_value_meta(kpi, v.valor, v.meta)[0]

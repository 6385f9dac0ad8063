"""What a page's KPI cards show, read from the HTML the page sends (ui/card_html.py)."""

from __future__ import annotations

from html.parser import HTMLParser

from streamlit.testing.v1 import AppTest


class CardParser(HTMLParser):
    """Collects each card's name (its aria-label) and the text of its value."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if "cmi-card" in classes:
            self.cards.append({"label": found.get("aria-label") or "", "value": "", "text": ""})
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

"""What each surface shows of a KPI, read the way a person reads it.

Cards are read from the HTML a page sends (ui/card_html.py), the executive report from its
table, the Exportar page from the table it shows, the CLI from its JSON. Numbers a person reads
are parsed back with their printed precision, so a surface is compared with the raw figures of
another by «does this text round from that number?», not by re-formatting them here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

TONES = ("green", "orange", "red", "gray")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.(\d+))?")


@dataclass
class CardShown:
    """One card as printed: its value, chip (text and colour), status (word and colour) and meta."""

    name: str
    value: str = ""
    chip: str = ""
    chip_tone: str | None = None
    status: str = ""
    status_tone: str | None = None
    status_line: str = ""  # the status block's whole text: «En riesgo Meta: 1.9 M …»
    text: str = ""

    def reading(self) -> tuple[str, str, str | None, str, str | None, str]:
        """Everything two renderings of the same card must print alike."""
        return (self.value, self.chip, self.chip_tone, self.status, self.status_tone, self.status_line)


def _tone(classes: list[str]) -> str | None:
    return next((c.removeprefix("cmi-") for c in classes if c.removeprefix("cmi-") in TONES), None)


class _CardParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cards: list[CardShown] = []
        self._open: list[str] = []  # the role of each open element inside the current card
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if "cmi-card" in classes:
            self.cards.append(CardShown(found.get("aria-label") or ""))
            self._open, self._depth = [], 0
        if not self.cards or tag in ("img", "br", "input"):
            return
        card = self.cards[-1]
        role = ""
        if "cmi-card-value" in classes:
            role = "value"
        elif "cmi-delta" in classes:
            role, card.chip_tone = "chip", _tone(classes)
        elif "cmi-badge" in classes:
            role, card.status_tone = "status", _tone(classes)
        elif "cmi-card-status" in classes:
            role = "status_line"
        elif "cmi-tip-body" in classes or "cmi-icon" in classes:
            role = "skip"
        self._open.append(role)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag not in ("img", "br", "input"):
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self.cards or "skip" in self._open:
            return
        card = self.cards[-1]
        card.text += data
        for role in set(self._open):
            if role in ("value", "chip", "status", "status_line"):
                setattr(card, role, getattr(card, role) + data)


def cards_in(html_blocks: list[str]) -> dict[str, CardShown]:
    """Name → card, for every KPI card in the page's HTML blocks."""
    parser = _CardParser()
    for block in html_blocks:
        parser.feed(block)
    out = {}
    for c in parser.cards:
        c.value, c.chip, c.status = c.value.strip(), " ".join(c.chip.split()), c.status.strip()
        c.status_line = " ".join(c.status_line.split())
        out[c.name] = c
    return out


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    """Every row of every table in the document, as the texts of its cells."""
    parser = _TableParser()
    parser.feed(html)
    return [r for r in parser.rows if r]


def printed_number(text: str) -> tuple[float, float] | None:
    """(value, half of its last printed digit) of «8.1 M», «$350,110 MDP», «86.5 %», «—» → None."""
    match = _NUMBER.search(text.replace("−", "-"))
    if match is None:
        return None
    decimals = len(match.group(1) or "")
    scale = 1e6 if re.search(r"\d\s*M\b", text) and "MDP" not in text else 1.0
    value = float(match.group(0).replace(",", "")) * scale
    return value, 0.5 * 10.0**-decimals * scale


def rounds_from(text: str, raw: float | None) -> bool:
    """Whether the printed `text` is `raw` at the precision printed («—» for no figure)."""
    shown = printed_number(text)
    if raw is None or raw != raw:
        return shown is None
    if shown is None:
        return False
    value, half = shown
    return abs(value - raw) <= half * 1.000001 + 1e-9

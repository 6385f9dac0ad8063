"""Periods (a month or a year) and scopes (nacional, region, entidad, OOAD) as the engine takes them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from warehouse.errors import UserError

MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


class InvalidArgumentError(UserError, ValueError):
    """A period or scope the engine cannot take; the message is Spanish, for the user."""


def add_months(d: date, months: int) -> date:
    """The first day of the month `months` away from d's month."""
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(d: date) -> date:
    """The last day of d's month."""
    return date.fromordinal(add_months(d, 1).toordinal() - 1)


def cut(end: date, today: date) -> date:
    """The day a period's agreement figures are read as of: the last day of its last month
    (`end`), or `today` while the period is still running."""
    return min(month_end(end), today)


@dataclass(frozen=True)
class Period:
    """A calendar month or a calendar year; start and end are first days of months."""

    kind: str  # "mes" | "anio"
    start: date
    end: date

    @property
    def code(self) -> str:
        return f"{self.start:%Y-%m}" if self.kind == "mes" else f"{self.start:%Y}"

    @property
    def label(self) -> str:
        if self.kind == "mes":
            return f"{MONTHS_ES[self.start.month - 1]} {self.start.year}"
        return str(self.start.year)

    def shifted(self, months: int) -> Period:
        return Period(self.kind, add_months(self.start, months), add_months(self.end, months))

    def previous(self) -> Period:
        """The period just before: the previous month, or the previous year."""
        return self.shifted(-1 if self.kind == "mes" else -12)


def parse_period(text: str) -> Period:
    """'2019' is the year, '2019-12' the month; anything else is refused in Spanish."""
    text = (text or "").strip()
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        if 1990 <= year <= 2100:
            return Period("anio", date(year, 1, 1), date(year, 12, 1))
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if match and 1 <= int(match.group(2)) <= 12 and 1990 <= int(match.group(1)) <= 2100:
        start = date(int(match.group(1)), int(match.group(2)), 1)
        return Period("mes", start, start)
    raise InvalidArgumentError(
        f"Periodo no válido: «{text}». Use AAAA (año) o AAAA-MM (mes), p. ej. 2019 o 2019-12."
    )


@dataclass(frozen=True)
class Scope:
    """nacional, one region (by name), state or OOAD (two-digit code), one UMAE (U01…U25) or unit (09UMF020)."""

    level: str  # "nacional" | "region" | "entidad" | "ooad" | "umae" | "unidad"
    key: str | None = None

    @property
    def code(self) -> str:
        return "nacional" if self.level == "nacional" else f"{self.level}:{self.key}"


NATIONAL = Scope("nacional")


def parse_scope(text: str | None) -> Scope:
    """'nacional', 'region:Centro', 'entidad:09' (INEGI), 'ooad:09' or 'umae:U01' (syntax only; the engine checks the catalogs)."""
    text = (text or "nacional").strip()
    if text.lower() == "nacional":
        return NATIONAL
    level, _, key = text.partition(":")
    level = level.lower()
    if level in ("region", "entidad", "ooad", "umae", "unidad") and key.strip():
        key = key.strip()
        if level in ("ooad", "entidad") and key.isdigit():
            key = key.zfill(2)
        if level == "umae":
            digits = key.upper().removeprefix("U")
            key = f"U{digits.zfill(2)}" if digits.isdigit() else key
        if level == "unidad":
            key = key.upper()
        return Scope(level, key)
    raise InvalidArgumentError(
        f"Ámbito no válido: «{text}». Use nacional, region:NOMBRE (p. ej. region:Centro),"
        " entidad:CLAVE INEGI (p. ej. entidad:09), ooad:CLAVE (p. ej. ooad:09), umae:CLAVE (p. ej. umae:U01)"
        " o unidad:CLAVE (p. ej. unidad:09UMF020)."
    )

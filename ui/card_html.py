"""A rubric's KPI cards as one HTML block (st.html), not ~4 Streamlit elements per card.

Each Streamlit element is a message, a React subtree and styled components in the browser: with
~30 cards a Resumen filter change sent 173 messages, and the browser spent most of its time
mounting them (issue 17). The same cards as one HTML fragment are one message and one
`innerHTML`; the grid is a CSS grid, so a phone reads the cards row by row, as on a wide screen.

The look follows st.metric's (label, large value, coloured delta with its comparison) and the
styles live in `ui/assets/es.css` (`.cmi-card…`). Every text is escaped here: KPI names,
definitions and owners' commentaries come from the catalogue and from users.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from indicators.status import NO_TARGET, STATUS_ICON, STATUS_TONE

_ARROW = {"up": "arrow_upward", "down": "arrow_downward"}


@dataclass(frozen=True)
class Card:
    """What one card shows, as plain text; `grid_html` turns a list of them into HTML."""

    nombre: str
    valor: str = "—"
    ayuda: str = ""  # the definition (and meta) behind the «?» next to the name
    delta: str | None = None
    tono: str = "gray"  # green | orange | red | gray
    flecha: str = "off"  # up | down | off
    comparacion: str | None = None
    tendencia: str = ""  # a data: URL of the sparkline PNG
    tendencia_texto: str = ""  # what the line says, for a screen reader
    estado: str | None = None  # the semáforo's word
    estado_razon: str = ""
    meta: str = ""  # «Meta: 92.0 % · Norte»
    datos: str = ""  # «Datos de octubre 2026»
    nota: str = ""  # «No disponible a este nivel…», «Sin datos para este periodo»
    proyeccion: str = ""
    proyeccion_detalle: str = ""
    comentario: dict[str, object] | None = None


def _icon(name: str) -> str:
    return f'<span class="cmi-icon" aria-hidden="true">{name}</span>'


def _tip(text: str) -> str:
    """A «?» that shows `text` on hover or keyboard focus. The text stays in the page, only clipped
    out of sight (not display: none), so a screen reader reads it where it stands."""
    if not text:
        return ""
    return f'<span class="cmi-tip" tabindex="0">{_icon("help")}<span class="cmi-tip-body">{escape(text)}</span></span>'


def status_badge(estado: str) -> str:
    """The semáforo as icon and word in a coloured badge, readable without colour."""
    tone = STATUS_TONE.get(estado, "gray")
    icon = STATUS_ICON.get(estado, STATUS_ICON[NO_TARGET]).removeprefix(":material/").removesuffix(":")
    return f'<span class="cmi-badge cmi-{tone}">{_icon(icon)}{escape(estado)}</span>'


def card_html(c: Card) -> str:
    """One card: name (and its «?»), value, delta and comparison, trend, semáforo, meta, source months."""
    parts = [
        f'<div class="cmi-card" role="group" aria-label="{escape(c.nombre)}">',
        f'<div class="cmi-card-label"><span>{escape(c.nombre)}</span>{_tip(c.ayuda)}</div>',
        f'<div class="cmi-card-value">{escape(c.valor)}</div>',
    ]
    if c.delta:
        arrow = _icon(_ARROW[c.flecha]) if c.flecha in _ARROW else ""
        parts.append(
            f'<div class="cmi-card-delta"><span class="cmi-delta cmi-{c.tono}">{arrow}{escape(c.delta)}</span>'
            + (f' <span class="cmi-card-muted">{escape(c.comparacion)}</span>' if c.comparacion else "")
            + "</div>"
        )
    if c.tendencia:
        parts.append(
            f'<img class="cmi-spark" src="{c.tendencia}" alt="{escape(c.tendencia_texto)}" width="240" height="36">'
        )
    if c.estado:
        parts.append(
            f'<div class="cmi-card-status">{status_badge(c.estado)} {escape(c.meta)}'
            f"{_tip(c.estado_razon)}</div>"
        )
    if c.datos:
        parts.append(f'<div class="cmi-card-muted cmi-small">{escape(c.datos)}</div>')
    if c.nota:
        parts.append(f'<div class="cmi-card-muted">{escape(c.nota)}</div>')
    if c.proyeccion:
        parts.append(f'<div class="cmi-card-muted">{escape(c.proyeccion)}{_tip(c.proyeccion_detalle)}</div>')
    if c.comentario:
        n = c.comentario
        when = n["fecha"]
        parts.append(
            '<details class="cmi-note"><summary>'
            f"{_icon('comment')}Comentario del responsable</summary>"
            f"<p><strong>¿Por qué?</strong> {escape(str(n['por_que']))}</p>"
            f"<p><strong>¿Qué se hace?</strong> {escape(str(n['que_se_hace']))}</p>"
            f'<p class="cmi-card-muted cmi-small">{escape(str(n["usuario"]))} · {when:%d/%m/%Y %H:%M}</p>'
            "</details>"
        )
    parts.append("</div>")
    return "".join(parts)


def grid_html(cards: Sequence[Card], columns: int) -> str:
    """The cards in a CSS grid of `columns` on a wide screen (fewer as the screen narrows)."""
    body = "".join(card_html(c) for c in cards)
    return f'<div class="cmi-cards" style="--cmi-columns:{columns}">{body}</div>'

"""KPI cards as one HTML block: what a card says, computed by hand, and nothing a user typed runs."""

from __future__ import annotations

from datetime import datetime

from indicators.catalog import get
from indicators.engine import KpiValue
from indicators.status import META
from tests.cards import CardParser
from ui.card_html import Card, card_html, grid_html, status_badge
from ui.cards import kpi_card
from ui.filters import Filters

CONSULTAS = get("consultas_medicina_familiar")


def _value(valor: float | None, meta: float | None, estado: str = "En riesgo") -> KpiValue:
    return KpiValue(
        kpi=CONSULTAS.id,
        nombre=CONSULTAS.nombre,
        periodo="2026-10",
        ambito="nacional",
        valor=valor,
        unidad="consultas",
        meta=meta,
        cumplimiento=None,
        estado=estado,
        valor_periodo_anterior=None,
        variacion_periodo=None,
        valor_anio_anterior=None,
        variacion_anual=None,
        desde="2026-10",
        hasta="2026-10",
    )


def _read(html: str) -> dict[str, str]:
    parser = CardParser()
    parser.feed(html)
    [card] = parser.cards
    return card


def test_a_card_reads_value_delta_against_the_meta_semaforo_and_months() -> None:
    filters = Filters("2026-10", META, None, None)
    card = kpi_card(CONSULTAS, _value(8_700_000.0, 8_750_000.0), [1.0, 2.0, 3.0], filters)
    # 8.70 M against 8.75 M: (8.70 − 8.75) / 8.75 = −0.57 % → «-0.6 %», an arrow down, the semáforo's orange
    assert (card.valor, card.delta, card.flecha, card.tono) == ("8.7 M", "-0.6 %", "down", "orange")
    assert card.comparacion == "oct 2026 vs meta"
    assert (card.meta, card.datos, card.estado) == ("Meta: 8.8 M", "Datos de octubre 2026", "En riesgo")
    assert card.tendencia.startswith("data:image/png;base64,")
    read = _read(card_html(card))
    assert read["label"] == CONSULTAS.nombre and read["value"] == "8.7 M"
    for words in ("-0.6 %", "oct 2026 vs meta", "En riesgo", "Meta: 8.8 M", "Datos de octubre 2026"):
        assert words in read["text"], words
    assert 'class="cmi-delta cmi-orange"' in card_html(card)
    assert (
        f"{CONSULTAS.definicion} Meta: 8.8 M." in read["text"]
    )  # the «?» text is in the page, for a screen reader


def test_a_card_without_a_value_says_why_and_draws_no_delta() -> None:
    filters = Filters("2026-10", META, None, None)
    card = kpi_card(CONSULTAS, None, [], filters)
    assert (card.valor, card.delta, card.nota) == ("—", None, "Sin datos para este periodo")
    assert "cmi-card-delta" not in card_html(card) and "<img" not in card_html(card)


def test_names_definitions_and_commentaries_are_text_never_markup() -> None:
    note = {
        "por_que": "<img src=x onerror=alert(1)>",
        "que_se_hace": "<script>alert(2)</script>",
        "usuario": "dpm & cía",
        "fecha": datetime(2026, 11, 3, 9, 5),
    }
    html = card_html(Card('KPI "<b>"', ayuda="<i>definición</i>", comentario=note))
    assert "<img" not in html and "<script" not in html and "<b>" not in html and "<i>" not in html
    assert 'aria-label="KPI &quot;&lt;b&gt;&quot;"' in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "dpm &amp; cía · 03/11/2026 09:05" in html


def test_the_semaforo_badge_has_its_icon_word_and_colour() -> None:
    assert status_badge("En meta") == (
        '<span class="cmi-badge cmi-green"><span class="cmi-icon" aria-hidden="true">check_circle</span>'
        "En meta</span>"
    )


def test_the_grid_keeps_the_cards_in_order_with_its_column_count() -> None:
    html = grid_html([Card("A", valor="1"), Card("B", valor="2")], 3)
    assert html.startswith('<div class="cmi-cards" style="--cmi-columns:3">')
    parser = CardParser()
    parser.feed(html)
    assert [(c["label"], c["value"]) for c in parser.cards] == [("A", "1"), ("B", "2")]

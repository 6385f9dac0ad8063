"""A card's trend line: a PNG drawn from the series, carried in the card's HTML as a data URL."""

from __future__ import annotations

import base64
import io
import re
from html import escape
from pathlib import Path

import pytest
from PIL import Image

from indicators import engine
from indicators.catalog import get
from indicators.periods import add_months, parse_period
from ui import sparkline
from ui.cards import trend_words
from ui.format import fmt_value

ROOT = Path(__file__).resolve().parents[2]


def test_a_rising_line_goes_from_the_bottom_left_to_the_top_right() -> None:
    # x from 3 to 237 in two steps of 117; y from 33 (lowest) to 3 (highest) in a 240×36 box
    assert sparkline.coordinates([0.0, 5.0, 10.0]) == [(3.0, 33.0), (120.0, 18.0), (237.0, 3.0)]


def test_a_flat_line_runs_through_the_middle_and_gaps_are_skipped() -> None:
    assert sparkline.coordinates([7.0, None, 7.0]) == [(3.0, 18.0), (237.0, 18.0)]


def test_fewer_than_two_points_draw_nothing() -> None:
    assert sparkline.coordinates([4.0]) is None and sparkline.png([4.0]) is None
    assert sparkline.data_url([None, 4.0]) is None


def _pixel(image: Image.Image, x: float, y: float) -> tuple[int, int, int, int]:
    """The RGBA colour at a point of the 240×36 box (the image is drawn at twice that)."""
    return image.getpixel((round(x * sparkline.SCALE), round(y * sparkline.SCALE)))


def test_the_png_draws_the_line_and_the_latest_dot_on_a_transparent_box() -> None:
    image = Image.open(io.BytesIO(sparkline.png([0.0, 5.0, 10.0]))).convert("RGBA")
    assert image.size == (480, 72)
    green = (0x23, 0x5B, 0x4E, 255)
    for vertex in [(3.0, 33.0), (120.0, 18.0), (237.0, 3.0), (61.5, 25.5)]:  # the last: halfway along
        assert _pixel(image, *vertex) == green
    assert _pixel(image, 238.5, 4.5) == green  # past the line's end, inside the dot (r 3) of the latest month
    for empty in [(3.0, 3.0), (237.0, 33.0), (120.0, 30.0)]:  # above, below and off the line
        assert _pixel(image, *empty)[3] == 0


def test_the_data_url_carries_the_png_and_the_alt_text_reads_the_trend() -> None:
    kpi = get("consultas_medicina_familiar")
    alt = trend_words(kpi, [7_000_000.0, 7_500_000.0])
    assert alt == f"Tendencia de 2 meses: de {fmt_value(kpi, 7_000_000.0)} a {fmt_value(kpi, 7_500_000.0)}"
    url = sparkline.data_url([7_000_000.0, 7_500_000.0])
    found = re.fullmatch(r"data:image/png;base64,([A-Za-z0-9+/=]+)", url or "")
    assert found and base64.b64decode(found.group(1)) == sparkline.png([7_000_000.0, 7_500_000.0])


@pytest.mark.usefixtures("demo_db")
def test_a_resumen_card_draws_the_engines_last_thirteen_months(demo_db: Path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from ui.session import User

    monkeypatch.setenv("CMI_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "pages/resumen.py"), default_timeout=120)
    at.session_state["user"] = User("dg", "Directora General", frozenset({"direccion_general"}))
    at.run()
    assert not at.exception
    kpi = get("consultas_medicina_familiar")
    end = parse_period(f"{engine.latest_period(demo_db):%Y-%m}").end
    series = engine.series(kpi.id, add_months(end, -12), end, "nacional", demo_db)
    line = sparkline.data_url(list(series["valor"]))
    alt = escape(trend_words(kpi, list(series["valor"])))
    assert len(series) == 13
    assert any(f'src="{line}" alt="{alt}"' in h.value for h in at.html)

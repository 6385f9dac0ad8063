"""ui.safe.plain on the probe's payloads: Markdown sees characters, never links or images."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from ui.safe import JOINER, plain

PAYLOADS = [
    "![x](http://198.51.100.7/p.png) [vuelva a entrar aquí](http://198.51.100.7/phish)",
    "<img src=x onerror=alert(1)> **negritas** :red[rojo] :material/home: $x^2$",
    "# Título\n- lista\n> cita",
    "visite www.ejemplo.com o escriba a alguien@ejemplo.com",
    "[clic](javascript:alert(1))",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_renders_the_payload_as_its_own_characters(payload):
    at = AppTest.from_string(
        "import streamlit as st\nfrom ui.safe import plain\nst.markdown(plain(TEXT))".replace(
            "TEXT", repr(payload)
        )
    ).run()
    assert not at.exception
    shown = at.markdown[0].value
    # no character that starts a link, image, tag, emphasis, directive or formula is left bare
    for char in "[]()!<>*:$#":
        assert not re.search(r"(?<!\\)" + re.escape(char), shown), char
    assert "\n" not in shown
    # and the text a person reads is the payload, with its line breaks as spaces
    assert shown.replace("\\", "").replace(JOINER, "") == " ".join(payload.split("\n"))


def test_bare_urls_and_e_mails_are_broken_for_the_autolinker():
    assert "http\\:/" + JOINER + "/" in plain("http://h/p.png")
    assert "www" + JOINER + "\\." in plain("www.ejemplo.com")
    assert "@" + JOINER in plain("a@b.c")

"""User text is text: one escape for every value from a user or a file shown through Markdown."""

from __future__ import annotations

import re

# Markdown/GFM syntax, Streamlit directives (:red[...], :material/x:), LaTeX ($) and autolinks
# (http://…, www.…, a@b.c) all hinge on one of these characters; escaping each keeps the text literal.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:@&=])")
# GFM links bare URLs and e-mails *after* escapes are resolved (a pass over the text), so escaping
# is not enough: an invisible word joiner (U+2060) inside «//», after «www» and after «@» breaks them.
_AUTOLINK = re.compile(r"(?<=/)(?=/)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
JOINER = "\u2060"


def plain(text: object) -> str:
    """`text` made inert for st.markdown, st.caption, st.info, widget labels and the like."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    # A line break would start a new block (a heading, a list, a quote): keep one paragraph.
    value = " ".join(value.split("\n"))
    return _SPECIAL.sub(r"\\\1", _AUTOLINK.sub(JOINER, value))

"""Reading what users type: Slack's text normalised before parsing, and names folded for
comparison."""

from __future__ import annotations

import html
import re
import unicodedata

_REPLACEMENTS = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'",
    "\u2013": "-", "\u2014": "-", "\u2212": "-",
})
_USER_ESCAPE = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Typographic quotes and dashes made plain, Slack's HTML escapes undone, ``<@U1|navn>``
    shortened to ``<@U1>``, and runs of white space folded to one space."""
    text = html.unescape(text or "").translate(_REPLACEMENTS)
    text = _USER_ESCAPE.sub(r"<@\1>", text)
    return _SPACES.sub(" ", text).strip()


_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def fold(text: str) -> str:
    """Lower-case, Norwegian letters spelt out (ø→o, æ→ae, å→a), other accents dropped."""
    text = text.translate(_FOLD).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))

"""Reading what users type: Slack's text normalised before parsing, quoted text found, and
names folded for comparison."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

_SPACES_ONLY = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " "})
_REPLACEMENTS = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'",
    "\u2013": "-", "\u2014": "-", "\u2212": "-",
})
_USER_ESCAPE = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_SPACES = re.compile(r"\s+")
_EMPTY_LINES = re.compile(r"\n{3,}")

QUOTE_CLOSERS: dict[str, str] = {
    '"': '"\u201d\u201c',
    "\u201c": "\u201d\u201c\"",
    "\u201d": "\u201d\"",
    "\u201e": "\u201c\u201d\"",
    "\u00ab": "\u00bb",
    "\u00bb": "\u00ab\u00bb",
}
"""The quotes that may open a quoted text, each with those that may close it. Straight and
curly quotes mix (a phone turns the first ``"`` curly and not always the last); ``«`` closes
only with ``»``, so that ``«Mat og "sitat" her»`` is one text."""


@dataclass(frozen=True)
class Quoted:
    """The first quoted text in a string: ``before`` it, the ``text`` between the quotes as it
    was typed (line breaks too), and what comes ``after``. ``closed`` is False when the
    closing quote is missing; ``text`` is then everything after the opening one."""

    before: str
    text: str
    after: str
    closed: bool

    @property
    def line(self) -> str:
        """The quoted text on one line: a title or a name."""
        return " ".join(self.text.split())


def find_quoted(text: str, *, last: bool = False) -> Quoted | None:
    """The first quoted text in ``text`` (None when no quote opens one). With ``last``, it
    runs to the last quote that may close it, so the text may itself hold quotes (a
    begrunnelse that quotes someone)."""
    span = _span(text, last=last)
    if span is None:
        return None
    start, end = span
    if end is None:
        return Quoted(text[:start].strip(), text[start + 1:].strip(), "", closed=False)
    return Quoted(text[:start].strip(), text[start + 1:end].strip(), text[end + 1:].strip(),
                  closed=True)


def _span(text: str, *, last: bool = False) -> tuple[int, int | None] | None:
    """Where the first quoted text opens and closes (None: not closed)."""
    start = next((i for i, c in enumerate(text) if c in QUOTE_CLOSERS), None)
    if start is None:
        return None
    closers = QUOTE_CLOSERS[text[start]]
    ends = (i for i in (range(len(text) - 1, start, -1) if last else range(start + 1, len(text)))
            if text[i] in closers)
    return start, next(ends, None)


def quoted(text: str) -> str:
    """``text`` in quotes that :func:`find_quoted` reads back whole: ``"…"``, or ``«…»`` when
    the text holds a straight or curly quote (a name typed as ``«Nettverk "Mat"»``)."""
    if not any(c in text for c in '"\u201c\u201d') or "\u00bb" in text:
        return f'"{text}"'
    return f"\u00ab{text}\u00bb"


def normalize(text: str) -> str:
    """Slack's HTML escapes undone, ``<@U1|navn>`` shortened to ``<@U1>``, and, outside quoted
    text, typographic quotes and dashes made plain and runs of white space folded to one
    space. Quoted text (see :data:`QUOTE_CLOSERS`) is kept as it was typed, its quotes
    included: a title with «sitat» or a begrunnelse in two paragraphs is stored as written."""
    rest = _USER_ESCAPE.sub(r"<@\1>", html.unescape(text or ""))
    out: list[str] = []
    while (span := _span(rest)) is not None:
        start, end = span
        if end is None:
            break
        out += [_plain(rest[:start]),
                rest[start:end + 1].translate(_SPACES_ONLY).replace("\r\n", "\n")]
        rest = rest[end + 1:]
    out.append(_plain(rest))
    return "".join(out).strip()


def as_written(text: str) -> str:
    """Text kept as it was written (a form's long field), with its paragraphs: odd spaces
    made plain, spaces at line ends and more than one empty line between paragraphs taken
    away."""
    lines = [line.rstrip() for line in text.translate(_SPACES_ONLY).splitlines()]
    return _EMPTY_LINES.sub("\n\n", "\n".join(lines)).strip()


def _plain(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_REPLACEMENTS))


_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def fold(text: str) -> str:
    """Lower-case, Norwegian letters spelt out (ø→o, æ→ae, å→a), other accents dropped."""
    text = text.translate(_FOLD).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))

"""How the bot writes dates, times and shares (bokmål)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

MONTH_NUMBERS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "desember": 12, "des": 12,
}
"""Month names and their short forms, folded (see :func:`voice.text.fold`), as users type
them."""
WEEKDAY_NUMBERS = {"mandag": 0, "tirsdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4,
                   "lordag": 5, "sondag": 6}
"""Weekday names folded, Monday 0."""
MONTH_PATTERN = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
WEEKDAY_PATTERN = "|".join(WEEKDAY_NUMBERS)


ECHO_CHARS = 60
"""How much of what a user typed is quoted back in a reply that refuses it."""


def echo(text: str, limit: int = ECHO_CHARS) -> str:
    """What the user typed, as a refusal quotes it: single spaces, and cut with ``…`` after
    ``limit`` characters (a 15 kB name is not sent back whole)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def date_in_words(d: date) -> str:
    """``12. mai 2026``."""
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def time_in_words(t: datetime) -> str:
    """``kl. 10.00``."""
    return f"kl. {t.hour:02d}.{t.minute:02d}"


def share(n: int, total: int) -> str:
    """``12 av 25 (48 %)``; the percentage is rounded half up to a whole number, except that
    a share that is not nothing never reads as nothing and one that is not all never reads as
    all: ``1 av 357 (under 1 %)``, ``356 av 357 (over 99 %)``."""
    if total <= 0:
        return f"{n} av {total}"
    return f"{n} av {total} ({percent(n, total)})"


def percent(n: int, total: int) -> str:
    """The percentage of :func:`share` alone: ``48 %``, ``under 1 %``, ``over 99 %`` (a chart
    writes it beside a bar)."""
    if total <= 0:
        return "0 %"
    pct = (200 * n + total) // (2 * total)
    if pct == 0 and n > 0:
        return "under 1 %"
    if pct == 100 and n < total:
        return "over 99 %"
    return f"{pct} %"


def join_names(names: list[str]) -> str:
    """``A``, ``A og B``, ``A, B og C``."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " og " + names[-1]


def moment_in_words(t: datetime) -> str:
    """``tirsdag 1. desember 2026 kl. 10.00`` (in ``t``'s own time zone)."""
    return f"{WEEKDAYS[t.weekday()]} {date_in_words(t.date())} {time_in_words(t)}"


_NORWEGIAN_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}", "ä": "{", "ö": "|"})
"""Æ, Ø and Å (and Ä, Ö) after Z, in that order: the characters after ``z`` in ASCII."""


def name_order(name: str) -> str:
    """A sort key for names in Norwegian alphabetical order: case ignored, Æ, Ø, Å after Z
    (``Vik`` before ``Ål``), other accents as their letter (``Gáivuotna`` by ``a``)."""
    key = unicodedata.normalize("NFKD", name.lower().translate(_NORWEGIAN_ORDER))
    return "".join(c for c in key if not unicodedata.combining(c))

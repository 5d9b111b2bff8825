"""How the bot writes dates, times and shares (bokmål)."""

from __future__ import annotations

from datetime import date, datetime

MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def date_in_words(d: date) -> str:
    """``12. mai 2026``."""
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def time_in_words(t: datetime) -> str:
    """``kl. 10.00``."""
    return f"kl. {t.hour:02d}.{t.minute:02d}"


def share(n: int, total: int) -> str:
    """``12 av 25 (48 %)``; the percentage is rounded half up to a whole number."""
    if total <= 0:
        return f"{n} av {total}"
    pct = (200 * n + total) // (2 * total)
    return f"{n} av {total} ({pct} %)"


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

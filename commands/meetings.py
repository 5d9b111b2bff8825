"""What logging a held meeting and offering one share: the kommune list, the date, the reply."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from commands.base import Context, UsageError
from commands.parse.dates import split_date_suffix
from commands.parse.places import Found, resolve_kommuner
from storage.reference import KommuneRef
from voice.text import fold
from voice.words import date_in_words, join_names

_PARTNERS = {"ks": "KS", "usht": "USHT", "hdir": "Hdir", "helsedirektoratet": "Hdir",
             "hod": "HOD", "eldreradet": "eldrerådet", "eldrerad": "eldrerådet"}


def kommuner_and_date(head: str, ctx: Context, *, usage: str) -> tuple[Found, date]:
    """Split ``"Vennesla, Lillesand i går"`` into kommuner (with notes on former names) and a
    date (required)."""
    if not head:
        raise UsageError(f"Skriv hvilke kommuner det gjelder, for eksempel `/lhl {usage}`.")
    found = split_date_suffix(head, ctx.now)
    if found is None:
        raise UsageError(
            "Jeg fant ingen dato for møtet. Skriv datoen etter kommunene, for eksempel "
            f"`/lhl {usage}`."
        )
    kommune_text, when = found
    return resolve_kommuner(kommune_text, ctx.geo, home=ctx.home_embete), when


def refuse_future(when: date, ctx: Context, what: str) -> None:
    if when > ctx.now.date():
        raise UsageError(
            f"{date_in_words(when)} er fram i tid, og et {what} kan ikke ligge i framtiden. "
            "Skriv datoen det skjedde, for eksempel «i går» eller «12. mai»."
        )


def partners(text: str) -> str:
    """``"ks og usht"`` → ``"KS, USHT"``; unknown partners are kept as written."""
    parts = [p.strip() for p in re.split(r",|\bog\b|\+|&", text) if p.strip()]
    return ", ".join(_PARTNERS.get(fold(p).replace(" ", ""), p) for p in parts)


def names(kommuner: Sequence[KommuneRef]) -> str:
    return join_names([k.navn for k in kommuner])

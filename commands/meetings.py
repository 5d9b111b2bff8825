"""What logging a held meeting and offering one share: the kommune list, the date, the reply."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from commands.base import Context, UsageError, about
from commands.parse.dates import PAST, parse_date, split_date_prefix, split_date_suffix
from commands.parse.places import Found, resolve_kommuner
from storage.reference import KommuneRef
from voice.text import fold
from voice.words import date_in_words, echo, join_names

_PARTNERS = {"ks": "KS", "usht": "USHT", "hdir": "Hdir", "helsedirektoratet": "Hdir",
             "hod": "HOD", "eldreradet": "eldrerådet", "eldrerad": "eldrerådet"}


@dataclass(frozen=True)
class MeetingForm:
    """How a meeting command is written, for the sentences that say what went wrong."""

    command: str
    """``logg-møte``"""
    example: str
    """A whole command, without ``/lhl``."""
    who: str
    """Which kommuner the command asks for: ``hvilke kommuner møtet var med``."""
    labels: tuple[str, ...] = ()
    """Its fields (``tema`` …), written ``tema: …``."""


def kommune_text_and_date(head: str, ctx: Context, form: MeetingForm, *, tail: str = ""
                          ) -> tuple[str, date | None]:
    """Split ``"Vennesla, Lillesand i går"`` into the kommune text and the date, read as a day
    that has happened (None when no date is written at the end). ``tail`` is what followed
    ``head`` in the command (its fields), for the corrected command in an error.

    What can only be a mistake is refused with a sentence naming it and the command written
    right: a date with no kommune (``i går``), a field word without its colon (``… i går tema
    mat``), a date before the kommuner (``i går Bygland``), a date that does not exist
    (``31. februar``, named by the date parser).
    """
    found = split_date_suffix(head, ctx.now, direction=PAST)
    if found is not None:
        return found
    body, field = _field_without_colon(head, form.labels)
    after = " ".join(part for part in (field, echo(tail) if tail else None) if part)
    after = f" {after}" if after else ""
    if parse_date(body, ctx.now, direction=PAST) is not None:
        raise UsageError(f"Kommunen mangler: skriv {form.who}, og så datoen, for eksempel "
                         f"`/lhl {form.command} Kristiansand {body}{after}`.")
    first = split_date_prefix(body, ctx.now, direction=PAST)
    if field is not None:
        if first is not None:
            body = f"{first[1]} {first[0]}"
        elif split_date_suffix(body, ctx.now, direction=PAST) is None:
            return head, None  # no date at all: that is the problem to name
        raise UsageError(f"Mente du `{field}`? Et felt skrives med kolon: "
                         f"`/lhl {form.command} {echo(body)}{after}`.")
    if first is not None:
        written, rest = first
        raise UsageError("Datoen skal stå etter kommunene: skriv "
                         f"`/lhl {form.command} {echo(rest)} {written}{after}`.")
    return head, None


def kommuner_and_date(head: str, ctx: Context, form: MeetingForm, *, tail: str = ""
                      ) -> tuple[Found, date]:
    """The kommuner (with notes on former and shared names) and the date (required) of
    ``"Vennesla, Lillesand i går"``."""
    if not head:
        raise UsageError(f"Skriv hvilke kommuner det gjelder, for eksempel `/lhl {form.example}`.")
    kommune_text, when = kommune_text_and_date(head, ctx, form, tail=tail)
    if when is None:
        raise UsageError(
            "Jeg fant ingen dato for møtet. Skriv datoen etter kommunene, for eksempel "
            f"`/lhl {form.example}`.", field="dato",
        )
    with about("kommuner"):
        return resolve_kommuner(kommune_text, ctx.geo, home=ctx.home_embete), when


def _field_without_colon(head: str, labels: tuple[str, ...]) -> tuple[str, str | None]:
    """``"Bygland i går tema mat"`` → ``("Bygland i går", "tema: mat")``: the text before the
    first field word written without its colon, and the field as it should be written."""
    m = re.search(rf"(?:^|\s)({'|'.join(labels)})\s+(\S.*)$", head, re.I) if labels else None
    if m is None:
        return head, None
    return head[: m.start()].strip(), f"{m[1].lower()}: {echo(m[2])}"


def refuse_future(when: date, ctx: Context, what: str) -> None:
    if when > ctx.now.date():
        raise UsageError(
            f"{date_in_words(when)} er fram i tid, og et {what} kan ikke ligge i framtiden. "
            "Skriv datoen det skjedde, for eksempel «i går» eller «12. mai».", field="dato",
        )


def partners(text: str) -> str:
    """``"ks og usht"`` → ``"KS, USHT"``; unknown partners are kept as written."""
    parts = [p.strip() for p in re.split(r",|\bog\b|\+|&", text) if p.strip()]
    return ", ".join(_PARTNERS.get(fold(p).replace(" ", ""), p) for p in parts)


def names(kommuner: Sequence[KommuneRef]) -> str:
    return join_names([k.navn for k in kommuner])

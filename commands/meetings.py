"""What logging a held meeting, offering one and planning one share: the kommune list, the
date, the meeting's type and theme, the reply."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from commands.base import Context, UsageError, about
from commands.parse.dates import (
    PAST,
    Direction,
    parse_date,
    split_date_prefix,
    split_date_suffix,
)
from commands.parse.fields import check_length, refuse_empty_labels, refuse_identity_numbers
from commands.parse.places import Found, resolve_kommuner
from storage.models import DIALOGUE, ELDERS, HELD, MAYORS, MEETING_TYPES, OFFERED, OTHER
from storage.reference import KommuneRef
from voice.innsatsomrader import areas_in, theme_in_words
from voice.reply import said
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


def kommune_text_and_date(head: str, ctx: Context, form: MeetingForm, *, tail: str = "",
                          direction: Direction = PAST) -> tuple[str, date | None]:
    """Split ``"Vennesla, Lillesand i går"`` into the kommune text and the date, read as a day
    that has happened (``direction`` :data:`PAST`) or one ahead (``FUTURE``, for a plan); None
    when no date is written at the end. ``tail`` is what followed ``head`` in the command (its
    fields), for the corrected command in an error.

    What can only be a mistake is refused with a sentence naming it and the command written
    right: a date with no kommune (``i går``), a field word without its colon (``… i går tema
    mat``), a date before the kommuner (``i går Bygland``), a date that does not exist
    (``31. februar``, named by the date parser).
    """
    found = split_date_suffix(head, ctx.now, direction=direction)
    if found is not None:
        return found
    body, field = _field_without_colon(head, form.labels)
    after = " ".join(part for part in (field, said(echo(tail)) if tail else None) if part)
    after = f" {after}" if after else ""
    if parse_date(body, ctx.now, direction=direction) is not None:
        raise UsageError(f"Kommunen mangler: skriv {form.who}, og så datoen, for eksempel "
                         f"`/lhl {form.command} Kristiansand {body}{after}`.")
    first = split_date_prefix(body, ctx.now, direction=direction)
    if field is not None:
        if first is not None:
            body = f"{first[1]} {first[0]}"
        elif split_date_suffix(body, ctx.now, direction=direction) is None:
            return head, None  # no date at all: that is the problem to name
        raise UsageError(f"Mente du `{field}`? Et felt skrives med kolon: "
                         f"`/lhl {form.command} {said(echo(body))}{after}`.")
    if first is not None:
        written, rest = first
        raise UsageError("Datoen skal stå etter kommunene: skriv "
                         f"`/lhl {form.command} {said(echo(rest))} {written}{after}`.")
    return head, None


def kommuner_and_date(head: str, ctx: Context, form: MeetingForm, *, tail: str = "",
                      direction: Direction = PAST) -> tuple[Found, date]:
    """The kommuner (with notes on former and shared names) and the date (required) of
    ``"Vennesla, Lillesand i går"``, read in ``direction``."""
    if not head:
        raise UsageError(f"Skriv hvilke kommuner det gjelder, for eksempel `/lhl {form.example}`.")
    kommune_text, when = kommune_text_and_date(head, ctx, form, tail=tail, direction=direction)
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
    return head[: m.start()].strip(), f"{m[1].lower()}: {said(echo(m[2]))}"


def refuse_future(when: date, ctx: Context, what: str, *, planned: str | None = None) -> None:
    """Refuse a day ahead for what has happened; ``planned`` is the command that records it
    as planned instead, when there is one."""
    if when > ctx.now.date():
        instead = f"; et avtalt møte føres med `/lhl {planned}`" if planned else ""
        raise UsageError(
            f"{date_in_words(when)} er fram i tid, og et {what} kan ikke ligge i framtiden. "
            f"Skriv datoen det skjedde, for eksempel «i går» eller «12. mai»{instead}.",
            field="dato",
        )


def partners(text: str) -> str:
    """``"ks og usht"`` → ``"KS, USHT"``; unknown partners are kept as written."""
    parts = [p.strip() for p in re.split(r",|\bog\b|\+|&", text) if p.strip()]
    return ", ".join(_PARTNERS.get(fold(p).replace(" ", ""), p) for p in parts)


def names(kommuner: Sequence[KommuneRef]) -> str:
    return join_names([k.navn for k in kommuner])


# --- what kind of meeting, and about what ------------------------------------------------------

MEETING_NOUNS = {
    DIALOGUE: "dialogmøte",
    MAYORS: "møte med ordfører eller kommunedirektør",
    ELDERS: "møte med eldreråd eller eldreorganisasjon",
    OTHER: "annet møte",
}
"""What each type of meeting is called in a sentence (``Lagret: <noun> holdt med …``)."""
_TYPE_WORDS = {fold(t): t for t in MEETING_TYPES} | {
    "dialog": DIALOGUE, "ordforere": MAYORS, "ordforermote": MAYORS, "kommunedirektor": MAYORS,
    "radmann": MAYORS, "eldreradet": ELDERS, "eldreradsmote": ELDERS, "annen": OTHER}
"""The types as written (folded, without spaces and hyphens): the four words and a few
obvious others (``Eldrerådet``, ``rådmann``)."""
TYPE_CHOICES = (", ".join(f"`type: {t}`" for t in MEETING_TYPES[:-1])
                + f" eller `type: {MEETING_TYPES[-1]}`")
"""How a sentence lists the four: `type: dialogmøte`, … eller `type: annet`."""


def meeting_type(written: str, example: str) -> str:
    """The type ``type: …`` names (``ordfører``, ``Eldrerådet``), or a refusal naming the four;
    ``example`` is a whole command to show it in."""
    found = _TYPE_WORDS.get(fold(written).replace(" ", "").replace("-", ""))
    if found is None:
        what = f"Møtetypen «{said(echo(written))}» kjenner jeg ikke" if written.strip() else (
            "Møtetypen mangler etter «type:»")
        raise UsageError(f"{what}; skriv {TYPE_CHOICES}, for eksempel `/lhl {example}`.")
    return found


def meeting_noun(meeting_type: str) -> str:
    """``dialogmøte``, ``møte med ordfører eller kommunedirektør`` …"""
    return MEETING_NOUNS.get(meeting_type, "møte")


def what_happened(status: str, kommuner: str) -> str:
    """``holdt med Vennesla``, ``tilbudt Vennesla``, ``planlagt med Vennesla``."""
    if status == HELD:
        return f"holdt med {kommuner}"
    if status == OFFERED:
        return f"tilbudt {kommuner}"
    return f"planlagt med {kommuner}"


def theme_areas(tema: str | None) -> list[str]:
    """The short forms of the innsatsområder a theme names, to be stored with the meeting."""
    return [a.key for a in areas_in(tema)] if tema else []


def theme_shown(tema: str) -> str:
    """A theme as the bot shows it: ``mat`` → ``Mat og måltider``, free text as typed with the
    areas it names after it (see ``voice.innsatsomrader.theme_in_words``), marked as what a
    user wrote (:func:`voice.reply.said`)."""
    return said(theme_in_words(tema, areas_in(tema)))


FIELD_LIMITS = (("tema", 500), ("med", 200), ("notat", 2000))
"""The free-text fields of a meeting and their lengths (the columns')."""


@dataclass(frozen=True)
class MeetingFields:
    tema: str | None
    med: str | None
    """The partners, as :func:`partners` writes them."""
    notat: str | None


def meeting_fields(labels: dict[str, str]) -> MeetingFields:
    """``tema:``, ``med:`` and ``notat:`` of a meeting, checked: not too long, and no identity
    number."""
    refuse_empty_labels(labels, tuple(field for field, _ in FIELD_LIMITS))
    for field, limit in FIELD_LIMITS:
        value = labels.get(field)
        if value:
            check_length(value, field, limit)
            refuse_identity_numbers(value, field)
    med = partners(labels["med"]) if labels.get("med") else None
    return MeetingFields(labels.get("tema") or None, med, labels.get("notat") or None)


def entry_line(change_id: int) -> str:
    """How a confirmation names the entry it made, so it can be changed without a ``logg``
    first (``rediger`` takes the number ``/lhl logg`` shows)."""
    return f"Føring #{change_id}: `/lhl rediger {change_id}` endrer den."


def field_lines(fields: MeetingFields, meeting_id: int) -> list[str]:
    """What a confirmation says of a meeting's theme, partners and note."""
    lines = []
    if fields.tema:
        lines.append(f"Tema: {theme_shown(fields.tema)}")
    if fields.med:
        lines.append(f"Sammen med: {said(fields.med)}")
    if fields.notat:
        lines.append(f"Notat lagret; kommunekortet viser starten og `/lhl notat {meeting_id}` "
                     "hele.")
    return lines

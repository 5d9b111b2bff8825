"""``/lhl arrangement ny <type> "<tittel>" <dato> målgruppe: … hovedtema: … [ønsker: …]`` and
``/lhl arrangement slett <nr>``: the conferences and seminars an embete holds with the kommuner,
the overview Hdir asks each embete to keep (seed 001).

The event belongs to the writer's embete. An administrator names it with ``embete: Agder`` (any
form ``/lhl status`` accepts); without it, the embete of their own grant; an administrator with
neither is asked for it. A coordinator may write ``embete:`` only for their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from commands.access import writer_embete
from commands.base import CommandSpec, Context, UsageError, about
from commands.event_words import EXAMPLE, HDIR, HOD, theme, wanted_in_words, what
from commands.forms import (
    Form,
    Parsed,
    Submitted,
    checkbox_field,
    choice_field,
    date_field,
    date_text,
    embete_field,
    text_field,
)
from commands.parse.dates import FUTURE, parse_date
from commands.parse.fields import number, split_labels
from commands.parse.places import resolve_embete
from storage import changes, entries
from storage.entries import delete_item, event_state, record_added
from storage.events import add_event, get_event
from storage.models import EVENT_KINDS
from storage.reference import EmbeteRef
from voice.innsatsomrader import SHORT_FORMS, areas_in
from voice.reply import Reply, plain_reply, said
from voice.text import find_quoted, fold

USAGE = ('arrangement ny <konferanse|seminar|webinar|samling> "<tittel>" <dato> '
         "målgruppe: … hovedtema: … [ønsker: hdir, hod]")
TITLE_CHARS = 150
TEXT_CHARS = 300

# Every way of writing a label, folded, to the label it is.
_LABELS = {"malgruppe": "målgruppe", "maalgruppe": "målgruppe", "hovedtema": "hovedtema",
           "tema": "hovedtema", "onsker": "ønsker", "oensker": "ønsker", "onske": "ønsker",
           "embete": "embete"}
_LABEL_WORDS = ("målgruppe", "malgruppe", "maalgruppe", "hovedtema", "tema", "ønsker",
                "onsker", "oensker", "ønske", "onske", "embete")
"""A title in quotes (Slack's typographic ones are made plain before parsing, but a title read
from elsewhere may still have them)."""
_WANT_SEPARATORS = re.compile(r",|;|/|\+|&|\bog\b|\beller\b")
_HDIR, _HOD, _BOTH, _NONE = "hdir", "hod", "begge", "ingen"
_WANTED = {"hdir": _HDIR, "helsedirektoratet": _HDIR, "direktoratet": _HDIR,
           "hod": _HOD, "politisk ledelse": _HOD, "politisk ledelse hod": _HOD,
           "politikere": _HOD, "departementet": _HOD, "helse og omsorgsdepartementet": _HOD,
           "statsraden": _HOD, "begge": _BOTH, "begge to": _BOTH, "ingen": _NONE,
           "nei": _NONE}


@dataclass(frozen=True)
class New:
    kind: str
    tittel: str
    dato: date
    malgruppe: str
    hovedtema: str
    onsker_hdir: bool
    onsker_hod: bool
    embete: EmbeteRef | None
    """Named with ``embete:``; None for the writer's own."""


@dataclass(frozen=True)
class Delete:
    event_id: int


def parse(text: str, ctx: Context) -> New | Delete:
    verb, _, rest = text.strip().partition(" ")
    if fold(verb) == "ny":
        return _parse_new(rest.strip(), ctx)
    if fold(verb) in ("slett", "fjern"):
        return Delete(number(rest, "Skriv nummeret på arrangementet du vil slette, for eksempel "
                                   "`/lhl arrangement slett 3`; numrene står i "
                                   "`/lhl arrangementer`."))
    raise UsageError(f"Før et arrangement med `/lhl {USAGE}`, for eksempel `/lhl {EXAMPLE}`.")


def _parse_new(text: str, ctx: Context) -> New:
    kind_word, _, after = text.partition(" ")
    _kind(kind_word)
    # The title first, so that a word such as «tema:» inside it is not taken for a label.
    title = find_quoted(after)
    if title is None or title.before or not title.closed or not title.line:
        raise UsageError("Skriv tittelen i anførselstegn etter typen, for eksempel "
                         f"`/lhl {EXAMPLE}`.", field="tittel")
    when, labels = split_labels(title.after, _LABEL_WORDS)
    return new_event(kind_word, title.line, when, _fields(labels), ctx)


def new_event(kind_word: str, tittel: str, when: str, fields: dict[str, str], ctx: Context
              ) -> New:
    """An event from its parts, checked as the typed command checks them: what the parser
    makes once it has split the text, and what the form makes from its fields (where a
    målgruppe may hold «tema:» without it being a field). ``fields`` are by label
    (``målgruppe``, ``hovedtema``, ``ønsker``, ``embete``)."""
    kind = _kind(kind_word)
    tittel = tittel.strip()
    with about("tittel"):
        if not tittel:
            raise UsageError(f"Skriv tittelen, for eksempel `/lhl {EXAMPLE}`.")
        _check_length(tittel, "Tittelen", "den", TITLE_CHARS)
    with about("dato"):
        dato = _date(when, ctx.now)
    with about("malgruppe"):
        malgruppe = _required(fields, "målgruppe", "målgruppen",
                              "ledere og politikere i kommunene")
        _check_length(malgruppe, "Målgruppen", "den", TEXT_CHARS)
    with about("hovedtema"):
        hovedtema = _required(fields, "hovedtema", "hovedtemaet", "mat og måltider")
        _check_length(hovedtema, "Hovedtemaet", "det", TEXT_CHARS)
    with about("onsker"):
        hdir, hod = _wanted(fields["ønsker"]) if "ønsker" in fields else (False, False)
    with about("embete"):
        embete = resolve_embete(fields["embete"], ctx.geo) if fields.get("embete") else None
    return New(kind, tittel, dato, malgruppe, hovedtema, hdir, hod, embete)


def _kind(word: str) -> str:
    kind = fold(word)
    if kind not in EVENT_KINDS:
        shown = f"«{said(word)}» er ikke en type jeg kjenner" if word else "Typen mangler"
        raise UsageError(f"{shown}; skriv konferanse, seminar, webinar eller samling først, "
                         f"for eksempel `/lhl {EXAMPLE}`.", field="type")
    return kind


def _fields(labels: dict[str, str]) -> dict[str, str]:
    """The labels under their own names (``tema:`` is ``hovedtema:``); one given twice under
    two names is refused as :func:`split_labels` refuses one written twice."""
    fields: dict[str, str] = {}
    for written, value in labels.items():
        label = _LABELS[fold(written)]
        if label in fields:
            raise UsageError(f"Du har skrevet «{label}:» to ganger; skriv det én gang, for "
                             f"eksempel `/lhl {EXAMPLE}`.")
        fields[label] = value
    return fields


def _required(fields: dict[str, str], label: str, the: str, example: str) -> str:
    value = fields.get(label, "").strip()
    if not value:
        raise UsageError(f"Skriv {the} etter «{label}:», for eksempel `{label}: {example}`; "
                         f"hele formen er `/lhl {USAGE}`.")
    return value


def _check_length(text: str, the: str, pronoun: str, limit: int) -> None:
    if len(text) > limit:
        raise UsageError(f"{the} er {len(text)} tegn, men kan være høyst {limit}; skriv "
                         f"{pronoun} kortere, så lagrer jeg arrangementet.")


def _wanted(text: str) -> tuple[bool, bool]:
    """``hdir, hod`` → (True, True); ``politisk ledelse`` → (False, True); ``ingen``."""
    folded = " ".join(fold(text).replace("-", " ").split())
    folded = folded.replace("helse og omsorgsdepartementet", "hod")
    parts = [" ".join(p.split()) for p in _WANT_SEPARATORS.split(folded)]
    found = {_WANTED.get(p) for p in parts if p}
    if not found or None in found or (_NONE in found and len(found) > 1):
        raise UsageError(f"Jeg forstår ikke «ønsker: {said(text)}»; skriv hdir, hod (eller "
                         "politisk ledelse), begge eller ingen, for eksempel `ønsker: hdir, hod`.")
    return (bool(found & {_HDIR, _BOTH}), bool(found & {_HOD, _BOTH}))


def _date(text: str, now: datetime) -> date:
    """The event's date. A date without a year is the next such day (``12. mai`` in November
    is next May): an event is most often written down ahead. A date in the past (``i går``,
    ``12.05.2026``) is one held."""
    found = parse_date(text, now, direction=FUTURE) if text else None
    if found is None:
        problem = f"«{said(text)}» kan jeg ikke lese som en dato" if text else "Datoen mangler"
        raise UsageError(f"{problem}; skriv den etter tittelen, for eksempel «12. mai» eller "
                         f"«12.05.{now.year + 1}»: `/lhl {EXAMPLE}`.")
    return found


def execute(args: New | Delete, *, session: Session, ctx: Context) -> Reply:
    own = writer_embete(ctx, session=session)
    if isinstance(args, Delete):
        return _delete(args, ctx, session)
    with about("embete"):
        embete_id = _embete_for(args.embete, own, ctx)
    event_id = add_event(
        embete_id=embete_id, kind=args.kind, tittel=args.tittel, dato=args.dato,
        malgruppe=args.malgruppe, hovedtema=args.hovedtema,
        areas=[a.key for a in areas_in(args.hovedtema)], onsker_hdir=args.onsker_hdir,
        onsker_hod=args.onsker_hod, by=ctx.user_id, now=ctx.now, session=session)
    record_added(changes.EVENT_CREATED, event_id, event_state(event_id, session=session),
                 by=ctx.user_id, now=ctx.now, session=session)
    stored = get_event(event_id, session=session)
    assert stored is not None
    lines = [f"Lagret: {what(stored)} for {ctx.geo.embeter[embete_id].navn} (#{event_id})."]
    if args.dato < ctx.now.date():
        lines.append("Datoen er passert, så arrangementet er ført som holdt.")
    lines += [f"Målgruppe: {said(args.malgruppe)}", f"Hovedtema: {theme(stored)}",
              f"Ønsker deltakelse fra: {wanted_in_words(args.onsker_hdir, args.onsker_hod)}"]
    return plain_reply("\n".join(lines))


def _embete_for(named: EmbeteRef | None, own: str | None, ctx: Context) -> str:
    if named is None:
        if own is None:
            raise UsageError("Du fører ikke for et embete, så skriv hvilket embete arrangementet "
                             f"hører til med «embete:», for eksempel `/lhl {EXAMPLE} "
                             "embete: Agder`.")
        return own
    if own is not None and named.id != own and not ctx.is_admin:
        raise UsageError(f"Du fører for {ctx.geo.embeter[own].navn}, ikke for {named.navn}, så "
                         "ingenting ble lagret; be en administrator om tilgang om du skal føre "
                         "for et annet embete.")
    return named.id


def _delete(args: Delete, ctx: Context, session: Session) -> Reply:
    stored = get_event(args.event_id, session=session)
    if stored is None:
        raise UsageError(f"Jeg finner ikke noe arrangement #{args.event_id}; numrene står i "
                         "`/lhl arrangementer`.")
    if stored.event.created_by != ctx.user_id and not ctx.is_admin:
        raise UsageError(f"Arrangement #{args.event_id} ble ført av <@{stored.event.created_by}>, "
                         "og bare den som førte det eller en administrator kan slette det.")
    before = event_state(args.event_id, session=session)
    assert before is not None
    delete_item(entries.EVENT, args.event_id, before, by=ctx.user_id, now=ctx.now,
                session=session)
    return plain_reply(f"Slettet: {what(stored)} for "
                       f"{ctx.geo.embeter[stored.event.embete_id].navn} (#{args.event_id}).")


# --- the form ---------------------------------------------------------------------------------


def _from_form(submitted: Submitted) -> Parsed:
    fields = {"målgruppe": submitted.text("malgruppe") or "",
              "hovedtema": submitted.text("hovedtema") or "",
              "ønsker": ", ".join(submitted.ticked("onsker")) or _NONE}
    embete = submitted.ctx.geo.embeter.get(submitted.chosen("embete") or "")
    if embete is not None:
        fields["embete"] = embete.kortnavn
    return Parsed(new_event(submitted.chosen("type") or "", submitted.text("tittel") or "",
                            date_text(submitted.date()), fields, submitted.ctx))


NEW_FORM = Form(
    "arrangement-ny", "Nytt arrangement",
    (choice_field("type", "Type", [(k, k.capitalize()) for k in EVENT_KINDS],
                  placeholder="Konferanse, seminar, webinar eller samling"),
     text_field("tittel", "Tittel", max_chars=TITLE_CHARS, optional=False),
     date_field(hint="Dagen arrangementet holdes; en dato som er passert, føres som holdt."),
     text_field("malgruppe", "Målgruppe", max_chars=TEXT_CHARS, optional=False,
                placeholder="For eksempel ledere og politikere i kommunene"),
     text_field("hovedtema", "Hovedtema", max_chars=TEXT_CHARS, optional=False,
                hint="Nevner det et innsatsområde (mat, aktivitet, helsehjelp, sammenheng, "
                     "aldersvennlig), vises området ved siden av."),
     checkbox_field("onsker", "Ønsker deltakelse fra", [(_HDIR, HDIR), (_HOD, HOD)]),
     embete_field(hint="Embetet arrangementet hører til; tomt: ditt eget.")),
    build=_from_form, opens=lambda rest: fold(rest.strip()) == "ny",
    opened_by="arrangement ny")


COMMAND = CommandSpec(
    name="arrangement",
    summary="fører en konferanse, et seminar, et webinar eller en samling for kommunene "
            "(oversikten Hdir ber om), eller sletter et.",
    usage=USAGE,
    examples=(EXAMPLE, 'arrangement ny webinar "Matvennlige kommuner" 3. mars målgruppe: '
                       "kjøkkenledere hovedtema: mat", "arrangement slett 3"),
    writes=True,
    parse=parse,
    execute=execute,
    aliases=("arr",),
    forms=(NEW_FORM,),
    details=("Datoen uten år er neste slike dag (`12. mai` i november er neste mai); en dato "
             "som er passert (`i går`, `12.05.2026`), føres som holdt. Hovedtemaet er fri "
             f"tekst; nevner det et innsatsområde ({SHORT_FORMS} eller hele navnet), vises "
             "det. «ønsker:» er `hdir`, "
             "`hod` (eller `politisk ledelse`), `begge` eller `ingen` (standard). Arrangementet "
             "hører til ditt embete; en administrator skriver `embete: Agder`. Slett et med "
             "`/lhl arrangement slett <nr>` (ditt eget; en administrator alle)."),
)

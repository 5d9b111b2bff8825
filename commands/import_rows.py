"""The rows of a spreadsheet read as what ``/lhl import`` stores: for each row its kommune and
the facts it holds (a dialogue meeting offered or held, an invitation to a learning network or
taking part in one, a plan status, a phase), or why it cannot be read.

The same rules as the typed commands, cell by cell:

* the kommune by name (today's, a former one, a Sami or Kven one) or number, as
  ``commands.parse.places`` reads it: a name several kommuner have or had (Herøy) is settled by
  the user's own embete or the row is refused, never guessed; a «Kommunenr» column settles it
  too, and a name and number that are not the same kommune are refused;
* a date as a date cell, or written ``12.05.2026``, ``2026-05-12``, ``12. mai 2026``
  (``commands.parse.dates``), always with its year, on a day that has happened and from 2019;
  anything else (``våren 2020``) makes the row unreadable;
* the plan status in the words of ``/lhl plan`` (``vedtatt``, ``prosess``) with its date (in the
  cell or in «Plandato»), or a date in a «Plan vedtatt» or «Prosess beskrevet» column; the phase
  1–4, from «Fasedato» (none: today, as ``/lhl fase`` without a date);
* «Tema», «Med» and «Notat» go with the held meeting of the row (else its offer), checked as
  ``logg-møte`` checks them.

An empty cell, or ``nei``, ``-`` or ``ingen``, means there is nothing to import for that column.
One unreadable cell makes the whole row unreadable: none of it is imported.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime

from commands.base import Context, UsageError
from commands.import_file import HEADERS, Cell, Table
from commands.meetings import MeetingFields, meeting_fields
from commands.parse.dates import FIRST_YEAR, PAST, YEAR_OUTSIDE, parse_date
from commands.parse.fields import IDENTITY_NUMBER
from commands.parse.places import Home, NameNote, resolve_kommune
from commands.plan import status_of
from storage.models import PHASES, PLAN_ADOPTED, PLAN_PROCESS
from storage.reference import KommuneRef
from voice.reply import said
from voice.words import date_in_words, echo

HELD = "held"
OFFERED = "offered"
INVITED = "invited"
JOINED = "joined"
PLAN = "plan"
PHASE = "phase"
KINDS = (HELD, OFFERED, INVITED, JOINED, PLAN, PHASE)
"""What a row can hold, in the order a dry run counts them."""
NETWORK_CHARS = 200
NOTHING = frozenset({"nei", "-", "–", "ingen"})
"""Cells that mean nothing to import, like an empty one."""
_YEAR = re.compile(r"\d{4}|^\s*\d{1,2}[./]\d{1,2}[./]\d{2}\s*$")
_NUMBER_AND_NAME = re.compile(r"^(\d{3,4})\s+(\D.*)$")
_PHASE = re.compile(r"\d+")


@dataclass(frozen=True)
class Fact:
    """One thing a row says about its kommune."""

    kind: str
    row: int
    kommune: KommuneRef
    dato: date
    value: str | int | None = None
    """The plan status (``vedtatt``, ``prosess``) or the phase."""
    network: str | None = None
    """The learning network the row names (None: the default one, see ``commands.importer``)."""
    fields: MeetingFields | None = None
    """A meeting's theme, partners and note."""


@dataclass(frozen=True)
class Row:
    number: int
    written: str
    """The kommune as the row writes it."""
    kommune: KommuneRef
    facts: tuple[Fact, ...]
    note: NameNote | None = None
    """How a former or shared name was read."""


@dataclass(frozen=True)
class BadRow:
    number: int
    written: str
    reason: str

    @property
    def line(self) -> str:
        """``rad 7 «Heroy»: Det finnes to kommuner …``"""
        return f"{self.short}: {self.reason}"

    @property
    def short(self) -> str:
        """``rad 7 «Heroy»``"""
        return f"rad {self.number} «{said(echo(self.written, 40))}»" if self.written else (
            f"rad {self.number}")


class _Bad(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Reading:
    rows: tuple[Row, ...]
    """The rows that can be read (some with no facts: only the kommune)."""
    bad: tuple[BadRow, ...]


def read_rows(table: Table, ctx: Context) -> Reading:
    """Every row of ``table`` read, or why it cannot be."""
    home = functools.cache(ctx.home_embete) if ctx.home_embete is not None else None
    rows: list[Row] = []
    bad: list[BadRow] = []
    for number, cells in table.rows:
        written = _written(table, cells)
        try:
            kommune, note = _kommune(table, cells, ctx, home)
            facts = _facts(table, cells, number, kommune, ctx)
        except _Bad as problem:
            bad.append(BadRow(number, written, problem.reason))
            continue
        rows.append(Row(number, written, kommune, facts, note))
    return Reading(tuple(rows), tuple(bad))


# --- the kommune ------------------------------------------------------------------------------


def _text(cell: Cell) -> str:
    """What a cell says as text (a whole number without ``.0``); "" for nothing."""
    if cell is None or isinstance(cell, bool):
        return "" if cell is None else str(cell)
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = " ".join(str(cell).split())
    return "" if text.lower() in NOTHING else text


def _written(table: Table, cells: tuple[Cell, ...]) -> str:
    return _text(table.cell(cells, "kommune")) or _text(table.cell(cells, "kommunenr"))


def _kommune(table: Table, cells: tuple[Cell, ...], ctx: Context,
             home: Home | None
             ) -> tuple[KommuneRef, NameNote | None]:
    name = _text(table.cell(cells, "kommune"))
    number = _text(table.cell(cells, "kommunenr"))
    both = _NUMBER_AND_NAME.match(name)
    if both and not number:  # «4204 Kristiansand»
        number, name = both[1], both[2]
    if number.isdigit() and len(number) < 4:
        number = number.zfill(4)  # 301 in a number cell is Oslo's 0301
    if not name and not number:
        raise _Bad("kommunen mangler")
    by_number = _resolve(number, ctx, home) if number else None
    if by_number is None:
        return _resolve(name, ctx, home)
    if name:
        try:
            by_name = _resolve(name, ctx, None)
        except _Bad:
            return by_number  # the number tells a shared (or unknown) name apart
        if by_name[0] != by_number[0]:
            raise _Bad(f"kommunenummer {number} er {by_number[0].navn}, ikke «{said(echo(name))}»; "
                       "rett ett av dem")
    return by_number


def _resolve(text: str, ctx: Context, home: Home | None
             ) -> tuple[KommuneRef, NameNote | None]:
    try:
        found = resolve_kommune(text, ctx.geo, home=home)
    except UsageError as exc:
        raise _Bad(exc.shown) from None
    return found.kommune, (found.notes[0] if found.notes else None)


# --- what the row holds -----------------------------------------------------------------------


def _facts(table: Table, cells: tuple[Cell, ...], number: int, kommune: KommuneRef,
           ctx: Context) -> tuple[Fact, ...]:
    def day(field: str) -> date | None:
        return _date(table.cell(cells, field), table.headers.get(field, field), ctx)

    facts: list[Fact] = []

    def add(kind: str, dato: date | None, *, network: str | None = None,
            fields: MeetingFields | None = None) -> None:
        if dato is not None:
            facts.append(Fact(kind, number, kommune, dato, network=network, fields=fields))

    fields = _meeting_fields(table, cells)
    offered, held = day("tilbud"), day("holdt")
    if fields is not None and held is None and offered is None:
        raise _Bad(f"{_named(table, fields)} hører til et dialogmøte, men raden har ingen dato "
                   f"for møtet; skriv den i «{_header(table, 'holdt')}»")
    add(OFFERED, offered, fields=fields if held is None else None)
    add(HELD, held, fields=fields)
    network = _text(table.cell(cells, "nettverk")) or None
    if network is not None and len(network) > NETWORK_CHARS:
        raise _Bad(f"navnet på læringsnettverket er over {NETWORK_CHARS} tegn")
    add(INVITED, day("invitert"), network=network)
    add(JOINED, day("deltar"), network=network)
    for plan in _plans(table, cells, ctx):
        facts.append(Fact(PLAN, number, kommune, plan[1], value=plan[0]))
    phase = _phase(table, cells, ctx)
    if phase is not None:
        facts.append(Fact(PHASE, number, kommune, phase[1], value=phase[0]))
    return tuple(facts)


def _header(table: Table, field: str) -> str:
    """The header of ``field`` as the file writes it (the template's when it has none), for a
    sentence about a row."""
    return said(table.headers.get(field, HEADERS[field][0]))


def _meeting_fields(table: Table, cells: tuple[Cell, ...]) -> MeetingFields | None:
    labels = {f: _text(table.cell(cells, f)) for f in ("tema", "med", "notat")}
    labels = {f: v for f, v in labels.items() if v}
    if not labels:
        return None
    try:
        return meeting_fields(labels)
    except UsageError as exc:
        if exc.reason == IDENTITY_NUMBER:
            raise _Bad(f"{_FIELD_NAMES.get(exc.field or '', 'teksten')} ser ut til å inneholde "
                       "et fødselsnummer (11 sifre); lhl fører arbeidet med kommunene, ikke "
                       "personopplysninger, så skriv det uten nummeret") from None
        raise _Bad(exc.shown) from None


_FIELD_NAMES = {"tema": "temaet", "med": "«med»", "notat": "notatet"}


def _named(table: Table, fields: MeetingFields) -> str:
    filled = [f for f, v in (("notat", fields.notat), ("tema", fields.tema), ("med", fields.med))
              if v]
    return " og ".join(f"«{_header(table, f)}»" for f in filled)


def _plans(table: Table, cells: tuple[Cell, ...], ctx: Context) -> list[tuple[str, date]]:
    found: list[tuple[str, date]] = []
    written = _text(table.cell(cells, "plan"))
    on = _date(table.cell(cells, "plandato"), _header(table, "plandato"), ctx)
    if written:
        header = _header(table, "plan")
        status = status_of(written)
        if status is None:
            raise _Bad(f"planstatus «{said(echo(written))}» i «{header}» kjenner jeg ikke; skriv "
                       "«vedtatt» (planen er vedtatt) eller «prosess» (prosessen er beskrevet)")
        in_cell = _date(status[1], header, ctx) if status[1] else None
        dato = in_cell or on
        if dato is None:
            raise _Bad(f"planstatus «{said(echo(written))}» mangler dato; skriv den i en kolonne "
                       f"«{_header(table, 'plandato')}», for eksempel 12.05.2021")
        found.append((status[0], dato))
    elif on is not None:
        raise _Bad(f"«{_header(table, 'plandato')}» er fylt ut, men ikke planstatus; skriv "
                   f"«vedtatt» eller «prosess» i «{_header(table, 'plan')}»")
    for field, status_word in (("prosess", PLAN_PROCESS), ("vedtatt", PLAN_ADOPTED)):
        dato = _date(table.cell(cells, field), _header(table, field), ctx)
        if dato is not None:
            found.append((status_word, dato))
    return found


def _phase(table: Table, cells: tuple[Cell, ...], ctx: Context) -> tuple[int, date] | None:
    written = _text(table.cell(cells, "fase"))
    on = _date(table.cell(cells, "fasedato"), _header(table, "fasedato"), ctx)
    if not written:
        if on is not None:
            raise _Bad(f"«{_header(table, 'fasedato')}» er fylt ut, men ikke fasen; skriv "
                       f"1–4 i «{_header(table, 'fase')}»")
        return None
    number = _PHASE.search(written)
    if number is None or int(number[0]) not in PHASES:
        raise _Bad(f"fasen «{said(echo(written))}» finnes ikke; reformen har fasene 1–4")
    return int(number[0]), on or ctx.now.date()


# --- dates ------------------------------------------------------------------------------------


def _date(cell: Cell, header: str, ctx: Context) -> date | None:
    """A day from a cell: a date cell or a date written with its year; None for an empty
    cell."""
    if isinstance(cell, datetime):
        found = cell.date()
    elif isinstance(cell, date):
        found = cell
    else:
        text = _text(cell)
        if not text:
            return None
        if isinstance(cell, int | float):
            raise _Bad(f"«{said(text)}» i «{header}» er ingen dato; skriv den som 12.05.2025 eller "
                       "12. mai 2025, eller gjør cellen til en dato i Excel")
        try:
            read = parse_date(text, ctx.now, direction=PAST)
        except UsageError as exc:
            if exc.reason == YEAR_OUTSIDE:
                raise _Bad(f"datoen «{said(echo(text))}» i «{header}» er utenfor årene lhl fører "
                           f"({FIRST_YEAR}–{ctx.now.year})") from None
            raise _Bad(f"datoen «{said(echo(text))}» i «{header}»: {exc.shown}") from None
        if read is None:
            raise _Bad(f"datoen «{said(echo(text))}» i «{header}» kan ikke leses; skriv den som "
                       "12.05.2025 eller 12. mai 2025")
        if not _YEAR.search(text):
            raise _Bad(f"datoen «{said(echo(text))}» i «{header}» mangler år; skriv for eksempel "
                       f"{read.day}.{read.month:02d}.{read.year}")
        found = read
    if found.year < FIRST_YEAR:
        raise _Bad(f"datoen {date_in_words(found)} i «{header}» er før {FIRST_YEAR}, da "
                   "reformen begynte")
    if found > ctx.now.date():
        raise _Bad(f"datoen {date_in_words(found)} i «{header}» er fram i tid")
    return found

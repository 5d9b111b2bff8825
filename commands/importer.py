"""``/lhl import [fil] [--alt-eller-ingenting]`` and ``/lhl import mal``: bring an embete's own
spreadsheet in (``.xlsx`` or ``.csv``), one row per kommune or per meeting.

The file comes from where the user is (``Context.files``): in Slack the newest ``.xlsx``/``.csv``
the user shared in the channel (or in a direct message with the bot) in the last day, or the
file a link or file id names; in the console a path. It is read by ``commands.import_file``
(the columns) and ``commands.import_rows`` (each row, by the same rules as the typed commands).

``/lhl import`` stores nothing. It answers with a dry run: how many rows can be read and, for
each that cannot, why (by its row number in Excel); how a former or shared name was read; what
would be stored; what is stored already and skipped; and a button. The button runs
``/lhl import <fil> --lagre`` through the normal path as the one who presses it, which reads
the file again (its content must be what the dry run saw: ``--sjekk``) and checks every row
again, inside the write transaction:

* Without unreadable rows the button imports all or nothing (``--alt-eller-ingenting``): if a
  row has become unreadable since (access changed), nothing is stored and the answer says why.
* With unreadable rows it imports the rows that can be read, and says so before it is pressed.

``/lhl import [fil] --alt-eller-ingenting`` typed imports at once, without a dry run, when every
row can be read, and stores nothing (saying why) when one cannot.

The import is one transaction and one change in the log (``changes.IMPORTED``), so ``/lhl
logg`` lists it as one entry and ``/lhl angre`` and ``/lhl slett <nr>`` take it all back.

What is stored where (the existing write paths, ``storage.imports``):

* «Tilbud om dialogmøte» and «Dialogmøte holdt»: a dialogue meeting offered or held, one per
  row and kommune, with «Tema», «Med» and «Notat» on the held one (else on the offer).
* «Invitert til læringsnettverk» and «Deltar i læringsnettverk»: an invitation and a
  participation period in the network the row names in «Læringsnettverk» (in the kommune's
  embete; made when the embete has none of that name), else in the embete's
  «Læringsnettverk (importert)» (made on first use).
* «Plan» and «Fase»: a plan status or a phase from its date, as ``/lhl plan`` and ``/lhl fase``.

Something already stored is skipped and counted, never stored twice: a dialogue meeting held
(offered) with the kommune on the same day; an invitation to the same network, or, for a row
that names no network, a kommune that already counts as invited (taking part) on that day; a
plan status or phase the kommune already has on that day. The same within the file.

Access as for typed writes: a reader or a user without access imports nothing, a coordinator
only the kommuner of their own embete (a row with another embete's kommune cannot be read).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlmodel import Session

from commands import plan
from commands.access import own_embete, writer_embete
from commands.base import (
    COMMAND_ACTION_PREFIX,
    CommandSpec,
    Context,
    FileIn,
    UsageError,
    check_file,
    command_button,
)
from commands.import_file import Table, read_table
from commands.import_rows import (
    HELD,
    INVITED,
    JOINED,
    KINDS,
    OFFERED,
    PHASE,
    PLAN,
    BadRow,
    Fact,
    Reading,
    read_rows,
)
from commands.import_template import FILENAME, template
from commands.import_words import counted, counts_in_words, file_name
from commands.meetings import theme_areas
from storage import imports
from storage.imports import Import, Membership, NetworkName, NewEntry, NewMeeting, NewMembership
from storage.models import HELD as HELD_STATUS
from storage.models import OFFERED as OFFERED_STATUS
from storage.models import Network
from storage.plans import FASE_T, PLAN_T
from voice.reply import (
    SECTION_CHARS,
    Attachment,
    Reply,
    actions,
    plain_reply,
    reply,
    said,
    shortened,
)
from voice.text import QUOTE_CLOSERS, fold
from voice.words import date_in_words, echo, join_names

USAGE = "import [fil] [--alt-eller-ingenting] | import mal"
DEFAULT_NETWORK = "Læringsnettverk (importert)"
"""Where a row that names no network is invited and takes part, per embete."""
NOTES_SHOWN = 10
DUPLICATES_SHOWN = 10
BAD_CHARS = SECTION_CHARS - 300
"""The unreadable rows are listed within this (the first in full, then by number)."""
ACTION_ID_CHARS = 255
"""Slack's limit on a button's ``action_id``, which holds the command (``command_button``)."""
NO_FILES = ("Import virker i Slack og i konsollen: i Slack deler du fila i kanalen og skriver "
            "`/lhl import`, i konsollen skriver du `/lhl import <sti til fila>`.")
_FLAG = re.compile(r"(?:^|\s)--(lagre|alt-eller-ingenting|alt|sjekk\s+([a-p]+))\s*$", re.I)
_DIGEST_LETTERS = "abcdefghijklmnop"
"""A digest written in letters: a run of digits in a button's value could look like an identity
number to the check every written text passes."""

Verb = Literal["vis", "lagre", "mal", "avbryt"]


@dataclass(frozen=True)
class Args:
    verb: Verb
    file: FileIn | None = None
    table: Table | None = None
    reading: Reading | None = None
    all_or_nothing: bool = False


def digest(file: FileIn) -> str:
    """Ten letters that tell one content from another (the press reads the same file)."""
    return "".join(_DIGEST_LETTERS[int(c, 16)] for c in hashlib.sha256(file.content)
                   .hexdigest()[:10])


# --- parsing ----------------------------------------------------------------------------------


def parse(text: str, ctx: Context) -> Args:
    rest = text.strip()
    save = all_or_nothing = False
    check: str | None = None
    while (flag := _FLAG.search(rest)) is not None:
        word = fold(flag[1])
        if word == "lagre":
            save = True
        elif word.startswith("alt"):
            all_or_nothing = True
        else:
            check = flag[2].lower()
        rest = rest[:flag.start()].strip()
    save = save or all_or_nothing  # typed, it imports at once: all rows, or nothing
    if re.search(r"(?:^|\s)--\S", rest):
        raise UsageError("`/lhl import` kjenner bare `--alt-eller-ingenting` (importer ingenting "
                         "om ikke alle rader kan leses); skriv for eksempel "
                         "`/lhl import --alt-eller-ingenting`.")
    if fold(rest) == "mal" and not save:
        return Args("mal")
    if fold(rest) == "avbryt" and not save:
        return Args("avbryt")
    if ctx.files is None:
        raise UsageError(NO_FILES)
    file = ctx.files.find(_unquoted(rest) or None)
    check_file(file.name, len(file.content))
    if check is not None and check != digest(file):
        raise UsageError(f"{file_name(file.name)} er endret siden du så gjennomgangen, så "
                         "ingenting ble importert; se hva som blir lagret nå med "
                         f"`/lhl import {file.ref}`.")
    table = read_table(file)
    return Args("lagre" if save else "vis", file, table, read_rows(table, ctx), all_or_nothing)


def _unquoted(text: str) -> str:
    return text.strip().strip("".join(QUOTE_CLOSERS)).strip()


def reads_only(args: Args) -> bool:
    return args.verb != "lagre"


# --- checking against the store ---------------------------------------------------------------


@dataclass
class Checked:
    """A file's rows checked against the store and the user's access."""

    new: list[Fact] = field(default_factory=list)
    already: list[Fact] = field(default_factory=list)
    """Stored already (or earlier in the file): skipped."""
    bad: list[BadRow] = field(default_factory=list)
    good_rows: int = 0
    empty_rows: int = 0
    """Rows that can be read but hold nothing but the kommune."""
    new_networks: list[NetworkName] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: sum(f.kind == k for f in self.new) for k in KINDS}


def check(reading: Reading, session: Session, ctx: Context) -> Checked:
    """What importing ``reading`` would do now: raises UsageError for a user who may not
    write at all; a row with a kommune of another embete than a coordinator's is unreadable."""
    writer = writer_embete(ctx, session=session)
    out = Checked(bad=list(reading.bad))
    networks = imports.networks_by_name(session=session)
    rows = []
    for row in reading.rows:
        if not ctx.is_admin and writer is not None and row.kommune.embete_id != writer:
            out.bad.append(BadRow(row.number, row.written, (
                f"{row.kommune.navn} hører til {ctx.geo.embeter[row.kommune.embete_id].navn}, "
                f"og du fører for {ctx.geo.embeter[writer].navn}")))
            continue
        problem = next((p for p in (_outside_period(f, networks) for f in row.facts) if p), None)
        if problem:
            out.bad.append(BadRow(row.number, row.written, problem))
            continue
        rows.append(row)
        if row.note is not None:
            out.notes.append(f"rad {row.number}: {row.note.sentence}")
    out.bad.sort(key=lambda b: b.number)
    out.good_rows = len(rows)
    out.empty_rows = sum(not r.facts for r in rows)
    facts = [f for r in rows for f in r.facts]
    _Store(facts, networks, session).split(out)
    return out


def _network(fact: Fact) -> NetworkName:
    return NetworkName(fact.kommune.embete_id, fact.network or DEFAULT_NETWORK)


def _outside_period(fact: Fact, networks: dict[tuple[str, str], Network]) -> str | None:
    """Why an invitation or participation cannot be in the named network on its day: before
    the network began or after it ended (``nettverk inviter`` and ``deltar`` refuse the same)."""
    if fact.kind not in (INVITED, JOINED) or fact.network is None:
        return None
    found = networks.get(_network(fact).key)
    if found is None:
        return None
    if found.fra is not None and fact.dato < found.fra:
        return (f"«{said(found.navn)}» begynte {date_in_words(found.fra)}, så ingen kan være "
                f"invitert eller delta {date_in_words(fact.dato)}")
    if found.til is not None and fact.dato > found.til:
        return (f"«{said(found.navn)}» sluttet {date_in_words(found.til)}, så ingen kan være "
                f"invitert eller delta {date_in_words(fact.dato)}")
    return None


class _Store:
    """What the store holds for the kommuner of a file, and what the file adds as it is read
    row by row: so that a fact already there, or earlier in the file, is told apart."""

    def __init__(self, facts: Sequence[Fact], networks: dict[tuple[str, str], Network],
                 session: Session) -> None:
        kommuner = sorted({f.kommune.nummer for f in facts})
        self.facts = facts
        self.networks = networks
        self.meetings = imports.dialogue_meetings_on(
            kommuner, [f.dato for f in facts if f.kind in (HELD, OFFERED)], session=session)
        keys = {n.id: k for k, n in networks.items()}
        self.members: dict[str, list[tuple[tuple[str, str], Membership]]] = {}
        for m in imports.memberships(kommuner, session=session):
            self.members.setdefault(m.kommune, []).append((keys[m.network_id], m))
        self.histories = {
            PLAN: _sequenced(imports.histories(PLAN_T, kommuner, session=session)),
            PHASE: _sequenced(imports.histories(FASE_T, kommuner, session=session)),
        }
        self.written = 0

    def split(self, out: Checked) -> None:
        made: set[tuple[str, str]] = set()
        for fact in self.facts:
            if not self._adds(fact):
                out.already.append(fact)
                continue
            out.new.append(fact)
            if fact.kind in (INVITED, JOINED):
                key = _network(fact).key
                if key not in self.networks and key not in made:
                    made.add(key)
                    out.new_networks.append(_network(fact))

    def _adds(self, fact: Fact) -> bool:
        """Whether ``fact`` adds something; if it does, it is counted as stored from now on."""
        k = fact.kommune.nummer
        if fact.kind in (HELD, OFFERED):
            seen = (k, HELD_STATUS if fact.kind == HELD else OFFERED_STATUS, fact.dato)
            if seen in self.meetings:
                return False
            self.meetings.add(seen)
            return True
        if fact.kind in (PLAN, PHASE):
            history = self.histories[fact.kind].setdefault(k, [])
            if _as_of(history, fact.dato) == fact.value:
                return False
            self.written += 1
            history.append((fact.dato, 1_000_000 + self.written, fact.value))
            return True
        key = _network(fact).key
        mine = self.members.setdefault(k, [])
        if fact.kind == INVITED:
            there = any(n == key and m.invited for n, m in mine)
            if there or (fact.network is None and _invited(mine, fact.dato)):
                return False
            mine.append((key, Membership(0, k, True, fact.dato, None, None)))
            return True
        in_network = [m for n, m in mine if n == key and not m.invited]
        if (any(m.til is None or m.til > fact.dato or m.dato == fact.dato for m in in_network)
                or (fact.network is None and _taking_part(mine, fact.dato))):
            return False
        mine.append((key, Membership(0, k, False, fact.dato, None, None)))
        return True


def _sequenced(histories: dict[str, list[tuple[date, object]]]
               ) -> dict[str, list[tuple[date, int, object]]]:
    return {k: [(d, i, v) for i, (d, v) in enumerate(rows)] for k, rows in histories.items()}


def _as_of(history: list[tuple[date, int, object]], day: date) -> object:
    """A kommune's value on ``day``: that of its latest row on or before it (the same day:
    the one written last), as ``storage.plans`` reads it."""
    before = [e for e in history if e[0] <= day]
    return max(before, key=lambda e: (e[0], e[1]))[2] if before else None


def _invited(members: list[tuple[tuple[str, str], Membership]], day: date) -> bool:
    """Invited to any network on ``day`` (taking part implies the invitation)."""
    return any(m.dato <= day for _, m in members)


def _taking_part(members: list[tuple[tuple[str, str], Membership]], day: date) -> bool:
    return any(not m.invited and m.dato <= day and (m.til is None or m.til > day)
               and (m.network_til is None or m.network_til >= day) for _, m in members)


# --- the answers ------------------------------------------------------------------------------


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    if args.verb == "mal":
        return _template(session, ctx)
    if args.verb == "avbryt":
        return plain_reply("Ok, ingenting ble importert.")
    assert args.file is not None and args.table is not None and args.reading is not None
    checked = check(args.reading, session, ctx)
    if args.verb == "vis":
        return _dry_run(args, checked, ctx)
    return _store(args, checked, session, ctx)


def _template(session: Session, ctx: Context) -> Reply:
    embete = own_embete(ctx, session=session)
    kommuner = ctx.geo.kommuner_i(embete.id) if embete else ()
    filled = (f" med de {len(kommuner)} kommunene i {embete.navn} fylt inn" if embete
              else "")
    lines = [f"Her er malen for `/lhl import`{filled}: {FILENAME}.",
             "Skriv datoene i kolonnene for det som har skjedd (som datoer i Excel, eller "
             "12.05.2025); tomme celler importeres ikke. Arket «Slik fyller du ut» forklarer "
             "hver kolonne. Del fila her og skriv `/lhl import` når den er fylt ut."]
    return reply("\n".join(lines), files=[Attachment(FILENAME, template(kommuner),
                                                    "Mal for import til lhl")])


def _heading(args: Args, checked: Checked) -> str:
    assert args.file is not None and args.table is not None
    where = f" (arket «{said(args.table.sheet)}»)" if args.table.sheet else ""
    read = f"{counted(checked.good_rows, 'rad', 'rader')} kan leses"
    if not checked.bad:
        return f"Gjennomgang av {file_name(args.file.name)}{where}: {read}."
    return (f"Gjennomgang av {file_name(args.file.name)}{where}: {read}, "
            f"{len(checked.bad)} kan ikke:")


def _bad_lines(checked: Checked) -> list[str]:
    full = [f"• {b.line}" for b in checked.bad]
    short = [f"• {b.short}" for b in checked.bad]
    shown = shortened(full, short, limit=BAD_CHARS)
    if len(shown) < len(full):
        shown.append(f"… og {counted(len(full) - len(shown), 'rad', 'rader')} til som ikke "
                     "kan leses.")
    return shown


def _more(lines: list[str], total: int, shown: int, what: str = "") -> list[str]:
    """``lines`` and, when more than ``shown`` of ``total`` were left out, how many."""
    noun = f" {what}" if what else ""
    return lines + ([f"… og {total - shown}{noun} til."] if total > shown else [])


def _dry_run(args: Args, checked: Checked, ctx: Context) -> Reply:
    assert args.file is not None and args.table is not None
    lines = [_heading(args, checked), *_bad_lines(checked)]
    if checked.notes:
        lines.append("Slik leste jeg navnene:")
        lines += _more([f"• {n}" for n in checked.notes[:NOTES_SHOWN]], len(checked.notes),
                       NOTES_SHOWN, "navn")
    what = counts_in_words(checked.counts())
    lines.append(f"Blir lagret: {what}." if what else "Ingenting nytt blir lagret.")
    lines += _network_lines(checked, ctx)
    lines += _already_lines(checked, ctx)
    if checked.empty_rows:
        lines.append(f"{counted(checked.empty_rows, 'rad', 'rader')} har bare kommunen og "
                     "ingenting å lagre.")
    unknown = args.table.unknown
    if unknown:
        named = join_names([f"«{said(echo(u, 40))}»" for u in unknown[:8]])
        lines.append(f"Kolonnen {named} kjenner jeg ikke, så den er ikke lest."
                     if len(unknown) == 1 else
                     f"Kolonnene {named}{' med flere' if len(unknown) > 8 else ''} kjenner jeg "
                     "ikke, så de er ikke lest.")
    for second, first in args.table.repeated[:8]:
        same = "" if second.lower() == first.lower() else f" (som «{said(echo(first, 40))}»)"
        lines.append(f"Kolonnen «{said(echo(second, 40))}» står to ganger{same}; bare den første "
                     "er lest. Slå dem sammen eller flytt den andre til en egen fil.")
    if not checked.new:
        return plain_reply("\n".join(lines))
    ref = args.file.ref
    rows = counted(checked.good_rows, "raden", "radene")
    if checked.bad:
        label = f"Importer de {rows} som kan leses" if checked.good_rows > 1 else (
            "Importer raden som kan leses")
        command = f"import {ref} --lagre --sjekk {digest(args.file)}"
        lines.append(f"Bare {'de ' + rows if checked.good_rows > 1 else 'raden'} som kan leses, "
                     "blir importert. Rett de andre i fila og importer den på nytt om du vil ha "
                     "dem med; det som alt er lagret, hoppes over. "
                     f"`/lhl import {ref} --alt-eller-ingenting` importerer bare om alle rader "
                     "kan leses.")
    else:
        label = f"Importer de {rows}" if checked.good_rows > 1 else "Importer raden"
        command = f"import {ref} --lagre --alt-eller-ingenting --sjekk {digest(args.file)}"
        lines.append("Alt lagres på én gang, og `/lhl angre` tar hele importen tilbake.")
    typed = f"Skriv `/lhl {command}` for å importere, eller trykk «{label}»."
    if len(COMMAND_ACTION_PREFIX) + len(command) > ACTION_ID_CHARS:
        return plain_reply("\n".join([*lines, typed]))
    buttons = actions(command_button(label, command, style="primary"),
                      command_button("Avbryt", "import avbryt"))
    return reply("\n".join(lines), buttons, text="\n".join([*lines, typed]))


def _network_lines(checked: Checked, ctx: Context) -> list[str]:
    if not checked.new_networks:
        return []
    named = join_names([f"«{said(n.navn)}» for {ctx.geo.embeter[n.embete_id].navn}"
                        for n in checked.new_networks[:5]])
    more = f" og {len(checked.new_networks) - 5} til" if len(checked.new_networks) > 5 else ""
    noun = "Nytt læringsnettverk" if len(checked.new_networks) == 1 else "Nye læringsnettverk"
    return [f"{noun}: {named}{more}."]


def _already_lines(checked: Checked, ctx: Context) -> list[str]:
    if not checked.already:
        return []
    shown = [f"• rad {f.row}: {fact_in_words(f)}" for f in checked.already[:DUPLICATES_SHOWN]]
    return _more([f"Finnes allerede og hoppes over ({len(checked.already)}):", *shown],
                 len(checked.already), DUPLICATES_SHOWN)


def fact_in_words(fact: Fact) -> str:
    """``dialogmøte holdt med Vennesla 3. desember 2025``, ``Vennesla i fase 3 fra …``."""
    k, day = fact.kommune.navn, date_in_words(fact.dato)
    network = f"«{said(fact.network)}»" if fact.network else "læringsnettverk"
    if fact.kind == HELD:
        return f"dialogmøte holdt med {k} {day}"
    if fact.kind == OFFERED:
        return f"dialogmøte tilbudt {k} {day}"
    if fact.kind == INVITED:
        return f"{k} invitert til {network} {day}"
    if fact.kind == JOINED:
        return f"{k} deltar i {network} fra {day}"
    if fact.kind == PLAN:
        return f"{plan.DONE[str(fact.value)]} for {k} {day}"
    return f"{k} i fase {fact.value} fra {day}"


# --- the import -------------------------------------------------------------------------------


def _store(args: Args, checked: Checked, session: Session, ctx: Context) -> Reply:
    assert args.file is not None
    name = file_name(args.file.name)
    if checked.bad and args.all_or_nothing:
        listed = "; ".join(b.line for b in checked.bad[:5])
        more = f"; og {len(checked.bad) - 5} til" if len(checked.bad) > 5 else ""
        raise UsageError(
            f"{counted(len(checked.bad), 'rad', 'rader')} i {name} kan ikke leses, så "
            f"ingenting ble importert: {listed}{more}. Rett fila og prøv igjen, eller "
            f"importer bare radene som kan leses med `/lhl import {args.file.ref}`.")
    if not checked.new:
        return plain_reply(f"Alt i {name} er allerede lagret; ingenting nytt ble importert.")
    counts = checked.counts()
    embeter = {f.kommune.embete_id for f in checked.new}
    done = Import(
        file=args.file.name, ref=args.file.ref, rows=checked.good_rows, counts=counts,
        embete_id=next(iter(embeter)) if len(embeter) == 1 else None,
        meetings=tuple(_meeting(f) for f in checked.new if f.kind in (HELD, OFFERED)),
        invitations=tuple(NewMembership(_network(f), f.kommune.nummer, f.dato)
                          for f in checked.new if f.kind == INVITED),
        participations=tuple(NewMembership(_network(f), f.kommune.nummer, f.dato)
                             for f in checked.new if f.kind == JOINED),
        plans=tuple(NewEntry(str(f.value), f.kommune.nummer, f.dato)
                    for f in checked.new if f.kind == PLAN),
        phases=tuple(NewEntry(int(f.value or 0), f.kommune.nummer, f.dato)
                     for f in checked.new if f.kind == PHASE))
    change_id = imports.store_import(done, by=ctx.user_id, now=ctx.now, session=session)
    lines = [f"Importert fra {name}: {counts_in_words(counts)} "
             f"({counted(checked.good_rows, 'rad', 'rader')})."]
    lines += _network_lines(checked, ctx)
    if checked.already:
        lines.append(f"{len(checked.already)} fantes allerede og ble ikke lagret på nytt.")
    if checked.bad:
        rows = join_names([b.short for b in checked.bad[:10]])
        more = f" og {len(checked.bad) - 10} til" if len(checked.bad) > 10 else ""
        lines.append(f"{counted(len(checked.bad), 'rad', 'rader')} kunne ikke leses og ble "
                     f"ikke importert: {rows}{more}.")
    lines.append(f"Importen er #{change_id} i `/lhl logg`; `/lhl angre` tar hele importen "
                 "tilbake.")
    return plain_reply("\n".join(lines))


def _meeting(fact: Fact) -> NewMeeting:
    f = fact.fields
    return NewMeeting(HELD_STATUS if fact.kind == HELD else OFFERED_STATUS, fact.dato,
                      fact.kommune, tema=f.tema if f else None, med=f.med if f else None,
                      notat=f.notat if f else None,
                      areas=tuple(theme_areas(f.tema)) if f else ())


COMMAND = CommandSpec(
    name="import",
    summary="importerer et regneark (.xlsx eller .csv) med dialogmøter, læringsnettverk, plan "
            "og fase, én rad per kommune eller per møte; viser først hva som blir lagret.",
    usage=USAGE,
    examples=("import", "import mal", "import --alt-eller-ingenting"),
    writes=True,
    parse=parse,
    execute=execute,
    reads_only=reads_only,
    aliases=("importer",),
    details=("I Slack: del fila i kanalen (eller i en melding til meg) og skriv `/lhl import`; "
             "jeg tar den nyeste .xlsx- eller .csv-fila du har delt der det siste døgnet, eller "
             "den du limer inn lenken til. I konsollen: `/lhl import <sti>`. Først får du se "
             "hvor mange rader som kan leses, hvorfor de andre ikke kan det (med radnummeret i "
             "Excel), hva som blir lagret og hva som alt finnes; så lagrer knappen alt i én "
             "omgang, og `/lhl angre` tar hele importen tilbake. `--alt-eller-ingenting` "
             "importerer med én gang, men bare om alle radene kan leses. `/lhl import mal` gir "
             "en mal "
             "med kolonnene. Datoer skrives med år (12.05.2025, 12. mai 2025 eller som dato i "
             "Excel)."),
)

"""``/lhl rapport [embete|landet] [per <dato>|<år>] [--csv]``: the report to Hdir for 1 May and
1 November in one command: the figures, the meetings by type, the conferences and seminars and
a draft of the written assessment, as a message and a workbook (or a CSV).

Decisions (said in the help text and the README too):

* **Which embete.** Without one, the user's own. An admin who works for none names one. Anyone
  with a grant (koordinator or leser) and admins may get any one embete's report; the whole
  country's (``landet``) is for admins and readers (Hdir). Without a grant there is no report
  (``status`` stays open to all).
* **Per which day.** Without one, the next reporting deadline (1 May or 1 November) on or after
  today. ``per <dato>`` any day; a date without a year is the nearest such day, back or ahead
  (``per 1. mai`` in December is next May, in June this May). A year alone (``2025``, ``i
  fjor``) is per 31 December that year.
* **What counts.** The meetings of the day's calendar year up to the day, open plans to the end
  of that year, and networks, plans and phases as they stood on the day (see
  :mod:`commands.report_facts`). A day after today is said to be so: later entries may change
  the figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from commands.base import CommandSpec, Context, UsageError
from commands.event_words import what as event_what
from commands.fase import phase_counts_text
from commands.parse.dates import (
    FIRST_YEAR,
    FUTURE,
    PAST,
    parse_date,
    split_date_suffix,
    split_year,
)
from commands.parse.places import resolve_scope
from commands.report_draft import (
    DRAFT_HEADING,
    draft,
    events_in_words,
    meetings_in_words,
    span,
    where,
)
from commands.report_facts import FIGURES, Area, Report, build_report, next_deadline
from commands.report_sheets import ahead_note, report_file
from commands.workbooks import CSV, XLSX, file_kind_asked
from storage.models import READER
from storage.queries import grant_of
from storage.reference import MAP_YEAR, EmbeteRef
from voice.reply import Attachment, Reply, context, reply
from voice.words import date_in_words, echo, share

USAGE = "rapport [embete|landet] [per <dato>|<år>] [--csv]"
EXAMPLE = "rapport Agder per 1. mai 2027"
EVENTS_LISTED = 10
"""Events of one embete named in the message; more are counted."""
NO_GRANT = ("Rapporten er for dem som har tilgang til et embete, og det har du ikke ennå; be en "
            "administrator om å kjøre `/lhl tilgang gi @deg <embete> leser`, og se tallene med "
            "`/lhl status` så lenge.")
LANDET_ONLY = ("Rapporten for hele landet er for administratorer og lesere; tallene for alle "
               "embetene ser du med `/lhl status landet`, og rapporten for ett embete med "
               "`/lhl rapport Agder`.")
NO_EMBETE = ("Du hører ikke til et embete, så skriv hvilket: `/lhl rapport Agder`, eller "
             "`/lhl rapport landet` for hele landet.")
_PER = re.compile(r"(?:^|\s)per(?:\s+(.*))?$", re.IGNORECASE)
_TODAYS_MAP = "Tallene er regnet på dagens kommunekart."


@dataclass(frozen=True)
class Args:
    embete: EmbeteRef | None
    """None: the user's own (or the country, with ``landet``)."""
    landet: bool
    per: date | None
    """None: the next reporting deadline."""
    kind: str
    """:data:`~commands.workbooks.XLSX` or :data:`~commands.workbooks.CSV`."""
    notes: tuple[str, ...] = ()


def parse(text: str, ctx: Context) -> Args:
    rest, asked = file_kind_asked(text)
    kind = asked or XLSX
    rest, per = _per(rest, ctx)
    if per is not None and per.year > ctx.now.year + 1:
        raise UsageError(f"Rapporten kan gjelde en dag fra {FIRST_YEAR} til og med "
                         f"{ctx.now.year + 1}, for eksempel `/lhl {EXAMPLE}`.")
    if not rest:
        return Args(None, False, per, kind)
    scope = resolve_scope(rest, ctx.geo, home=ctx.home_embete,
                          form=(f"`/lhl {USAGE}`", f"`/lhl {EXAMPLE}`"))
    if scope.kind == "landet":
        return Args(None, True, per, kind)
    if scope.kind == "kommune":
        assert scope.kommune is not None
        raise UsageError(f"Rapporten gjelder et embete eller hele landet; for én kommune, skriv "
                         f"`/lhl status {scope.kommune.basenavn}`.")
    assert scope.embete is not None
    notes: tuple[str, ...] = ()
    if scope.kind == "fylke":
        assert scope.fylke is not None
        notes = (f"Rapporten gjelder hele embetet: {scope.fylke.navn} hører til "
                 f"{scope.embete.navn}.",)
    return Args(scope.embete, False, per, kind, notes)


def _per(text: str, ctx: Context) -> tuple[str, date | None]:
    """The text without its day, and the day: ``per <dato>``, a trailing date, or a trailing
    year (per 31 December)."""
    m = _PER.search(text)
    if m is not None:
        written = (m[1] or "").strip()
        found = _day_or_year(written, ctx) if written else None
        if found is None:
            shown = f"«{echo(written)}» er ingen dato jeg kan lese" if written else (
                "Datoen mangler etter «per»")
            raise UsageError(f"{shown}; skriv for eksempel `/lhl {EXAMPLE}` eller "
                             f"`/lhl rapport Agder {ctx.now.year - 1}`.")
        return text[: m.start()].strip(), found
    if not text:
        return text, None
    whole = nearest_day(text, ctx.now)
    if whole is not None:
        return "", whole
    split = split_date_suffix(text, ctx.now, direction=PAST)
    if split is not None:
        head = split[0]
        day = nearest_day(" ".join(text.split()[len(head.split()):]), ctx.now)
        return head, day
    return _year(text, ctx)


def _day_or_year(written: str, ctx: Context) -> date | None:
    found = nearest_day(written, ctx.now)
    if found is not None:
        return found
    head, year = _year(written, ctx)
    return year if not head else None


def _year(text: str, ctx: Context) -> tuple[str, date | None]:
    """``Agder 2025`` (or ``2025 Agder``) → (``Agder``, 31 December 2025); the text as it is
    without a year."""
    year = split_year(text, ctx.now)
    if year is None:
        return text, None
    last = ctx.now.year + 1
    if not FIRST_YEAR <= year.year <= last:
        raise UsageError(f"Året må være mellom {FIRST_YEAR} og {last}, for eksempel "
                         f"`/lhl rapport Agder {ctx.now.year - 1}`.")
    return year.head, date(year.year, 12, 31)


def nearest_day(text: str, now: datetime) -> date | None:
    """The day ``text`` names; one without a year (``1. mai``, ``fredag``) is the nearest such
    day, looking back or ahead (back when both are as near)."""
    back = parse_date(text, now, direction=PAST)
    if back is None:
        return None
    ahead = parse_date(text, now, direction=FUTURE)
    today = now.date()
    if ahead is not None and ahead - today < today - back:
        return ahead
    return back


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    embete = report_embete(args, ctx, session)
    per = args.per or next_deadline(ctx.now.date())
    report = build_report(embete, per, ctx=ctx, session=session)
    return message(report, report_file(report, ctx.geo, kind=args.kind), notes=args.notes)


def report_embete(args: Args, ctx: Context, session: Session) -> EmbeteRef | None:
    """The embete the user may have the report for (None: the whole country), or the sentence
    saying why not."""
    grant = grant_of(ctx.user_id, session=session)
    if grant is None and not ctx.is_admin:
        raise UsageError(NO_GRANT, reason="no access")
    if args.landet:
        if not ctx.is_admin and (grant is None or grant.rolle != READER):
            raise UsageError(LANDET_ONLY, reason="no access")
        return None
    embete = args.embete or (ctx.geo.embeter.get(grant.embete_id) if grant else None)
    if embete is None:
        raise UsageError(NO_EMBETE)
    return embete


# --- the message ------------------------------------------------------------------------------


def message(report: Report, file: Attachment, *, notes: tuple[str, ...] = ()) -> Reply:
    """The report as a message, with ``file`` attached."""
    period, area = report.period, report.whole
    who = area.embete.navn if area.embete else "hele landet"
    head = [*notes, f"*Rapport for {who} per {date_in_words(period.per)}*",
            f"Dialogmøter fra {span(period.first, period.per)}, planlagte til "
            f"{date_in_words(period.until)}; læringsnettverk, plan og fase per "
            f"{date_in_words(period.per)}."]
    if report.ahead:
        head.append(ahead_note(report))
    if period.per.year > report.today.year:
        head.append(f"Møtene i {report.today.year} ser du med "
                    f"`/lhl rapport {_place(report)} {report.today.year}`.")
    if period.per.year < MAP_YEAR:
        head.append(_TODAYS_MAP)
    figures = _landet_figures(report) if report.national else _figures(area)
    held_in = (f"Én rad per kommune med datoene står i filen {file.filename}."
               if file.filename.endswith(f".{CSV}") else
               f"Tallene og én rad per kommune med datoene står i arbeidsboken {file.filename}.")
    return reply("\n".join(head), figures, _activity(report),
                 f"*{DRAFT_HEADING}*\n" + "\n\n".join(draft(report)),
                 context(held_in),
                 files=[file])


def _place(report: Report) -> str:
    return report.whole.embete.kortnavn if report.whole.embete else "landet"


def _figures(area: Area) -> str:
    lines = [f"Kommuner: {area.total}"]
    lines += [f"{f.words}: {share(area.count(f.key), area.total)}" for f in FIGURES]
    lines.append(f"Fase: {phase_counts_text(area.phases(), area.total)}")
    return "\n".join(lines)


def _landet_figures(report: Report) -> str:
    rows = []
    for part in report.parts:
        n = part.total
        rows.append(f"• {where(part)} ({n}): " + ", ".join(
            f"{f.short} {share(part.count(f.key), n)}" for f in FIGURES))
    total = report.whole.total
    return "\n".join([*rows, f"*Totalt ({total} kommuner):*", _figures(report.whole)])


def _activity(report: Report) -> str:
    area, period = report.whole, report.period
    meetings = meetings_in_words(area.meetings) or "ingen"
    lines = [f"*Møter holdt fra {span(period.first, period.per)}:* {meetings}"]
    held, planned = area.held_events(period.per), area.planned_events(period.per)
    said = [f"holdt {len(held)}" + (f" ({events_in_words(held)})" if held else ""),
            f"planlagt resten av året {len(planned)}"
            + (f" ({events_in_words(planned)})" if planned else "")]
    lines.append(f"*Konferanser og seminarer i {period.per.year}:* {', '.join(said)}")
    if not report.national:
        events = [*held, *planned]
        lines += [f"• {event_what(e)}" + (" (planlagt)" if e.event.dato > period.per else "")
                  for e in events[:EVENTS_LISTED]]
        if len(events) > EVENTS_LISTED:
            lines.append(f"… og {len(events) - EVENTS_LISTED} til: "
                         f"`/lhl arrangementer {_place(report)} {period.per.year}`")
    return "\n".join(lines)


COMMAND = CommandSpec(
    name="rapport",
    summary=("lager rapporten til Hdir per 1. mai eller 1. november: tallene, møtene, "
             "konferansene og et utkast til vurdering, med en arbeidsbok (.xlsx) eller CSV."),
    usage=USAGE,
    examples=(EXAMPLE, "rapport", "rapport landet 2026", "rapport Vestland per 1. november --csv"),
    writes=False,
    parse=parse,
    execute=execute,
    aliases=("rapporten",),
    details=("Uten embete: ditt eget. Alle med tilgang (koordinator eller leser) og "
             "administratorer kan ta ut rapporten for et embete; `landet` (alle ti embetene, og "
             "i arbeidsboken én rad per kommune i hele landet) er for administratorer og lesere. "
             "Uten dato gjelder rapporten per neste rapportfrist (1. mai eller 1. november, i "
             "dag om fristen er i dag). `per <dato>` er en hvilken som helst dag (uten år: "
             "den nærmeste slike dagen); et år alene er per 31. desember det året. Dialogmøtene "
             "telles fra 1. januar det året til dagen, planlagte møter ut året, og "
             "læringsnettverk, plan og fase slik de var den dagen. Utkastet til vurdering er "
             "bygd bare av tallene; rediger det før du sender. `--csv` (eller `csv`) gir "
             "kommuneradene som CSV (UTF-8, semikolon) i stedet for arbeidsboken."),
)

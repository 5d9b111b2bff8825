"""``/lhl status [embete|fylke|kommune|landet] [år] [graf]``: where we stand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands import nominasjoner, nomination_words
from commands.access import own_embete
from commands.base import CommandSpec, Context, UsageError
from commands.example_words import examples_on_card
from commands.fase import phase_card_line, phase_counts_text
from commands.meetings import meeting_noun, theme_shown
from commands.nettverk import kommune_network_lines
from commands.parse.dates import FIRST_YEAR, split_year_suffix
from commands.parse.places import Scope, is_kommunenummer, resolve_scope
from commands.plan import plan_card_line
from commands.status_graf import area_reply, landet_reply, split_chart_word
from storage.models import DIALOGUE, HELD, OFFERED, PLANNED
from storage.networks import NetworkCounts, network_counts_by_embete, networks_of_kommune
from storage.plans import FASE_T, PLAN_T, history, phase_counts_by_embete, plan_counts_by_embete
from storage.queries import (
    Counts,
    KommuneMeeting,
    count_meetings_for_kommune,
    counts_by_embete,
    fulfilled,
    latest_held,
    meetings_for_kommune,
    planned_on,
)
from storage.reference import MAP_YEAR, EmbeteRef, KommuneRef
from voice.reply import Reply, reply, said, shortened
from voice.words import date_in_words, join_names, share

USAGE = "status [embete|fylke|kommune|landet] [år] [graf]"
CARD_NAMES = 5
"""Other kommuner of a meeting named on a card; more are counted."""
CARD_MEETINGS = 200
"""Meetings read for a kommune card; older ones are counted, not listed."""
NOTE_CHARS = 80
"""A meeting's note on the card is cut to this many characters; ``/lhl notat <nr>`` shows it
whole."""
TODAYS_MAP = "Tallene er regnet på dagens kommunekart."
"""Said under figures for a year before the kommunekart of the register (:data:`MAP_YEAR`)."""


@dataclass(frozen=True)
class Args:
    scope: Scope | None
    """None: the user's own embete (or the whole country for users without one)."""
    year: int
    chart: bool = False
    """``graf``: the chart of the place (an embete, a fylke or landet) instead of the
    figures."""


def parse(text: str, ctx: Context) -> Args:
    text, chart = split_chart_word(text.strip())
    year = ctx.now.year
    found = split_year_suffix(text, ctx.now)
    if found and not is_kommunenummer(found.written, ctx.geo):
        year = found.year
        if not FIRST_YEAR <= year <= ctx.now.year:
            raise UsageError(
                f"Året må være mellom {FIRST_YEAR} og {ctx.now.year}, for eksempel "
                f"`/lhl status Agder {ctx.now.year - 1}`."
            )
        text = found.head
    scope = resolve_scope(text, ctx.geo, home=ctx.home_embete) if text else None
    if chart and scope is not None and scope.kind == "kommune":
        assert scope.fylke is not None
        raise UsageError(
            "Grafene viser et embete, et fylke eller hele landet, ikke én kommune: skriv for "
            f"eksempel `/lhl status {scope.fylke.navn} graf` eller `/lhl status landet graf`.")
    return Args(scope, year, chart)


def execute(args: Args, *, session: Session, ctx: Context) -> Reply:
    scope = args.scope
    if scope is None:
        embete = own_embete(ctx, session=session)
        scope = Scope(kind="embete", embete=embete) if embete else Scope(kind="landet")
    if args.chart:
        return _chart(scope, args.year, ctx, session)
    if scope.kind == "kommune":
        assert scope.kommune is not None
        return _kommune(scope.kommune, args.year, ctx, session,
                        notes=[n.sentence for n in scope.notes])
    if scope.kind == "landet":
        return _landet(args.year, ctx, session)
    if scope.kind == "fylke":
        assert scope.fylke is not None
        kommuner = [k.nummer for k in ctx.geo.kommuner_i_fylke(scope.fylke.nummer)]
        return _area(f"{scope.fylke.navn} fylke", area_figures(
            args.year, ctx, session, embete_id=scope.fylke.embete_id, kommuner=kommuner))
    assert scope.embete is not None
    return _area(scope.embete.navn,
                 area_figures(args.year, ctx, session, embete_id=scope.embete.id))


def _chart(scope: Scope, year: int, ctx: Context, session: Session) -> Reply:
    """``status … graf``: landet's coverage per embete, or an embete's or a fylke's kommuner
    over time (``commands.status_graf``)."""
    as_of = figures_date(year, ctx)
    notes = [TODAYS_MAP] if year < MAP_YEAR else []
    if scope.kind == "landet":
        return landet_reply(year, as_of=as_of, ctx=ctx, session=session, notes=notes)
    if scope.kind == "fylke":
        assert scope.fylke is not None
        return area_reply(f"{scope.fylke.navn} fylke",
                          [k.nummer for k in ctx.geo.kommuner_i_fylke(scope.fylke.nummer)],
                          as_of=as_of, ctx=ctx, session=session, notes=notes)
    assert scope.embete is not None
    return area_reply(scope.embete.kortnavn,
                      [k.nummer for k in ctx.geo.kommuner_i(scope.embete.id)],
                      as_of=as_of, ctx=ctx, session=session, notes=notes)


NO_NETWORKS = NetworkCounts(0, 0)
NO_MEETINGS = Counts(0, 0, 0)


def figures_date(year: int, ctx: Context) -> date:
    """The day the network figures of ``year`` are given for: today for this year, the last
    day of an earlier year."""
    today = ctx.now.date()
    return today if year >= today.year else date(year, 12, 31)


def _per(as_of: date, ctx: Context) -> str:
    """`` per 31. desember 2025`` for figures not as of today."""
    return "" if as_of == ctx.now.date() else f" per {date_in_words(as_of)}"


@dataclass(frozen=True)
class Figure:
    """One figure of the status: its words, and how many of ``total`` kommuner have it."""

    label: str
    count: int
    total: int

    def line(self) -> str:
        """``Gjennomført dialogmøte: 12 av 25 (48 %)``."""
        return f"{self.label}: {share(self.count, self.total)}"


@dataclass(frozen=True)
class AreaFigures:
    """An area's figures for a year as ``status`` shows them (the Home tab shows them too)."""

    year: int
    total: int
    """Kommuner in the area."""
    figures: tuple[Figure, ...]
    """Offered, held, held or planned, invited to and taking part in a learning network, and
    plan or process, in that order."""
    phases: str
    """``Fase: 1: 3 · 2: 10 · … · ikke ført: 5``."""


def area_figures(year: int, ctx: Context, session: Session, *, embete_id: str | None,
                 kommuner: list[str] | None = None) -> AreaFigures:
    """The figures of ``status`` for an embete in ``year`` (a fylke: its ``kommuner``, all of
    one embete); ``embete_id`` None: the whole country."""
    as_of = figures_date(year, ctx)
    today = ctx.now.date()
    counts = counts_by_embete(year, today=today, tz=ctx.tz, session=session,
                              embete_id=embete_id, kommuner=kommuner)
    networks = network_counts_by_embete(as_of=as_of, session=session, embete_id=embete_id,
                                        kommuner=kommuner)
    plans = plan_counts_by_embete(as_of=as_of, session=session, embete_id=embete_id,
                                  kommuner=kommuner)
    phases = phase_counts_by_embete(as_of=as_of, session=session, embete_id=embete_id,
                                    kommuner=kommuner)
    if embete_id is not None:
        total = len(kommuner) if kommuner is not None else len(ctx.geo.kommuner_i(embete_id))
        c, w = counts.get(embete_id, NO_MEETINGS), networks.get(embete_id, NO_NETWORKS)
        planned, phased = plans.get(embete_id, 0), phases.get(embete_id, {})
    else:
        total = len(ctx.geo.kommuner)
        c = Counts(sum(x.offered for x in counts.values()),
                   sum(x.held for x in counts.values()),
                   sum(x.held_or_planned for x in counts.values()))
        w = NetworkCounts(sum(x.invited for x in networks.values()),
                          sum(x.participating for x in networks.values()))
        planned, phased = sum(plans.values()), _summed(phases.values())
    per = _per(as_of, ctx)
    return AreaFigures(year, total, (
        Figure("Fått tilbud om dialogmøte", c.offered, total),
        Figure("Gjennomført dialogmøte", c.held, total),
        Figure("Gjennomført eller planlagt dialogmøte", c.held_or_planned, total),
        Figure(f"Invitert til læringsnettverk{per}", w.invited, total),
        Figure(f"Deltar i læringsnettverk{per}", w.participating, total),
        Figure(f"Vedtatt plan eller beskrevet prosess{per}", planned, total),
    ), f"Fase{per}: {phase_counts_text(phased, total)}")


def _summed(phases: Iterable[Mapping[int, int]]) -> dict[int, int]:
    found: dict[int, int] = {}
    for mine in phases:
        for fase, count in mine.items():
            found[fase] = found.get(fase, 0) + count
    return found


def _area(title: str, figures: AreaFigures) -> Reply:
    heading = f"*{title}* – dialogmøter i {figures.year}"
    body = "\n".join([f"Kommuner: {figures.total}", *(f.line() for f in figures.figures),
                      figures.phases])
    if figures.year < MAP_YEAR:
        body += f"\n{TODAYS_MAP}"
    return reply(heading, body, text=f"{heading}\n{body}")


def _landet(year: int, ctx: Context, session: Session) -> Reply:
    counts = counts_by_embete(year, today=ctx.now.date(), tz=ctx.tz, session=session)
    as_of = figures_date(year, ctx)
    networks = network_counts_by_embete(as_of=as_of, session=session)
    rows: list[str] = []
    offered = held = held_or_planned = invited = taking_part = total = 0
    for embete in sorted(ctx.geo.embeter.values(), key=lambda e: e.kortnavn):
        n = len(ctx.geo.kommuner_i(embete.id))
        c = counts.get(embete.id, NO_MEETINGS)
        w = networks.get(embete.id, NO_NETWORKS)
        rows.append(_row(embete, n, c, w))
        offered, held, total = offered + c.offered, held + c.held, total + n
        held_or_planned += c.held_or_planned
        invited, taking_part = invited + w.invited, taking_part + w.participating
    heading = f"*Hele landet* – dialogmøter i {year}"
    national = (f"*Totalt ({total} kommuner):* fått tilbud {share(offered, total)}, "
                f"gjennomført {share(held, total)}, "
                f"gjennomført eller planlagt {share(held_or_planned, total)}, "
                f"invitert til læringsnettverk {share(invited, total)}, "
                f"deltar i læringsnettverk {share(taking_part, total)}")
    if year < MAP_YEAR:
        national += f"\n{TODAYS_MAP}"
    lines = [*rows, national]
    per = _per(as_of, ctx)
    if per:
        lines.append(f"Læringsnettverk{per}.")
    progress = _landet_progress(as_of, ctx, session)
    return reply(heading, "\n".join(rows), national, *lines[len(rows) + 1:], progress,
                 text="\n".join([heading, *lines, progress]))


def _row(embete: EmbeteRef, n: int, c: Counts, w: NetworkCounts) -> str:
    return (f"• {embete.kortnavn}: fått tilbud {share(c.offered, n)}, "
            f"gjennomført {share(c.held, n)}, "
            f"gjennomført eller planlagt {share(c.held_or_planned, n)}, "
            f"invitert til læringsnettverk {share(w.invited, n)}, "
            f"deltar i læringsnettverk {share(w.participating, n)}")


# --- plans and phases (``commands.plan``, ``commands.fase``) ----------------------------------


def _landet_progress(as_of: date, ctx: Context, session: Session) -> str:
    """Plan and phase for every embete, a section of their own under the other figures (one
    row each would not read on one line with them), and the total."""
    plans = plan_counts_by_embete(as_of=as_of, session=session)
    phases = phase_counts_by_embete(as_of=as_of, session=session)
    rows = [f"*Plan og fase{_per(as_of, ctx)}*"]
    total = 0
    for embete in sorted(ctx.geo.embeter.values(), key=lambda e: e.kortnavn):
        n = len(ctx.geo.kommuner_i(embete.id))
        total += n
        mine = phases.get(embete.id, {})
        rows.append(f"• {embete.kortnavn}: vedtatt plan eller beskrevet prosess "
                    f"{share(plans.get(embete.id, 0), n)}; fase {phase_counts_text(mine, n)}")
    all_phases = _summed(phases.values())
    rows.append(f"*Totalt:* vedtatt plan eller beskrevet prosess "
                f"{share(sum(plans.values()), total)}; fase {phase_counts_text(all_phases, total)}")
    return "\n".join(rows)


def _kommune_progress(kommune: KommuneRef, as_of: date, ctx: Context, session: Session) -> str:
    """The card's plan and phase, with the dates they changed, up to ``as_of``."""
    per = _per(as_of, ctx)
    return "\n".join([
        plan_card_line(history(PLAN_T, kommune.nummer, session=session, as_of=as_of), per),
        phase_card_line(history(FASE_T, kommune.nummer, session=session, as_of=as_of), per)])


def _kommune(kommune: KommuneRef, year: int, ctx: Context, session: Session, *,
             notes: list[str]) -> Reply:
    embete = ctx.geo.embete_of(kommune)
    fylke = ctx.geo.fylke_of(kommune)
    heading = f"*{kommune.basenavn}* ({kommune.nummer}, {fylke.navn}) – {embete.navn}"
    today = ctx.now.date()
    later_plans = year >= today.year
    meetings = meetings_for_kommune(kommune.nummer, session=session, year=year,
                                    limit=CARD_MEETINGS, later_plans=later_plans)
    shown = _without_fulfilled_plans(meetings, kommune, ctx, session)
    if not shown:
        body = f"Ingen dialogmøter ført i {year}."
    else:
        total = (len(meetings) if len(meetings) < CARD_MEETINGS
                 else count_meetings_for_kommune(kommune.nummer, session=session, year=year,
                                                 later_plans=later_plans))
        full = [_meeting_line(km, kommune, ctx, detail=True) for km in shown]
        short = [_meeting_line(km, kommune, ctx, detail=False) for km in shown]
        lines = shortened(full, short)
        # Fulfilled plans among the meetings read are left out, not counted as older ones.
        older = total - (len(meetings) - len(shown)) - len(lines)
        if older > 0:
            lines.append(f"… og {older} eldre")
        what = ("Dialogmøter" if all(km.meeting.type == DIALOGUE for km in shown)
                else "Møter")
        later = " og planlagt senere" if any(km.meeting.dato.year > year for km in shown) else ""
        body = f"{what} i {year}{later}:\n" + "\n".join(lines)
    if year < MAP_YEAR:
        body += f"\n{TODAYS_MAP}"
    body = "\n".join([*notes, body])
    as_of = figures_date(year, ctx)
    progress = _kommune_progress(kommune, as_of, ctx, session)
    shown_networks = kommune_network_lines(
        networks_of_kommune(kommune.nummer, session=session), as_of)
    networks = (f"Læringsnettverk{_per(as_of, ctx)}:\n" + "\n".join(shown_networks)
                if shown_networks else f"Ingen læringsnettverk ført{_per(as_of, ctx)}.")
    networks = "\n".join([networks, *examples_on_card(kommune.nummer, ctx.geo, session=session)])
    prize = (nomination_words.card_line(kommune.nummer, ctx.geo, session=session)
             if nominasjoner.may_read(ctx, session) else None)
    return reply(heading, body, progress, networks, prize,
                 text="\n".join(p for p in (heading, body, progress, networks, prize) if p))


def _without_fulfilled_plans(meetings: list[KommuneMeeting], kommune: KommuneRef,
                             ctx: Context, session: Session) -> list[KommuneMeeting]:
    """The card's meetings less the plans a held meeting has replaced (see
    ``storage.queries``): the held meeting is on the card instead."""
    if not any(km.meeting.status == PLANNED for km in meetings):
        return meetings
    last = latest_held([kommune.nummer], session=session).get(kommune.nummer)
    return [km for km in meetings if km.meeting.status != PLANNED
            or not fulfilled(planned_on(km.meeting, ctx.tz), last)]


def _meeting_line(km: KommuneMeeting, kommune: KommuneRef, ctx: Context, *, detail: bool
                  ) -> str:
    """One meeting on the card, with its note cut short; without ``detail`` only what, when,
    with whom and the command that shows its note."""
    m = km.meeting
    line = f"• {_what_and_when(m.status, m.type, m.dato, ctx)}"
    others = [ctx.geo.kommuner[n].navn for n in km.kommuner if n != kommune.nummer]
    if others:
        line += (f", sammen med {join_names(others)}" if len(others) <= CARD_NAMES
                 else f", sammen med {len(others)} andre kommuner")
    if detail and m.tema:
        line += f" – tema: {theme_shown(m.tema)}"
    if detail and m.med:
        line += f" (med {said(m.med)})"
    if m.notat:
        line += (f"\n   Notat: {_note_preview(m.notat, m.id)}" if detail
                 else f" – notat: `/lhl notat {m.id}`")
    return line


def _what_and_when(status: str, meeting_type: str, dato: date, ctx: Context) -> str:
    """``Holdt 3. desember 2026``, ``Møte med ordfører eller kommunedirektør holdt …``,
    ``Planlagt 12. mai 2027``, and for a plan whose day has passed without a held meeting
    ``Planlagt 12. mai 2026, ikke ført som holdt``."""
    when = date_in_words(dato)
    if status == PLANNED:
        return f"Planlagt {when}" + (", ikke ført som holdt" if dato < ctx.now.date() else "")
    what = "Holdt" if status == HELD else "Tilbudt" if status == OFFERED else status
    if meeting_type == DIALOGUE:
        return f"{what} {when}"
    noun = meeting_noun(meeting_type)
    return f"{noun[:1].upper()}{noun[1:]} {what.lower()} {when}"


def _note_preview(notat: str, meeting_id: int | None) -> str:
    """The note whole when it is short, else its first words and the command that shows it
    all."""
    if len(notat) <= NOTE_CHARS:
        return said(notat)
    head = notat[:NOTE_CHARS - 1]
    space = head.rfind(" ")
    if space > NOTE_CHARS // 2:
        head = head[:space]
    return f"{said(head.rstrip(' ,.;:'))}… (hele notatet: `/lhl notat {meeting_id}`)"

COMMAND = CommandSpec(
    name="status",
    summary=("viser hvor mange kommuner som har fått tilbud om, holdt og holdt eller planlagt "
             "dialogmøte, og som er invitert til og deltar i læringsnettverk."),
    usage=USAGE,
    examples=("status Agder", "status landet 2025", "status Lillesand", "status landet graf",
              "status Agder graf"),
    writes=False,
    parse=parse,
    execute=execute,
    details=("Uten sted viser jeg ditt embete; uten år, i år (eller skriv året: «2025», «i "
             "fjor»). Et embete kan skrives med fylkesnavn eller gammelt navn (Viken, "
             "Hordaland); et fylke som deler embete med et annet, er fylket (`status Troms`). "
             "Skriv «graf» til slutt for et bilde: `status landet graf` viser andelen "
             "kommuner i hvert embete, `status Agder graf` (et embete eller et fylke) "
             "kommunene over tid siden 2019."),
    cached=True,
)

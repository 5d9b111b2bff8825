"""How the report's facts are said: the period, the meetings and events counted in words, and a
draft of the short written assessment Hdir asks for with each report (seed 004).

The draft is built only from the facts of :mod:`commands.report_facts`, in plain sentences: the
shares, which kommuner still lack a held meeting (a few named), the learning networks, plans and
phases, the meetings and the events. It judges nothing; it is marked as a draft for the
coordinator to edit (:data:`DRAFT_HEADING`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date

from commands.fase import PHASE_NAMES
from commands.plan import STATE as PLAN_WORDS
from commands.report_facts import Area, Report
from storage.events import StoredEvent
from storage.models import DIALOGUE, ELDERS, EVENT_KINDS, MAYORS, MEETING_TYPES, OTHER, PHASES
from voice.words import MONTHS, date_in_words, join_names, name_order, share

DRAFT_HEADING = "Utkast – rediger før du sender"
NAMES_SHOWN = 5
"""Kommuner named in a sentence of the draft; more are counted."""

MEETINGS_PLURAL = {
    DIALOGUE: ("dialogmøte", "dialogmøter"),
    MAYORS: ("møte med ordfører eller kommunedirektør", "møter med ordfører eller "
             "kommunedirektør"),
    ELDERS: ("møte med eldreråd eller eldreorganisasjon", "møter med eldreråd eller "
             "eldreorganisasjon"),
    OTHER: ("annet møte", "andre møter"),
}
"""Each type of meeting counted: (one, several)."""
EVENTS_PLURAL = {"konferanse": "konferanser", "seminar": "seminarer", "webinar": "webinarer",
                 "samling": "samlinger"}


def counted(n: int, one: str, several: str) -> str:
    """``1 dialogmøte``, ``3 dialogmøter``."""
    return f"{n} {one if n == 1 else several}"


def span(first: date, last: date) -> str:
    """``1. januar til 1. mai 2027`` (one year), or the one day."""
    if first == last:
        return date_in_words(last)
    return f"{first.day}. {MONTHS[first.month - 1]} til {date_in_words(last)}"


def where(area: Area) -> str:
    """``Agder`` or ``landet``."""
    return area.embete.kortnavn if area.embete is not None else "landet"


def meetings_in_words(meetings: Mapping[str, int]) -> str:
    """``17 dialogmøter, 2 møter med ordfører eller kommunedirektør og 1 annet møte``; types
    with none left out."""
    return join_names([counted(meetings[t], *MEETINGS_PLURAL[t]) for t in MEETING_TYPES
                       if meetings.get(t)])


def events_in_words(events: Sequence[StoredEvent]) -> str:
    """``1 konferanse og 2 seminarer``."""
    kinds = Counter(e.event.kind for e in events)
    return join_names([counted(kinds[k], k, EVENTS_PLURAL[k]) for k in EVENT_KINDS
                       if kinds[k]])


def _named(names: Sequence[str]) -> str:
    """``A, B og C`` in alphabetical order, or the first few and ``og 4 andre``."""
    kommuner = sorted(names, key=name_order)
    if len(kommuner) <= NAMES_SHOWN:
        return join_names(list(kommuner))
    return ", ".join(kommuner[:NAMES_SHOWN]) + f" og {len(kommuner) - NAMES_SHOWN} andre"


def draft(report: Report) -> list[str]:
    """The draft assessment, a paragraph a string."""
    return [_meetings_paragraph(report), _networks_paragraph(report),
            _progress_paragraph(report), _activity_paragraph(report)]


def _meetings_paragraph(report: Report) -> str:
    area, per, year = report.whole, report.period.per, report.period.per.year
    total = area.total
    offered, held = area.count("offered"), area.count("held")
    planned = area.count("held_or_planned")
    kommuner = "kommuner" if area.embete is None else f"kommuner i {where(area)}"
    sentences = [f"Per {date_in_words(per)} har {share(offered, total)} {kommuner} fått "
                 f"tilbud om dialogmøte i {year}, og {share(held, total)} har gjennomført "
                 "dialogmøte."]
    if planned > held:
        sentences.append(f"Regnet med møtene som er planlagt resten av året, har "
                         f"{share(planned, total)} gjennomført eller planlagt dialogmøte.")
    missing = area.missing("held")
    if not missing:
        sentences.append("Alle kommunene har gjennomført dialogmøte.")
    elif report.national:
        sentences.append(_most_missing(report, len(missing)))
    else:
        sentences.append(f"{counted(len(missing), 'kommune', 'kommuner')} mangler "
                         f"gjennomført dialogmøte: {_named([k.navn for k in missing])}.")
        with_plan = sum(1 for k in missing if area.milestones[k.nummer].planned)
        if with_plan:
            sentences.append(f"{with_plan} av dem har et planlagt møte.")
    return " ".join(sentences)


def _most_missing(report: Report, missing: int) -> str:
    """``57 kommuner mangler gjennomført dialogmøte, flest i Innlandet (12), …``."""
    by_embete = sorted(((len(p.missing("held")), where(p)) for p in report.parts),
                       key=lambda x: (-x[0], x[1]))
    most = [f"{name} ({n})" for n, name in by_embete[:3] if n]
    return (f"{counted(missing, 'kommune', 'kommuner')} mangler gjennomført dialogmøte, "
            f"flest i {join_names(most)}.")


def _networks_paragraph(report: Report) -> str:
    area = report.whole
    invited, taking_part = area.count("invited"), area.count("taking_part")
    if not invited:
        return (f"Ingen kommuner er ført som invitert til læringsnettverk per "
                f"{date_in_words(report.period.per)}.")
    sentence = (f"{share(invited, area.total)} er invitert til læringsnettverk, og "
                f"{share(taking_part, area.total)} deltar.")
    not_invited = area.missing("invited")
    if not_invited and not report.national:
        sentence += f" Ikke invitert: {_named([k.navn for k in not_invited])}."
    return sentence


def _progress_paragraph(report: Report) -> str:
    area = report.whole
    plans = area.plans()
    n = sum(plans.values())
    if n:
        kinds = join_names([counted(plans[s], PLAN_WORDS[s], PLAN_WORDS[s])
                            for s in PLAN_WORDS if plans.get(s)])
        sentences = [f"{share(n, area.total)} har vedtatt plan eller beskrevet prosess "
                     f"({kinds})."]
    else:
        sentences = ["Ingen kommuner er ført med vedtatt plan eller beskrevet prosess."]
    phases = area.phases()
    if phases:
        present = [(phases[f], f) for f in PHASES if phases.get(f)]
        (n_first, f_first), *rest = present
        said = join_names([f"{counted(n_first, 'kommune', 'kommuner')} er i fase {f_first}",
                           *(f"{n} i fase {f}" for n, f in rest)])
        unknown = area.total - sum(phases.values())
        if unknown:
            said += f"; for {unknown} er fasen ikke ført"
        sentences.append(said + ".")
        most = max(n for n, _ in present)
        top = [f for n, f in present if n == most]
        if len(present) > 1 and len(top) == 1:
            sentences.append(f"Flest er i fase {top[0]} ({PHASE_NAMES[top[0]]}).")
    else:
        sentences.append("Fase er ikke ført for noen kommune.")
    return " ".join(sentences)


def _activity_paragraph(report: Report) -> str:
    area, period = report.whole, report.period
    meetings = meetings_in_words(area.meetings)
    when = span(period.first, period.per)
    sentences = [f"Fra {when} er det holdt {meetings}." if meetings
                 else f"Ingen møter er ført som holdt fra {when}."]
    held, planned = area.held_events(period.per), area.planned_events(period.per)
    who = "Embetene" if report.national else "Embetet"
    if held or planned:
        said = (f"{who} har holdt {events_in_words(held)} i {period.per.year}" if held
                else f"{who} har ikke holdt konferanser eller seminarer i {period.per.year}")
        if planned:
            said += f", og {events_in_words(planned)} er planlagt resten av året"
        sentences.append(said + ".")
    else:
        sentences.append(f"Ingen konferanser eller seminarer er ført for {period.per.year}.")
    return " ".join(sentences)

"""The report as a workbook (``.xlsx``) or a CSV file: what Hdir gets attached.

Sheets: «Sammendrag» (the period, the figures with N, M and the share each in a cell of its own,
the phases, the meetings by type, the conferences and seminars, and the draft), for the whole
country also «Embeter» (a row per embete and the total), and «Kommuner» (a row per kommune
with the date of each milestone). The CSV is the «Kommuner» rows. Written with
:mod:`commands.workbooks`, which knows nothing of the report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from commands.fase import PHASE_NAMES
from commands.plan import STATE as PLAN_WORDS
from commands.report_draft import DRAFT_HEADING, EVENTS_PLURAL, MEETINGS_PLURAL, draft
from commands.report_facts import FIGURES, Area, Report
from commands.workbooks import (
    CSV,
    XLSX,
    Cell,
    Sheet,
    Strong,
    csv_bytes,
    file_name,
    percent,
    workbook_bytes,
)
from storage.models import EVENT_KINDS, MEETING_TYPES, PHASES
from storage.reference import Geography
from voice.reply import Attachment
from voice.words import date_in_words

SUMMARY = "Sammendrag"
EMBETER = "Embeter"
KOMMUNER = "Kommuner"
KOMMUNE_HEADER = ("Kommunenummer", "Kommune", "Fylke")
MILESTONE_HEADER = ("Første tilbud om dialogmøte", "Første gjennomførte dialogmøte",
                    "Planlagt dialogmøte", "Første invitasjon til læringsnettverk",
                    "Deltar i læringsnettverk fra", "Plan", "Plan fra", "Fase", "Fase fra")


def title(report: Report) -> str:
    """``Rapport Agder per 1. mai 2027``."""
    who = report.whole.embete.kortnavn if report.whole.embete else "hele landet"
    return f"Rapport {who} per {date_in_words(report.period.per)}"


def report_file(report: Report, geo: Geography, *, kind: str = XLSX) -> Attachment:
    """The workbook (``kind`` :data:`XLSX`) or the CSV of the kommune rows (:data:`CSV`),
    named like ``lhl-rapport-agder-2027-05-01.xlsx``."""
    who = report.whole.embete.kortnavn if report.whole.embete else "landet"
    name = file_name("lhl-rapport", who, report.period.per, extension=kind)
    kommuner = kommune_sheet(report, geo)
    if kind == CSV:
        return Attachment(name, csv_bytes(kommuner), title(report))
    sheets = [summary_sheet(report)]
    if report.national:
        sheets.append(embete_sheet(report))
    sheets.append(kommuner)
    return Attachment(name, workbook_bytes(sheets), title(report))


def summary_sheet(report: Report) -> Sheet:
    area, period = report.whole, report.period
    rows: list[list[Cell]] = [
        [Strong(title(report))],
        ["Embete", area.embete.navn if area.embete else "Hele landet"],
        ["Per", period.per],
        ["Møter fra", period.first],
        ["Planlagte møter til og med", period.until],
        ["Kommuner", area.total],
        ["Laget", report.today],
    ]
    if report.ahead:
        rows.append([ahead_note(report)])
    rows += [[], [Strong("Tall"), Strong("Antall"), Strong("Av"), Strong("Andel")]]
    rows += [[f.words, n, area.total, percent(n, area.total)]
             for f in FIGURES for n in [area.count(f.key)]]
    phases = area.phases()
    rows += [[], [Strong("Fase"), Strong("Kommuner")]]
    rows += [[f"Fase {f} – {PHASE_NAMES[f]}", phases.get(f, 0)] for f in PHASES]
    rows.append(["Fase ikke ført", area.total - sum(phases.values())])
    rows += [[], [Strong("Møter holdt i perioden"), Strong("Antall")]]
    rows += [[_capital(MEETINGS_PLURAL[t][1]), area.meetings.get(t, 0)] for t in MEETING_TYPES]
    held = Counter(e.event.kind for e in area.held_events(period.per))
    planned = Counter(e.event.kind for e in area.planned_events(period.per))
    rows += [[], [Strong(f"Konferanser og seminarer i {period.per.year}"), Strong("Holdt"),
                  Strong("Planlagt")]]
    rows += [[_capital(EVENTS_PLURAL[k]), held[k], planned[k]] for k in EVENT_KINDS]
    rows.append(["I alt", sum(held.values()), sum(planned.values())])
    rows += [[], [Strong(DRAFT_HEADING)]]
    rows += [[paragraph] for paragraph in draft(report)]
    return Sheet(SUMMARY, (), rows, table=False, widths=(70, 12, 12, 10), wrap_columns=(0,))


def ahead_note(report: Report) -> str:
    return (f"{date_in_words(report.period.per)} er fram i tid: det som føres før den dagen, "
            "kan endre tallene.")


def embete_sheet(report: Report) -> Sheet:
    """A row per embete and one for the whole country: each figure as a number and a share,
    the meetings by type and the events."""
    header = ["Embete", "Kommuner"]
    for f in FIGURES:
        header += [f.words, f"{f.words} (andel)"]
    header += [_capital(MEETINGS_PLURAL[t][1]) for t in MEETING_TYPES]
    header += ["Konferanser og seminarer holdt", "Konferanser og seminarer planlagt"]
    rows = [_embete_row(a, report, a.embete.navn if a.embete else "") for a in report.parts]
    rows.append(_embete_row(report.whole, report, "Hele landet"))
    return Sheet(EMBETER, header, rows)


def _embete_row(area: Area, report: Report, name: str) -> list[Cell]:
    row: list[Cell] = [name, area.total]
    for f in FIGURES:
        n = area.count(f.key)
        row += [n, percent(n, area.total)]
    row += [area.meetings.get(t, 0) for t in MEETING_TYPES]
    row += [len(area.held_events(report.period.per)),
            len(area.planned_events(report.period.per))]
    return row


def kommune_sheet(report: Report, geo: Geography) -> Sheet:
    """A row per kommune: its number, name, fylke (and embete for the country) and the date
    of each milestone (empty: not reached)."""
    national = report.national
    header: Sequence[str] = (*KOMMUNE_HEADER, *(("Embete",) if national else ()),
                             *MILESTONE_HEADER)
    rows: list[list[Cell]] = []
    for k in report.whole.kommuner:
        m = report.whole.milestones[k.nummer]
        row: list[Cell] = [k.nummer, k.navn, geo.fylke_of(k).navn]
        if national:
            row.append(geo.embete_of(k).navn)
        row += [m.offered, m.held, m.planned, m.invited, m.taking_part,
                PLAN_WORDS[m.plan.value] if m.plan else None, m.plan.dato if m.plan else None,
                m.fase.value if m.fase else None, m.fase.dato if m.fase else None]
        rows.append(row)
    return Sheet(KOMMUNER, header, rows)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]

"""The conferences and seminars overview as a workbook or CSV (``/lhl arrangementer … --xlsx``):
one row per event with what Hdir asks each embete to keep (seed 001) – date, kind, title,
target group, main theme and the innsatsområder it names, the embete, and whether Hdir and/or
HOD/political leadership is wanted. The number of participants is not recorded, so it is not
there."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo

from commands.workbooks import CSV, Cell, Sheet, csv_bytes, file_name, workbook_bytes
from storage.events import StoredEvent
from storage.reference import Geography
from voice.innsatsomrader import AREAS
from voice.reply import Attachment

HEADER = ("Nr", "Dato", "Holdt eller planlagt", "Type", "Tittel", "Målgruppe", "Hovedtema",
          "Innsatsområder", "Embete", "Ønsker Hdir", "Ønsker HOD/politisk ledelse", "Ført")
SHEET = "Arrangementer"


def event_sheet(events: Sequence[StoredEvent], *, today: date, tz: tzinfo, geo: Geography
                ) -> Sheet:
    """A row per event, in the order given; «Ført» is the day it was recorded, in ``tz``."""
    rows: list[list[Cell]] = []
    for stored in events:
        e = stored.event
        areas = ", ".join(a.name for a in AREAS if a.key in stored.areas)
        rows.append([e.id, e.dato, "holdt" if e.dato < today else "planlagt", e.kind, e.tittel,
                     e.malgruppe, e.hovedtema, areas or None, geo.embeter[e.embete_id].navn,
                     e.onsker_hdir, e.onsker_hod, e.created_at.astimezone(tz).date()])
    return Sheet(SHEET, HEADER, rows)


def event_file(events: Sequence[StoredEvent], *, who: str, when: str, kind: str,
               today: date, tz: tzinfo, geo: Geography, title: str) -> Attachment:
    """``lhl-arrangementer-agder-2026.xlsx`` (or ``.csv``) of ``events``; ``who`` and
    ``when`` name the file (``Agder``, ``2026``)."""
    sheet = event_sheet(events, today=today, tz=tz, geo=geo)
    content = csv_bytes(sheet) if kind == CSV else workbook_bytes([sheet])
    return Attachment(file_name("lhl-arrangementer", who, when, extension=kind), content, title)

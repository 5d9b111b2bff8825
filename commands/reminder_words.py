"""How reminders and their occurrences are written (bokmål)."""

from __future__ import annotations

from schedules.rules import Occurrence
from voice.words import WEEKDAYS, date_in_words, moment_in_words


def occurrence_line(occ: Occurrence, *, name_deadline: bool = True) -> str:
    """``fredag 30. april 2027 kl. 09.00 – på fristdagen 1. mai 2027 (flyttet fra lørdag
    1. mai 2027: 1. mai (offentlig høytidsdag))``; without the deadline's date under a heading
    that names it (``name_deadline=False``)."""
    line = moment_in_words(occ.due)
    if occ.deadline is not None and occ.lead_days is not None:
        before = ("på fristdagen" if occ.lead_days == 0
                  else f"{occ.lead_days} {'dag' if occ.lead_days == 1 else 'dager'} før fristen")
        line += f" – {before}" + (f" {date_in_words(occ.deadline)}" if name_deadline else "")
    notes = []
    if occ.moved_from is not None:
        weekday = WEEKDAYS[occ.moved_from.weekday()]
        why = "" if occ.moved_because in (None, weekday) else f": {occ.moved_because}"
        notes.append(f"flyttet fra {weekday} {date_in_words(occ.moved_from)}{why}")
    if occ.dst_note:
        notes.append(occ.dst_note)
    if notes:
        line += f" ({'; '.join(notes)})"
    return line

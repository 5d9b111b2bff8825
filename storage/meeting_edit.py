"""Changing a stored dialogue meeting in place: ``/lhl rediger`` (and its form) gives it new
kommuner, date, type, theme (and the innsatsområder it names), partners and note, and
``/lhl angre`` puts an edit back.

Branch ``audit-logg`` adds its own ``edit_meeting`` for the same purpose; this module is the
forms branch's until the two are made one (the lead unifies them). Functions take the session
as a keyword and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import bindparam, delete, insert, update
from sqlalchemy import select as core_select
from sqlmodel import Session

from storage.models import DialogueMeeting, MeetingArea, MeetingKommune

_MEETING_T = DialogueMeeting.__table__  # type: ignore[attr-defined]
_LINK_T = MeetingKommune.__table__  # type: ignore[attr-defined]
_AREA_T = MeetingArea.__table__  # type: ignore[attr-defined]
_STATUS = core_select(_MEETING_T.c.status).where(_MEETING_T.c.id == bindparam("id"))


def edit_meeting(meeting_id: int, *, dato: date, kommuner: Sequence[str], meeting_type: str,
                 tema: str | None, med: str | None, notat: str | None, areas: Sequence[str],
                 session: Session) -> bool:
    """Give meeting ``meeting_id`` these kommuner and fields (its status, author and time of
    logging stay); False when there is no such meeting. The kommune rows repeat the
    meeting's status, type and date, so they are written anew, as are its areas."""
    conn = session.connection()
    status = conn.execute(_STATUS, {"id": meeting_id}).scalar_one_or_none()
    if status is None:
        return False
    conn.execute(update(_MEETING_T).where(_MEETING_T.c.id == meeting_id)
                 .values(dato=dato, type=meeting_type, tema=tema, med=med, notat=notat))
    conn.execute(delete(_LINK_T).where(_LINK_T.c.meeting_id == meeting_id))
    conn.execute(insert(_LINK_T), [
        {"meeting_id": meeting_id, "kommune_nummer": nummer, "status": status,
         "type": meeting_type, "dato": dato}
        for nummer in dict.fromkeys(kommuner)
    ])
    conn.execute(delete(_AREA_T).where(_AREA_T.c.meeting_id == meeting_id))
    if areas:
        conn.execute(insert(_AREA_T), [{"meeting_id": meeting_id, "omrade": a}
                                       for a in dict.fromkeys(areas)])
    return True

"""How entries of the change log are written, for ``logg``, ``slett`` and ``angre`` alike: what
an item is (``dialogmøte holdt med Vennesla 3. desember 2026``, ``Lillesand og Iveland deltar i
«Mat og måltider» fra 1. april 2026``), read from the state the log holds, so that a deleted
record is described as well as a stored one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from commands import fase, plan
from commands.import_words import import_in_words
from commands.meetings import meeting_noun, what_happened
from commands.nomination_words import nomination_in_words, winner_in_words
from storage import entries
from storage.changes import State
from storage.models import DIALOGUE
from storage.reference import Geography
from voice.reply import said
from voice.words import date_in_words, echo, join_names, time_in_words

NAMES_LISTED = 8
"""Above this many kommuner an entry counts them instead of naming them."""
TEXT_CHARS = 60
"""A name or title a user typed is shown at most this long in an entry."""


def kommuner_in_words(numbers: list[str], geo: Geography, *, limit: int | None = NAMES_LISTED
                      ) -> str:
    """``Lillesand og Iveland``, or ``25 kommuner`` for more than ``limit`` (None: every name)."""
    if limit is not None and len(numbers) > limit:
        return f"{len(numbers)} kommuner"
    return join_names([geo.kommuner[n].navn if n in geo.kommuner else n for n in numbers])


def _day(value: str) -> str:
    return date_in_words(date.fromisoformat(value))


def written_at(moment: datetime, tz: ZoneInfo) -> str:
    """``4. desember 2026 kl. 10.12``, in the bot's time zone."""
    local = moment.astimezone(tz)
    return f"{date_in_words(local.date())} {time_in_words(local)}"


def network_name(state: State) -> str:
    return f"«{said(echo(str(state['network']), TEXT_CHARS))}»"


def meeting_in_words(state: State, geo: Geography, *, limit: int | None = NAMES_LISTED) -> str:
    """``dialogmøte holdt med Vennesla 3. desember 2026``, ``dialogmøte planlagt med …``,
    ``møte med ordfører eller kommunedirektør holdt med …`` (a state logged before meetings
    had a type is a dialogue meeting)."""
    who = kommuner_in_words(state["kommuner"], geo, limit=limit)
    return (f"{meeting_noun(state.get('type', DIALOGUE))} "
            f"{what_happened(state['status'], who)} {_day(state['dato'])}")


def item_in_words(item: entries.Item, record_id: str, state: State, geo: Geography, *,
                  limit: int | None = NAMES_LISTED) -> str:
    """What an item is, from its state in the log (``limit`` as :func:`kommuner_in_words`)."""
    if item is entries.MEETING:
        return meeting_in_words(state, geo, limit=limit)
    if item in (entries.PLAN, entries.PHASE):
        who = kommuner_in_words(state["kommuner"], geo, limit=limit)
        if item is entries.PLAN:
            return f"{plan.DONE[state['status']]} for {who} {_day(state['dato'])}"
        return f"{who} i {fase.phase_words(state['fase'])} fra {_day(state['dato'])}"
    if item is entries.IMPORT:
        return import_in_words(state)
    if item is entries.NOMINATION:
        return f"{nomination_in_words(state, geo)} (#{record_id})"
    if item is entries.WINNER:
        return winner_in_words(state, geo)
    if item is entries.EVENT:
        return (f"{state['kind']} «{said(echo(str(state['tittel']), TEXT_CHARS))}» "
                f"{_day(state['dato'])} (arrangement #{record_id})")
    if item is entries.EXAMPLE:
        return (f"godt eksempel «{said(echo(str(state['tittel']), TEXT_CHARS))}» fra "
                f"{kommuner_in_words(state['kommuner'], geo)} (eksempel #{record_id})")
    name = network_name(state)
    if item is entries.NETWORK:
        embete = geo.embeter.get(state["embete_id"])
        return f"læringsnettverket {name}" + (f" for {embete.navn}" if embete else "")
    if item is entries.GATHERING:
        line = f"samling i {name} {_day(state['dato'])}"
        return line + (f" med {kommuner_in_words(state['kommuner'], geo, limit=limit)}"
                       if state["kommuner"] else "")
    who = kommuner_in_words(state["kommuner"], geo, limit=limit)
    if item is entries.INVITATIONS:
        return f"{who} invitert til {name} {_day(state['invitations'][0]['dato'])}"
    first = state["periods"][0]
    if item is entries.LEAVING:
        return f"{who} forlot {name} {_day(first['til'])}"
    return f"{who} deltar i {name} fra {_day(first['fra'])}"


_FIELDS = (("type", "type"), ("dato", "dato"), ("kommuner", "kommuner"), ("tema", "tema"),
           ("med", "sammen med"), ("notat", "notat"))


def meeting_edit_in_words(before: State, after: State, geo: Geography) -> str:
    """What an edit changed, as the meeting was before: ``dato 2. desember 2026, tema «mat»``."""
    parts = []
    for key, label in _FIELDS:
        old: Any = before.get(key)
        if old == after.get(key):
            continue
        if key == "type":
            parts.append(meeting_noun(old or DIALOGUE))
        elif key == "dato":
            parts.append(f"dato {_day(old)}")
        elif key == "kommuner":
            parts.append(f"kommuner {kommuner_in_words(old, geo)}")
        elif key == "notat":
            parts.append("et annet notat" if old else "uten notat")
        else:
            parts.append(f"{label} «{said(echo(old, TEXT_CHARS))}»" if old else f"uten {label}")
    return ", ".join(parts)


def edit_in_words(item: entries.Item, before: State, after: State, geo: Geography) -> str:
    """An edit in the log: ``endret: dialogmøte holdt med … (før: dato 2. desember 2026)``, or
    for a nomination ``endret begrunnelse: nominasjon av … (før: «…»)``."""
    if item is entries.NOMINATION:
        old = said(echo(str(before.get("begrunnelse", "")), TEXT_CHARS))
        return f"endret begrunnelse: {nomination_in_words(after, geo)} (før: «{old}»)"
    return (f"endret: {meeting_in_words(after, geo)} "
            f"(før: {meeting_edit_in_words(before, after, geo)})")

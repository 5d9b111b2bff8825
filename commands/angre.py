"""``/lhl angre``: undo the user's own latest change, whatever it was.

The change log (``storage.changes``) says what the user changed last: a meeting held,
offered or planned, edited or deleted; a learning network created, kommuner invited to it,
taking part in it or leaving it, a gathering, or any of these deleted; an event or a good
example created or deleted; a plan status or a phase recorded or deleted; a nomination made, its
begrunnelse edited, or a winner marked (the winner before is the winner again); a reminder
created, deleted, paused or resumed; a deadline marked "Levert" or opened again; an access
granted, replaced or revoked.
``angre`` takes back the latest of them that is not undone yet, and says exactly what it undid;
typed again, it takes the one before, and so on back (an undo is itself logged, and never
undone: there is no redo).

A nomination for a prize already given is the record of it: only an administrator undoes its
making or an edit of it. A deleted nomination or good example is not put back beside another
like it made since (the same kommune nominated again, an example of the same title): the
refusal names that one and who made it.

It never reaches past a later change to an older one. When the latest change cannot be undone
— someone changed the same record after it, or the record is no longer as the change left it
— it says so in one sentence and undoes nothing; the older changes stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from commands import fase, plan
from commands.base import CommandSpec, Context, UsageError
from commands.entry_words import (
    item_in_words,
    kommuner_in_words,
    meeting_edit_in_words,
    meeting_in_words,
    network_name,
    written_at,
)
from commands.import_words import counts_in_words, file_name
from commands.nomination_words import (
    PRIZE,
    awarded_why,
    nomination_in_words,
    short_reason,
    winner_in_words,
)
from schedules import lifecycle
from schedules.rules import describe, rule_from_json
from storage import changes, entries
from storage.changes import State
from storage.deliveries import mark_deadline_done, unmark_deadline_done
from storage.examples import get_example, same_example
from storage.models import DIALOGUE, Change
from storage.nominations import awarded, find_nomination, winner_state
from storage.once import forget
from storage.plans import FASE_T, PLAN_T, delete_entries, entries_by_id, entries_state
from storage.queries import get_access, grant_access, revoke_access
from storage.reminders import get_reminder, same_reminder
from voice import texts
from voice.reply import Reply, plain_reply, said
from voice.words import date_in_words, join_names, moment_in_words, time_in_words

NOTHING = "Du har ingen endringer å angre."
ALREADY = "Den endringen ble nettopp angret fra et annet sted; ingenting mer er endret."


class _Refused(Exception):
    """The record is not as the change left it: ``why`` ends "Jeg angrer ingenting: <record>
    …"."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


@dataclass(frozen=True)
class _Undone:
    sentence: str
    before: State | None
    after: State | None
    channel: str | None = None
    """A reminder's channel: the answer is for the channel when typed there."""


def parse(text: str, ctx: Context) -> None:
    if text.strip():
        raise UsageError("`/lhl angre` tar ingen flere ord: den angrer din siste endring.")


def execute(_: None, *, session: Session, ctx: Context) -> Reply:
    change = changes.latest_undoable(ctx.user_id, session=session)
    if change is None:
        return plain_reply(NOTHING)
    later = changes.later_change(change, session=session)
    if later is not None:
        raise UsageError(f"Jeg angrer ingenting: <@{later.changed_by}> har endret "
                         f"{_subject(change, ctx)} etter din siste endring.")
    try:
        undone = _UNDO[change.kind](change, session, ctx)
    except _Refused as refused:
        raise UsageError(
            f"Jeg angrer ingenting: {_subject(change, ctx)} {refused.why}.") from None
    if changes.record_undo(change, before=undone.before, after=undone.after, by=ctx.user_id,
                           now=ctx.now, session=session) is None:
        raise UsageError(ALREADY)
    return plain_reply(undone.sentence,
                       in_channel=undone.channel is not None and undone.channel == ctx.channel)


def _subject(change: Change, ctx: Context) -> str:
    """The record a change concerns, in words: «påminnelse #8 «Rapport til Hdir»»."""
    state = change.after or change.before or {}
    if change.record == changes.MEETING:
        the = "dialogmøtet" if state.get("type", DIALOGUE) == DIALOGUE else "møtet"
        return (f"{the} med {_kommuner(state, ctx)} "
                f"{date_in_words(date.fromisoformat(state['dato']))}")
    if change.record == changes.NETWORK:
        return f"læringsnettverket {network_name(state)}"
    if change.record == changes.EVENT:
        return f"arrangement #{change.record_id} «{said(state.get('tittel', ''))}»"
    if change.record == changes.EXAMPLE:
        return f"eksempel #{change.record_id} «{said(state.get('tittel', ''))}»"
    if change.record == changes.ACCESS:
        return f"tilgangen til <@{change.record_id}>"
    if change.record in (changes.PLAN, changes.PHASE):
        what = "planen" if change.record == changes.PLAN else "fasen"
        return (f"{what} for {_kommuner(state, ctx)} fra "
                f"{date_in_words(date.fromisoformat(state['dato']))}")
    if change.record == changes.NOMINATION:
        return f"nominasjon #{change.record_id}"
    if change.record == changes.WINNER:
        return f"vinneren av {PRIZE} {change.record_id}"
    if change.record == changes.IMPORT:
        return f"importen av {file_name(str(state.get('file', '')))}"
    if change.kind in (changes.DEADLINE_DELIVERED, changes.DEADLINE_REOPENED):
        deadline = date.fromisoformat(state["deadline"])
        return f"fristen {date_in_words(deadline)} for «{said(state['text'])}»"
    return f"påminnelse #{change.record_id} «{said(state.get('text', ''))}»"


def _kommuner(state: State, ctx: Context) -> str:
    return join_names([ctx.geo.kommuner[n].navn for n in state["kommuner"]])


# --- meetings, networks and events -----------------------------------------------------------


def _as_recorded(item: entries.Item, change: Change, recorded: State, session: Session
                 ) -> State:
    """The item as it is now, when it is still as the change left it; else refused."""
    current = item.read(change.record_id, recorded, session)
    if current is None:
        raise _Refused("finnes ikke lenger")
    if not entries.same(current, recorded):
        raise _changed_since(change, recorded, session)
    return current


def _changed_since(change: Change, recorded: State, session: Session) -> _Refused:
    """The refusal for an entry no longer as ``change`` left it, naming who changed it when
    the log says: a change to the records it holds besides its own (an import's), or for a
    nomination, a mark of its year's winner that made or unmade it the winner."""
    if change.record == changes.NOMINATION:
        nomination_id = int(change.record_id)
        marks = changes.later_changes_to([(changes.WINNER, str(recorded["aar"]))], change,
                                         session=session)
        later = next((c for c in marks if nomination_id in {
            (c.before or {}).get("nomination_id"), (c.after or {}).get("nomination_id")}),
            None)
    else:
        later = changes.later_change_to(
            [(entries.ADDED[p["kind"]].record, p["id"]) for p in recorded.get("parts", ())],
            change, session=session)
    return _Refused(f"er endret av <@{later.changed_by}> etter din siste endring"
                    if later is not None else "er endret etter din siste endring")



def _added(change: Change, session: Session, ctx: Context) -> _Undone:
    """Take away what the change added, if it is still as the change left it."""
    item = entries.ADDED[change.kind]
    recorded = change.after or {}
    current = item.read(change.record_id, recorded, session)
    if current is None:
        raise _Refused("finnes ikke lenger")
    if not entries.same(current, recorded):
        raise _changed_since(change, recorded, session)
    after = item.remove(change.record_id, current, session)
    when = f"ført {written_at(change.changed_at, ctx.tz)}"
    what = item_in_words(item, change.record_id, current, ctx.geo, limit=None)
    if item is entries.MEETING:
        sentence = f"Angret: {what} ({when})."
    elif item is entries.INVITATIONS:
        sentence = (f"Angret: {_who(current, ctx)} er ikke lenger invitert til "
                    f"{network_name(current)} ({when}).")
    elif item is entries.PARTICIPATION:
        sentence = (f"Angret: {_who(current, ctx)} deltar ikke lenger i "
                    f"{network_name(current)} ({when}).")
    elif item is entries.LEAVING:
        left = date.fromisoformat(current["periods"][0]["til"])
        sentence = (f"Angret: {_who(current, ctx)} forlot ikke {network_name(current)} "
                    f"{date_in_words(left)} likevel og deltar igjen ({when}).")
    elif item is entries.GATHERING:
        sentence = (f"Angret: samlingen i {network_name(current)} "
                    f"{date_in_words(date.fromisoformat(current['dato']))} er fjernet ({when}).")
    elif item is entries.IMPORT:
        sentence = (f"Angret: importen av {file_name(str(current['file']))} er tatt tilbake, "
                    f"og alt den lagret er fjernet: {counts_in_words(current['counts'])} "
                    f"({when}).")
    else:
        sentence = f"Angret: {what} er fjernet ({when})."
    return _Undone(sentence, current, after)


def _deleted(change: Change, session: Session, ctx: Context) -> _Undone:
    """Put back what the change took away, with the same numbers."""
    item = entries.DELETED[change.kind]
    state = change.before or {}
    if item is entries.EXAMPLE:
        _refuse_twin_example(change, state, session)
    try:
        item.put_back(change.record_id, state, session)
    except entries.Gone:
        raise _Refused("finnes ikke lenger") from None
    except entries.Taken:
        if item is entries.NOMINATION:
            _refuse_nomination_taken(change, state, session, ctx)
        raise _Refused("er ført på nytt etter din siste endring") from None
    when = f"slettet {written_at(change.changed_at, ctx.tz)}"
    who = _who(state, ctx)
    if item is entries.INVITATIONS:
        dato = date.fromisoformat(state["invitations"][0]["dato"])
        sentence = (f"Angret: invitasjonen av {who} til {network_name(state)} "
                    f"{date_in_words(dato)} er tilbake ({when}).")
    elif item is entries.PARTICIPATION:
        fra = date.fromisoformat(state["periods"][0]["fra"])
        sentence = (f"Angret: deltakelsen til {who} i {network_name(state)} fra "
                    f"{date_in_words(fra)} er tilbake ({when}).")
    elif item is entries.LEAVING:
        til = date.fromisoformat(state["periods"][0]["til"])
        sentence = (f"Angret: det er igjen ført at {who} forlot {network_name(state)} "
                    f"{date_in_words(til)} ({when}).")
    elif item is entries.NETWORK:
        sentence = (f"Angret: {item_in_words(item, change.record_id, state, ctx.geo)} er "
                    f"tilbake med alt som var ført i det ({when}).")
    elif item is entries.GATHERING:
        what = item_in_words(item, change.record_id, state, ctx.geo, limit=None)
        sentence = f"Angret: {what.replace('samling', 'samlingen', 1)} er tilbake ({when})."
    else:
        what = item_in_words(item, change.record_id, state, ctx.geo, limit=None)
        sentence = f"Angret: {what} er tilbake ({when})."
    return _Undone(sentence, change.after, item.read(change.record_id, state, session))


def _refuse_twin_example(change: Change, state: State, session: Session) -> None:
    """Two examples of the same title for a kommune are one written twice (as ``eksempel
    ny`` refuses them): the deleted one stays deleted while another stands in its place."""
    twin = same_example(str(state["kommune_nummer"]), str(state["tittel"]), session=session)
    if twin is None or str(twin) == change.record_id:
        return
    stored = get_example(twin, session=session)
    assert stored is not None
    raise _Refused(f"er ført på nytt som eksempel #{twin} av <@{stored.example.created_by}>, "
                   "så det slettede hentes ikke tilbake")


def _refuse_nomination_taken(change: Change, state: State, session: Session, ctx: Context
                             ) -> None:
    """Say what stands where a deleted nomination would go back: the same kommune nominated
    again, or its year's winner marked since."""
    again = find_nomination(int(state["aar"]), str(state["kommune_nummer"]),
                            str(state["embete_id"]), session=session)
    kommune = _kommuner(state, ctx)
    if again is not None:
        raise UsageError(
            f"Jeg angrer ingenting: {kommune} er nominert på nytt til {PRIZE} {state['aar']} "
            f"(nominasjon #{again.id}, av <@{again.created_by}>), så slettingen av nominasjon "
            f"#{change.record_id} kan ikke angres.")
    winner = winner_state(int(state["aar"]), session=session)
    if winner is not None:
        raise UsageError(
            f"Jeg angrer ingenting: <@{winner['marked_by']}> har markert "
            f"{winner_in_words(winner, ctx.geo)} etter at nominasjon #{change.record_id} ble "
            "slettet, så slettingen kan ikke angres.")


def _edited(change: Change, session: Session, ctx: Context) -> _Undone:
    """Put the meeting back as it was before the edit."""
    recorded, before = change.after or {}, change.before or {}
    current = _as_recorded(entries.MEETING, change, recorded, session)
    entries.put_meeting(int(change.record_id), before, session=session)
    return _Undone(
        f"Angret: endringen av {meeting_in_words(current, ctx.geo, limit=None)} (ført "
        f"{written_at(change.changed_at, ctx.tz)}); det er igjen som før: "
        f"{meeting_edit_in_words(before, current, ctx.geo)}.",
        current, entries.MEETING.read(change.record_id, before, session))


def _nomination_added(change: Change, session: Session, ctx: Context) -> _Undone:
    _refuse_awarded(change.after or {}, "ta den bort", ctx)
    return _added(change, session, ctx)


def _nomination_edited(change: Change, session: Session, ctx: Context) -> _Undone:
    """Put a nomination's begrunnelse back as it was before the edit (and say which it is, so
    that two undos in a row read apart)."""
    recorded, before = change.after or {}, change.before or {}
    _refuse_awarded(recorded, "endre den", ctx)
    current = _as_recorded(entries.NOMINATION, change, recorded, session)
    entries.put_nomination_text(int(change.record_id), before, session=session)
    return _Undone(
        f"Angret: endringen av begrunnelsen for {nomination_in_words(current, ctx.geo)} "
        f"(ført {written_at(change.changed_at, ctx.tz)}); den er igjen som før: "
        f"{short_reason(str(before.get('begrunnelse', '')), int(change.record_id))}",
        current, entries.NOMINATION.read(change.record_id, before, session))


def _refuse_awarded(state: State, to: str, ctx: Context) -> None:
    """A nomination for a prize already given is the record of it: only an administrator
    takes it back."""
    if not ctx.is_admin and awarded(int(state["aar"]), ctx.now.date()):
        raise _Refused(awarded_why(int(state["aar"]), to))


def _winner_marked(change: Change, session: Session, ctx: Context) -> _Undone:
    """Take the mark away, and put back the winner it replaced, if any."""
    recorded, before = change.after or {}, change.before
    current = entries.WINNER.read(change.record_id, recorded, session)
    if current is None:
        raise _Refused("er ikke markert slik lenger")
    entries.WINNER.remove(change.record_id, current, session)
    sentence = f"Angret: {winner_in_words(current, ctx.geo)} er ikke markert lenger"
    if before is not None:
        try:
            entries.put_winner(change.record_id, before, session)
        except entries.Gone:
            raise _Refused("kan ikke gis tilbake til nominasjonen før: den finnes ikke "
                           "lenger") from None
        sentence += f"; {winner_in_words(before, ctx.geo)} er vinner igjen"
    return _Undone(f"{sentence} (ført {written_at(change.changed_at, ctx.tz)}).", current,
                   before)


def _who(state: State, ctx: Context) -> str:
    return kommuner_in_words(state.get("kommuner") or [], ctx.geo, limit=None)


# --- plans and phases ------------------------------------------------------------------------


def _history_recorded(change: Change, session: Session, ctx: Context) -> _Undone:
    """Delete the rows the change added (a plan status or a phase for some kommuner): the
    history is as if it had never been written, on every day."""
    table = PLAN_T if change.record == changes.PLAN else FASE_T
    state = change.after or {}
    rows = entries_by_id(table, state["ids"], session=session)
    if not rows:
        raise _Refused("finnes ikke lenger")
    delete_entries(table, [e.id for e in rows], session=session)
    kommuner = join_names([ctx.geo.kommuner[e.kommune_nummer].navn for e in rows])
    day = date_in_words(rows[0].dato)
    what = (f"{plan.DONE[rows[0].value]} for {kommuner} {day}" if table is PLAN_T
            else f"{fase.phase_words(rows[0].value)} for {kommuner} fra {day}")
    logged = rows[0].created_at.astimezone(ctx.tz)
    return _Undone(
        f"Angret: {what} (ført {date_in_words(logged.date())} {time_in_words(logged)}).",
        entries_state(table, rows), None)


# --- reminders --------------------------------------------------------------------------------


def _reminder_created(change: Change, session: Session, ctx: Context) -> _Undone:
    reminder = get_reminder(int(change.record_id), session=session)
    if reminder is None:
        raise _Refused("finnes ikke lenger")
    before = changes.reminder_state(reminder)
    lifecycle.delete(reminder, now=ctx.now, session=session)
    once_key = (change.after or {}).get("once_key")
    if once_key:
        forget(once_key, session=session)
    made = change.changed_at.astimezone(ctx.tz)
    return _Undone(
        f"Angret: påminnelse #{reminder.id} «{said(reminder.text)}» er fjernet (lagret "
        f"{date_in_words(made.date())} {time_in_words(made)}).",
        before, changes.reminder_state(reminder), reminder.channel_id)


def _reminder_deleted(change: Change, session: Session, ctx: Context) -> _Undone:
    reminder = get_reminder(int(change.record_id), session=session, deleted=True)
    if reminder is None:
        raise _Refused("er ikke slettet lenger")
    twin = same_reminder(reminder.channel_id, reminder.text, reminder.rule, session=session)
    if twin is not None:
        # Two of the same would remind the channel twice.
        raise _Refused(f"er laget på nytt som påminnelse #{twin.id}")
    before = changes.reminder_state(reminder)
    lifecycle.restore(reminder, now=ctx.now, tz=ctx.tz, session=session)
    if reminder.paused:
        then = " Den er fortsatt satt på pause."
    else:
        then = _next_time(reminder.next_due_at, ctx)
    return _Undone(
        f"Angret: påminnelse #{reminder.id} «{said(reminder.text)}» er tilbake, med "
        f"historikken.{then}",
        before, changes.reminder_state(reminder), reminder.channel_id)


def _reminder_paused(change: Change, session: Session, ctx: Context) -> _Undone:
    reminder = get_reminder(int(change.record_id), session=session)
    if reminder is None:
        raise _Refused("finnes ikke lenger")
    if not reminder.paused:
        raise _Refused("er ikke satt på pause lenger")
    before = changes.reminder_state(reminder)
    lifecycle.resume(reminder, now=ctx.now, tz=ctx.tz, session=session)
    return _Undone(
        f"Angret: påminnelse #{reminder.id} «{said(reminder.text)}» er ikke lenger satt på pause."
        f"{_next_time(reminder.next_due_at, ctx)}",
        before, changes.reminder_state(reminder), reminder.channel_id)


def _reminder_resumed(change: Change, session: Session, ctx: Context) -> _Undone:
    reminder = get_reminder(int(change.record_id), session=session)
    if reminder is None:
        raise _Refused("finnes ikke lenger")
    if reminder.paused:
        raise _Refused("er satt på pause igjen")
    before = changes.reminder_state(reminder)
    lifecycle.pause(reminder, now=ctx.now, session=session)
    return _Undone(
        f"Angret: påminnelse #{reminder.id} «{said(reminder.text)}» er satt på pause igjen.",
        before, changes.reminder_state(reminder), reminder.channel_id)


def _reminder_changed(change: Change, session: Session, ctx: Context) -> _Undone:
    """Put a reminder changed in place (a weekly digest turned on again or moved) back as it
    was: its rule, text and embete, and off again when it was off."""
    reminder = get_reminder(int(change.record_id), session=session)
    if reminder is None:
        raise _Refused("finnes ikke lenger")
    old = change.before or {}
    before = changes.reminder_state(reminder)
    lifecycle.reset(reminder, rule_from_json(old["rule"]), text=old["text"],
                    embete_id=old["embete_id"], now=ctx.now, tz=ctx.tz, session=session)
    if old.get("deleted_at"):
        lifecycle.delete(reminder, now=ctx.now, session=session)
        then = " er av igjen"
    else:
        then = f" er igjen som før: {describe(rule_from_json(old['rule']))}"
    return _Undone(f"Angret: påminnelse #{reminder.id} «{said(old['text'])}»{then}.",
                   before, changes.reminder_state(reminder), reminder.channel_id)


def _next_time(due: datetime | None, ctx: Context) -> str:
    if due is None:
        return " Den har ingen flere ganger igjen."
    return f" Neste gang: {moment_in_words(due.astimezone(ctx.tz))}."


def _deadline_delivered(change: Change, session: Session, ctx: Context) -> _Undone:
    """Remove the marks the press added (those still there as it left them), and point their
    reminders again at their next open occurrence after now."""
    state = change.after or {}
    deadline = date.fromisoformat(state["deadline"])
    removed: dict[int, tuple[str, datetime]] = {}
    for rid, (by, at) in changes.deadline_marks(state).items():
        row = unmark_deadline_done(rid, deadline, session=session)
        if row is not None:
            removed[rid] = (row.done_by, row.done_at)
            if (row.done_by, row.done_at) != (by, at):
                raise _Refused("er markert på nytt etter din siste endring")
    if not removed:
        raise _Refused("er ikke markert som levert lenger")
    for rid in removed:
        reminder = get_reminder(rid, session=session)
        if reminder is not None:
            lifecycle.restore_deadline(reminder, ctx.now, ctx.tz, session=session)
    channel = _channel_of(int(change.record_id), session)
    return _Undone(
        f"Angret: fristen {date_in_words(deadline)} for «{said(state['text'])}» er ikke lenger "
        "markert som levert, og varslene for den kommer igjen.",
        changes.deadline_state(deadline, state["text"], removed),
        changes.deadline_state(deadline, state["text"], {}), channel)


def _deadline_reopened(change: Change, session: Session, ctx: Context) -> _Undone:
    """Put back the marks the press removed, as they were, and move their reminders past the
    deadline again."""
    state = change.before or {}
    deadline = date.fromisoformat(state["deadline"])
    put: dict[int, tuple[str, datetime]] = {}
    for rid, (by, at) in changes.deadline_marks(state).items():
        reminder = get_reminder(rid, session=session)
        if reminder is None:
            continue
        row = mark_deadline_done(rid, deadline, by=by, now=at, session=session)
        put[rid] = (row.done_by, row.done_at)
        lifecycle.pass_deadline(reminder, deadline, ctx.tz, session=session)
    if not put:
        raise _Refused("finnes ikke lenger")
    channel = _channel_of(int(change.record_id), session)
    return _Undone(
        f"Angret: fristen {date_in_words(deadline)} for «{said(state['text'])}» er markert som "
        "levert igjen.",
        changes.deadline_state(deadline, state["text"], {}),
        changes.deadline_state(deadline, state["text"], put), channel)


def _channel_of(reminder_id: int, session: Session) -> str | None:
    reminder = get_reminder(reminder_id, session=session)
    return reminder.channel_id if reminder else None


# --- access -----------------------------------------------------------------------------------


def _access(change: Change, session: Session, ctx: Context) -> _Undone:
    """Put back the grant as it was before the change (none: no access)."""
    if not ctx.is_admin:
        raise UsageError(texts.ADMIN_ONLY)
    user_id = change.record_id
    current = changes.access_state(get_access(user_id, session=session))
    if _grant(current) != _grant(change.after):
        raise _Refused("er endret etter din siste endring")
    old = change.before
    if old is None:
        revoke_access(user_id, session=session)
        assert current is not None
        sentence = (f"Angret: <@{user_id}> er ikke lenger {_role(current, ctx)} og har ingen "
                    "tilgang.")
    else:
        grant_access(user_id, old["embete_id"], old["rolle"], by=old["created_by"],
                     now=datetime.fromisoformat(old["created_at"]), session=session)
        sentence = f"Angret: <@{user_id}> er igjen {_role(old, ctx)}"
        sentence += f" (ikke {_role(current, ctx)})." if current else "."
    return _Undone(sentence, current,
                   changes.access_state(get_access(user_id, session=session)))


def _grant(state: State | None) -> tuple[str, str] | None:
    return (state["embete_id"], state["rolle"]) if state else None


def _role(state: State, ctx: Context) -> str:
    return f"{state['rolle']} for {ctx.geo.embeter[state['embete_id']].navn}"


_UNDO: dict[str, Callable[[Change, Session, Context], _Undone]] = {
    **{kind: _added for kind in entries.ADDED},
    **{kind: _deleted for kind in entries.DELETED},
    changes.MEETING_EDITED: _edited,
    changes.NOMINATION_CREATED: _nomination_added,
    changes.NOMINATION_EDITED: _nomination_edited,
    changes.WINNER_MARKED: _winner_marked,
    changes.REMINDER_CREATED: _reminder_created,
    changes.REMINDER_DELETED: _reminder_deleted,
    changes.REMINDER_PAUSED: _reminder_paused,
    changes.REMINDER_RESUMED: _reminder_resumed,
    changes.REMINDER_CHANGED: _reminder_changed,
    changes.DEADLINE_DELIVERED: _deadline_delivered,
    changes.DEADLINE_REOPENED: _deadline_reopened,
    changes.ACCESS_GRANTED: _access,
    changes.ACCESS_REPLACED: _access,
    changes.ACCESS_REVOKED: _access,
    changes.PLAN_RECORDED: _history_recorded,
    changes.PHASE_RECORDED: _history_recorded,
}
"""How each kind of change is taken back: every kind in ``storage.changes`` but ``undo``."""


COMMAND = CommandSpec(
    name="angre",
    summary="angrer din siste endring, av hvilket slag den enn er, og sier hva som ble angret.",
    usage="angre",
    examples=("angre",),
    writes=True,
    parse=parse,
    execute=execute,
    aliases=("angr", "undo"),
    destructive=True,
    details=("Angrer det du sist førte, endret eller slettet: et møte, et tilbud, et "
             "planlagt møte, et læringsnettverk med invitasjoner, deltakelse og samlinger, et "
             "arrangement, et godt eksempel, en plan eller en fase, en nominasjon eller en "
             "vinner, en påminnelse som ble laget, slettet, satt på pause eller startet igjen, "
             "«Levert» på en frist, en tilgang. Skriv `angre` igjen for å angre endringen før "
             "den. Har noen andre "
             "endret det samme etter deg, angres ingenting."),
    changes_reminders=True,
)

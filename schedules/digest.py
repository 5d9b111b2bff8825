"""The weekly digest: what a channel's embete (or the whole country) recorded in the week before
it is sent, its figures with their change since then, and the kommuner still missing a held
dialogue meeting. Built from the store when it is sent (``schedules.delivery``).

**The week** runs from the digest's previous occurrence to this one (the due times, so a
digest sent late after a restart covers the same week). That is the 7 days before it, except
around a moved day: a Monday that is a holiday (2. påskedag, 2. pinsedag) moves the digest to
the working day before, like every reminder, and the next one then counts from there, so no
change is counted twice or left out.

**What counts** is the change log (``storage.changes``): the changes made in the week that
still stand (an undone change and the undo itself do not count, nor an entry both recorded and
deleted in the week, nor its deletion: :func:`standing`), of the embete (the record's
embete, or a kommune of the embete), counted in the words of ``schedules.digest_words``. A
nomination, and the winner's mark, belong to the embete that nominated (an administrator's
nomination of Bergen for Agder is Agder's, as in the reminder of the nomination deadline), so
they count by the record's embete alone. The prize's line names each year and the winner: the
one marked now, when a mark of the embete's nomination stands in the week.

**The figures** are those of ``/lhl status`` for the year of the digest (meetings from
1 January, open plans to 31 December, networks, plans and phases as of the day), from
``storage.milestones`` as ``rapport`` counts them, as of the digest's day and as of the day
before the week began (so a meeting held on the Monday the week began is a change of this
week); the difference is shown after each (``+2``, ``−1``, ``±0``). Both are counted from what
is recorded when the digest is sent: a meeting logged this week for a date before the week
counts on both days and is no change. In the first days of a year the day before counts no
meeting of the new year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from schedules.digest_words import (
    KIND_WORDS,
    PRIZE,
    Words,
    prize_group,
    winner_words,
    words_for,
)
from schedules.rules import Occurrence, Rule, describe, occurrences
from storage import changes as c
from storage import entries
from storage.changes import Recorded, recorded_between
from storage.milestones import Milestones, milestones
from storage.models import Change
from storage.nominations import get_nomination, winner_of
from storage.reference import Geography, KommuneRef
from voice.reply import Reply, context, reply
from voice.words import date_in_words, join_names, name_order, share

MISSING_NAMED = 10
"""Kommuner without a held dialogue meeting named in the digest; the rest are counted."""
COUNTRY = "hele landet"

FIGURES: tuple[tuple[str, Callable[[Milestones], bool]], ...] = (
    ("Fått tilbud om dialogmøte", lambda m: m.offered is not None),
    ("Gjennomført dialogmøte", lambda m: m.held is not None),
    ("Gjennomført eller planlagt dialogmøte", lambda m: m.held_or_planned),
    ("Invitert til læringsnettverk", lambda m: m.invited is not None),
    ("Deltar i læringsnettverk", lambda m: m.taking_part is not None),
    ("Vedtatt plan eller beskrevet prosess", lambda m: m.plan is not None),
)
"""The figures of ``/lhl status`` in its order and words (``commands.report_facts.FIGURES``
counts them the same way; a test holds the two together)."""


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    before: int
    total: int

    def line(self) -> str:
        """``Gjennomført dialogmøte: 12 av 25 (48 %) +2``."""
        change = change_in_words(self.count - self.before)
        return f"{self.label}: {share(self.count, self.total)} {change}"


@dataclass(frozen=True)
class Digest:
    """One digest's facts: ``place`` is the embete's name or «hele landet»."""

    place: str
    since: date
    """The local day the week began."""
    groups: tuple[tuple[str, tuple[str, ...]], ...]
    """Each line of what was recorded: its words and the counts on it."""
    year: int
    figures: tuple[Figure, ...]
    missing: tuple[KommuneRef, ...]
    total: int


def change_in_words(n: int) -> str:
    """``+2``, ``−1`` (a real minus), ``±0``."""
    return f"+{n}" if n > 0 else f"−{-n}" if n < 0 else "±0"


def week_of(rule: Rule, occ: Occurrence, tz: ZoneInfo) -> datetime:
    """When the week an occurrence reports on began: the rule's occurrence before it (a week
    before, unless a holiday moved one of them)."""
    earlier = [o.due for o in occurrences(rule, after=occ.due - timedelta(days=15), tz=tz,
                                          limit=4) if o.due < occ.due and o.key != occ.key]
    return earlier[-1] if earlier else occ.due - timedelta(days=7)


def build_digest(embete_id: str | None, since: datetime, until: datetime, *, tz: ZoneInfo,
                 geo: Geography, session: Session) -> Digest:
    """The digest of ``embete_id`` (None: the whole country) for the changes made from
    ``since`` to ``until`` (aware), with the figures as of ``until``'s day."""
    if embete_id is None:
        kommuner = tuple(sorted(geo.kommuner.values(), key=lambda k: k.nummer))
        place = COUNTRY
    else:
        kommuner = tuple(geo.kommuner_i(embete_id))
        place = geo.embeter[embete_id].navn
    numbers = [k.nummer for k in kommuner]
    recorded = [r for r in standing(recorded_between(
                    since, until, session=session, embete_id=embete_id,
                    kommuner=numbers if embete_id is not None else None))
                if embete_id is None or r.change.record not in _NOMINATING
                or r.change.embete_id == embete_id]
    today, began = until.astimezone(tz).date(), since.astimezone(tz).date()
    before = began - timedelta(days=1)
    first, last = date(today.year, 1, 1), date(today.year, 12, 31)
    now = milestones(numbers, first=first, last=today, tz=tz, session=session,
                     plans_until=last)
    then = milestones(numbers, first=first, last=before, tz=tz, session=session,
                      plans_until=last)
    figures = tuple(
        Figure(label, sum(1 for m in now.values() if reached(m)),
               sum(1 for m in then.values() if reached(m)), len(numbers))
        for label, reached in FIGURES)
    missing = tuple(sorted((k for k in kommuner if now[k.nummer].held is None),
                           key=lambda k: name_order(k.navn)))
    winners = _winners(recorded, embete_id, geo, session)
    return Digest(place, began, _groups(recorded, winners), today.year, figures, missing,
                  len(numbers))


def standing(recorded: Sequence[Recorded]) -> list[Recorded]:
    """The week's changes (those that stand, oldest first) without what a deletion in the
    same week took away: the entry's addition and every change to it before the deletion (a
    network's: everything in it), and the deletion itself when the entry was added in the
    week. A deletion of what was recorded before the week stays."""
    gone: set[int | None] = set()
    for deletion in recorded:
        item = entries.DELETED.get(deletion.change.kind)
        if item is None:
            continue
        taken = [r.change for r in recorded
                 if (r.change.id or 0) < (deletion.change.id or 0)
                 and _takes(deletion.change, item, r.change)]
        gone.update(t.id for t in taken)
        if any(entries.ADDED.get(t.kind) is item for t in taken):
            gone.add(deletion.change.id)
    return [r for r in recorded if r.change.id not in gone]


def _takes(deletion: Change, item: entries.Item, change: Change) -> bool:
    """Whether ``deletion`` (of ``item``) took away what ``change`` added or changed."""
    if (change.record, change.record_id) != (deletion.record, deletion.record_id):
        return False
    if item is entries.NETWORK:
        return change.kind not in entries.DELETED
    if item not in (entries.ADDED.get(change.kind), entries.EDITED.get(change.kind)):
        return False
    rows = _ROWS.get(item.name)
    return rows is None or bool(rows(deletion.before or {}) & rows(change.after or {}))


_ROWS: dict[str, Callable[[c.State], set[object]]] = {
    entries.INVITATIONS.name: lambda s: {(r["kommune_nummer"], r["created_at"])
                                         for r in s.get("invitations") or ()},
    entries.PARTICIPATION.name: lambda s: {p["id"] for p in s.get("periods") or ()},
    entries.LEAVING.name: lambda s: {p["id"] for p in s.get("periods") or ()},
    entries.GATHERING.name: lambda s: {s.get("id")},
    entries.PLAN.name: lambda s: set(s.get("ids") or ()),
    entries.PHASE.name: lambda s: set(s.get("ids") or ()),
}
"""The rows an item holds, for the items of which a record holds several (a network's
invitations, participation and gatherings; plans and phases, one row a kommune): a deletion
takes away the addition whose rows it removed. The others are their record."""


_NOMINATING = (c.NOMINATION, c.WINNER)
"""The records that belong to the embete that nominated, wherever the kommune is."""


def _winners(recorded: Sequence[Recorded], embete_id: str | None, geo: Geography,
             session: Session) -> dict[int, str]:
    """The kommune that is the winner of each year whose winner was marked in the week, when
    it is still marked and (for an embete) the embete's nomination."""
    named: dict[int, str] = {}
    for aar in sorted({int((r.change.after or {})["aar"]) for r in recorded
                       if r.change.kind == c.WINNER_MARKED}):
        won = winner_of(aar, session=session)
        nomination = get_nomination(won.nomination_id, session=session) if won else None
        if nomination is not None and embete_id in (None, nomination.embete_id):
            named[aar] = geo.kommuner[nomination.kommune_nummer].navn
    return named


def _groups(recorded: Sequence[Recorded], winners: dict[int, str]
            ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The lines of what was recorded, in the order of the words' table; the prize's, one a
    year, where the table names it."""
    changes: Counter[Words] = Counter()
    kommuner: dict[Words, set[str]] = {}
    nominated: dict[int, set[str]] = {}
    for r in recorded:
        state = r.change.after or r.change.before or {}
        if r.change.kind == c.NOMINATION_CREATED:
            nominated.setdefault(int(state["aar"]), set()).add(str(state["kommune_nummer"]))
            continue
        words = words_for(r.change.kind, state.get("type"))
        if words is None:
            continue
        if words.kommuner:
            kommuner.setdefault(words, set()).update(r.kommuner)
        else:
            changes[words] += 1
    counted = {w: len(k) for w, k in kommuner.items() if k} | dict(changes)
    grouped: dict[str, list[str]] = {}
    for words in dict.fromkeys(KIND_WORDS.values()):
        if words.group == PRIZE:
            for aar in sorted(nominated.keys() | winners.keys()):
                grouped[prize_group(aar)] = _prize(nominated.get(aar, set()), winners.get(aar))
        elif counted.get(words):
            grouped.setdefault(words.group, []).append(words.count(counted[words]))
    return tuple((group, tuple(counts)) for group, counts in grouped.items())


def _prize(nominated: set[str], winner: str | None) -> list[str]:
    """``5 kommuner nominert``, ``vinneren er Grimstad``, or both."""
    said = [KIND_WORDS[c.NOMINATION_CREATED].count(len(nominated))] if nominated else []
    return said + ([winner_words(winner)] if winner else [])


def digest_reply(digest: Digest, *, how: str | None = None) -> Reply:
    """The digest as a message. A week with nothing recorded is one line; ``how`` is the
    context line under a full one (when it comes, how to turn it off)."""
    since = date_in_words(digest.since)
    if not digest.groups:
        return reply(f"Ingen nye føringer for {digest.place} siden {since}.")
    heading = f"*Ukesammendrag for {digest.place}* – ført siden {since}"
    lines = [f"• {group}: {join_names(list(counts))}" for group, counts in digest.groups]
    figures = "\n".join([f"*Tallene for {digest.year}* (endring siden forrige uke)",
                         *(f.line() for f in digest.figures)])
    return reply(f"{heading}\n" + "\n".join(lines), figures, _missing(digest),
                 context(how) if how else None)


def _missing(digest: Digest) -> str:
    n = len(digest.missing)
    if n == 0:
        return f"Alle {digest.total} kommunene har gjennomført dialogmøte i {digest.year}."
    names = [k.navn for k in digest.missing[:MISSING_NAMED]]
    listed = (join_names(names) if n <= MISSING_NAMED
              else f"{', '.join(names)} og {n - MISSING_NAMED} til")
    return f"*Mangler gjennomført dialogmøte i {digest.year}* ({n}): {listed}."


def how_in_words(rule: Rule) -> str:
    """The context line of a digest: ``Hver mandag kl. 08.30 · `/lhl ukesammendrag av` skrur
    det av``."""
    when = describe(rule)
    return f"{when[:1].upper()}{when[1:]} · `/lhl ukesammendrag av` skrur det av"

"""How the weekly digest counts each kind of change in the change log, in words.

One line per kind (or per kind and meeting type, ``meeting_held/ordfører``): the line of the
digest it goes on (``group``, in the order the table first names it) and the words for one and
for several (``{n}`` is the count). With ``kommuner`` the count is of the kommuner the changes
concern (in the digest's embete, each once), otherwise of the changes. Kinds with equal words
are added up (every deletion is «N føringer slettet»). A kind missing here is not counted.

The prize's line is one per year (``Leve hele livet-prisen 2027``), where the table names the
nominations: the kommuner nominated (each once) and the winner by name (:func:`winner_words`;
a mark is not counted, it is named), built by ``schedules.digest``.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage import changes as c
from storage.models import DIALOGUE, ELDERS, MAYORS, OTHER


@dataclass(frozen=True)
class Words:
    group: str
    one: str
    many: str
    kommuner: bool = False

    def count(self, n: int) -> str:
        return (self.one if n == 1 else self.many).format(n=n)


_MEETINGS = {
    DIALOGUE: ("{n} dialogmøte", "{n} dialogmøter"),
    MAYORS: ("{n} møte med ordfører eller kommunedirektør",
             "{n} møter med ordfører eller kommunedirektør"),
    ELDERS: ("{n} møte med eldreråd eller eldreorganisasjon",
             "{n} møter med eldreråd eller eldreorganisasjon"),
    OTHER: ("{n} annet møte", "{n} andre møter"),
}
PRIZE = "Leve hele livet-prisen"
_DELETED = Words("Rettet og slettet", "{n} føring slettet", "{n} føringer slettet")

KIND_WORDS: dict[str, Words] = {
    **{f"{c.MEETING_HELD}/{t}": Words("Møter holdt", *w) for t, w in _MEETINGS.items()},
    c.MEETING_HELD: Words("Møter holdt", "{n} møte", "{n} møter"),
    c.MEETING_OFFERED: Words("Tilbud om dialogmøte", "{n} kommune", "{n} kommuner",
                             kommuner=True),
    **{f"{c.MEETING_PLANNED}/{t}": Words("Møter planlagt", *w) for t, w in _MEETINGS.items()},
    c.MEETING_PLANNED: Words("Møter planlagt", "{n} møte", "{n} møter"),
    c.NETWORK_CREATED: Words("Læringsnettverk", "{n} nytt nettverk", "{n} nye nettverk"),
    c.NETWORK_INVITED: Words("Læringsnettverk", "{n} kommune invitert", "{n} kommuner invitert",
                             kommuner=True),
    c.NETWORK_JOINED: Words("Læringsnettverk", "{n} kommune ble med", "{n} kommuner ble med",
                            kommuner=True),
    c.NETWORK_LEFT: Words("Læringsnettverk", "{n} kommune gikk ut", "{n} kommuner gikk ut",
                          kommuner=True),
    c.GATHERING_ADDED: Words("Læringsnettverk", "{n} samling", "{n} samlinger"),
    c.PLAN_RECORDED: Words("Planer og faser", "plan eller prosess ført for {n} kommune",
                           "plan eller prosess ført for {n} kommuner", kommuner=True),
    c.PHASE_RECORDED: Words("Planer og faser", "fase ført for {n} kommune",
                            "fase ført for {n} kommuner", kommuner=True),
    c.EVENT_CREATED: Words("Arrangementer", "{n} nytt arrangement", "{n} nye arrangementer"),
    c.IMPORTED: Words("Importer", "{n} regneark", "{n} regneark"),
    c.NOMINATION_CREATED: Words(PRIZE, "{n} kommune nominert", "{n} kommuner nominert",
                                kommuner=True),
    c.EXAMPLE_CREATED: Words("Gode eksempler", "{n} nytt eksempel", "{n} nye eksempler"),
    # New kinds go here (before the corrections, which close the digest's list).
    c.MEETING_EDITED: Words("Rettet og slettet", "{n} møte rettet", "{n} møter rettet"),
    c.MEETING_DELETED: _DELETED,
    c.NETWORK_DELETED: _DELETED,
    c.INVITATIONS_DELETED: _DELETED,
    c.PARTICIPATION_DELETED: _DELETED,
    c.LEAVING_DELETED: _DELETED,
    c.GATHERING_DELETED: _DELETED,
    c.EVENT_DELETED: _DELETED,
    c.PLAN_DELETED: _DELETED,
    c.PHASE_DELETED: _DELETED,
    c.IMPORT_DELETED: _DELETED,
    c.NOMINATION_EDITED: Words("Rettet og slettet", "{n} begrunnelse rettet",
                               "{n} begrunnelser rettet"),
    c.NOMINATION_DELETED: _DELETED,
    c.WINNER_DELETED: _DELETED,
    c.EXAMPLE_DELETED: _DELETED,
}


def words_for(kind: str, meeting_type: str | None) -> Words | None:
    """The words a change of ``kind`` (a meeting: of ``meeting_type``) is counted in."""
    return KIND_WORDS.get(f"{kind}/{meeting_type}") or KIND_WORDS.get(kind)


def prize_group(aar: int) -> str:
    """``Leve hele livet-prisen 2027``: the line of one year's prize."""
    return f"{PRIZE} {aar}"


def winner_words(kommune: str) -> str:
    """``vinneren er Grimstad``."""
    return f"vinneren er {kommune}"

"""The tables. Alembic migrations in ``storage/migrations`` are the source of truth for the schema;
these classes must match them (a test compares the two)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime
from voice.innsatsomrader import KEYS as AREA_KEYS

HELD = "holdt"
OFFERED = "tilbudt"
PLANNED = "planlagt"
"""An agreed dialogue meeting not yet held (``/lhl planlegg-møte``): see ``storage.queries``
for when it counts and when a held meeting fulfils it."""

DIALOGUE = "dialogmøte"
MAYORS = "ordfører"
"""A meeting with mayors or chief executives (ordfører, kommunedirektør)."""
ELDERS = "eldreråd"
"""A meeting with councils or organisations of older people."""
OTHER = "annet"
MEETING_TYPES = (DIALOGUE, MAYORS, ELDERS, OTHER)
"""What a meeting was (``dialogue_meeting.type``); only dialogue meetings count in the
dialogue-meeting figures."""

COORDINATOR = "koordinator"
READER = "leser"


IDS_NEVER_REUSED: dict[str, Any] = {"sqlite_autoincrement": True}
"""For a table whose numbers users see or an undo restores: SQLite gives a new row the next
number after the highest ever given (``AUTOINCREMENT``), not after the highest left, so the
number of a deleted row is never given to another (PostgreSQL's sequences never do)."""


class Embete(SQLModel, table=True):
    """One of the ten Statsforvalter offices."""

    id: str = Field(primary_key=True, max_length=40)
    navn: str = Field(max_length=120, unique=True)
    kortnavn: str = Field(max_length=80)


class Fylke(SQLModel, table=True):
    nummer: str = Field(primary_key=True, max_length=2)
    navn: str = Field(max_length=80)
    embete_id: str = Field(foreign_key="embete.id", index=True, max_length=40)


class Kommune(SQLModel, table=True):
    nummer: str = Field(primary_key=True, max_length=4)
    navn: str = Field(max_length=120)
    fylke_nummer: str = Field(foreign_key="fylke.nummer", index=True, max_length=2)
    embete_id: str = Field(foreign_key="embete.id", index=True, max_length=40)


class Access(SQLModel, table=True):
    """What a Slack user may do: read everything, or write for one embete."""

    __tablename__ = "access"
    __table_args__ = (CheckConstraint("rolle IN ('koordinator', 'leser')", name="ck_access_rolle"),)

    slack_user_id: str = Field(primary_key=True, max_length=32)
    embete_id: str = Field(foreign_key="embete.id", index=True, max_length=40)
    rolle: str = Field(max_length=20)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class DialogueMeeting(SQLModel, table=True):
    """A meeting with one or several kommuner: held, offered or planned (``status``), and of
    which ``type`` (a dialogue meeting unless told). Despite the table's name, a held meeting
    with the mayors or the eldreråd is kept here too, so that every meeting of a kommune is on
    its card; the figures count ``type`` ``dialogmøte`` only."""

    __tablename__ = "dialogue_meeting"
    __table_args__ = (
        CheckConstraint("status IN ('holdt', 'tilbudt', 'planlagt')",
                        name="ck_dialogue_meeting_status"),
        CheckConstraint(f"type IN ({_listed(MEETING_TYPES)})", name="ck_dialogue_meeting_type"),
        Index("ix_dialogue_meeting_created_by_id", "created_by", "id"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(max_length=10)
    type: str = Field(default=DIALOGUE, sa_column=Column(
        String(12), nullable=False, server_default=DIALOGUE))
    dato: date = Field(index=True)
    tema: str | None = Field(default=None, max_length=500)
    med: str | None = Field(default=None, max_length=200)
    notat: str | None = Field(default=None, max_length=2000)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class MeetingKommune(SQLModel, table=True):
    """Which kommuner took part in (or were offered, or plan) a meeting.

    ``status``, ``type`` and ``dato`` repeat the meeting's (they are written together, by
    ``storage.queries.add_meeting`` only, and never changed) so that "has this kommune had a
    dialogue meeting this year" is answered from one index without a join.
    """

    __tablename__ = "meeting_kommune"
    __table_args__ = (
        Index("ix_meeting_kommune_kommune_dato", "kommune_nummer", "dato"),
        Index("ix_meeting_kommune_kommune_type_status_dato", "kommune_nummer", "type", "status",
              "dato"),
    )

    meeting_id: int = Field(
        sa_column=Column(
            ForeignKey("dialogue_meeting.id", ondelete="CASCADE"), primary_key=True
        )
    )
    kommune_nummer: str = Field(
        sa_column=Column(String(4), ForeignKey("kommune.nummer"), primary_key=True)
    )
    status: str = Field(max_length=10)
    type: str = Field(default=DIALOGUE, sa_column=Column(
        String(12), nullable=False, server_default=DIALOGUE))
    dato: date


class MeetingArea(SQLModel, table=True):
    """The innsatsområder a meeting's theme names (``voice.innsatsomrader``), by short form,
    so that meetings can be counted by area."""

    __tablename__ = "meeting_area"
    __table_args__ = (
        CheckConstraint(f"omrade IN ({_listed(AREA_KEYS)})", name="ck_meeting_area_omrade"),
    )

    meeting_id: int = Field(
        sa_column=Column(ForeignKey("dialogue_meeting.id", ondelete="CASCADE"),
                         primary_key=True))
    omrade: str = Field(sa_column=Column(String(20), primary_key=True))


class StoreRevision(SQLModel, table=True):
    """One row counting committed write transactions, so that every process can tell whether
    what it cached from the store is still current."""

    __tablename__ = "store_revision"

    id: int = Field(default=1, primary_key=True)
    n: int = Field(sa_column=Column(BigInteger, nullable=False, server_default="0"))


# --- reminders (part 2) ------------------------------------------------------------------------

MESSAGE = "melding"
DEADLINE = "frist"
DIGEST = "sammendrag"
"""The weekly digest of a channel's embete (``/lhl ukesammendrag``), built when it is sent."""

CLAIMED = "claimed"
SENT = "sent"
FAILED = "failed"
SKIPPED = "skipped"


class Reminder(SQLModel, table=True):
    """A reminder in a channel. The store, not the scheduler, is the source of truth:
    ``next_due_at``/``next_key`` say which occurrence comes next and are advanced as each one is
    delivered or skipped; APScheduler's jobs are rebuilt from them.

    A deleted reminder keeps its row, with ``deleted_at`` set and no next occurrence (see
    ``storage.reminders.delete_reminder`` for why), so that ``/lhl angre`` can bring it back
    with its deliveries and "Levert" marks.
    """

    __tablename__ = "reminder"
    __table_args__ = (
        CheckConstraint("kind IN ('melding', 'frist', 'sammendrag')", name="ck_reminder_kind"),
        Index("ix_reminder_channel", "channel_id"),
        Index("ix_reminder_next_due", "paused", "next_due_at"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    channel_id: str = Field(max_length=32)
    kind: str = Field(max_length=10)
    text: str = Field(max_length=500)
    rule: str = Field(max_length=2000)
    """The rule as JSON (``schedules.rules.rule_to_json``)."""
    embete_id: str | None = Field(default=None, foreign_key="embete.id", max_length=40)
    """Whose figures a reporting-deadline reminder carries (the creator's embete)."""
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    paused: bool = Field(default=False)
    next_due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    next_key: str | None = Field(default=None, max_length=64)
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class ReminderDelivery(SQLModel, table=True):
    """One occurrence of a reminder, claimed before it is sent: the unique key is what keeps two
    processes, a restart or a retry from sending it twice."""

    __tablename__ = "reminder_delivery"
    __table_args__ = (
        UniqueConstraint("reminder_id", "occurrence_key", name="uq_reminder_delivery_occurrence"),
        CheckConstraint("status IN ('claimed', 'sent', 'failed', 'skipped')",
                        name="ck_reminder_delivery_status"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    reminder_id: int = Field(
        sa_column=Column(ForeignKey("reminder.id", ondelete="CASCADE"), nullable=False,
                         index=True))
    occurrence_key: str = Field(max_length=64)
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    status: str = Field(max_length=10)
    reason: str | None = Field(default=None, max_length=300)
    claimed_by: str = Field(max_length=64)
    claimed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    message_ts: str | None = Field(default=None, max_length=32)


class DeadlineDone(SQLModel, table=True):
    """A deadline marked "Levert": no further reminders for it."""

    __tablename__ = "deadline_done"

    reminder_id: int = Field(
        sa_column=Column(ForeignKey("reminder.id", ondelete="CASCADE"), primary_key=True))
    deadline: date = Field(primary_key=True)
    done_by: str = Field(max_length=32)
    done_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ReminderDraft(SQLModel, table=True):
    """A recurrence shown to its author but not yet saved (one per user and channel)."""

    __tablename__ = "reminder_draft"

    user_id: str = Field(primary_key=True, max_length=32)
    channel_id: str = Field(primary_key=True, max_length=32)
    command: str = Field(max_length=1000)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class DoneOnce(SQLModel, table=True):
    """A piece of work that must happen at most once, by its key: a Slack request delivered
    twice (``trigger_id``, ``event_id``), a button pressed twice by the same person on the same
    message. See ``storage.once`` for when the row is written with the work it guards and when
    before it."""

    __tablename__ = "done_once"

    key: str = Field(primary_key=True, max_length=200)
    done_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))


# --- the change log -----------------------------------------------------------------------------


class Change(SQLModel, table=True):
    """One change a user made to the store, or the undoing of one (``kind`` ``undo``): who,
    when, which record, and the record before and after as JSON (``None``: it did not exist).

    ``undone_by`` points at the ``undo`` row that took the change back. See ``storage.changes``
    for the kinds and what their JSON holds.
    """

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_changed_by_id", "changed_by", "id"),
        Index("ix_change_log_record", "record", "record_id", "id"),
        Index("ix_change_log_embete_id", "embete_id", "id"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    changed_by: str = Field(max_length=32)
    changed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    kind: str = Field(max_length=30)
    record: str = Field(max_length=30)
    """The table of the record changed (``dialogue_meeting``, ``reminder``, ``access``)."""
    record_id: str = Field(max_length=64)
    before: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))
    after: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))
    undone_by: int | None = Field(
        default=None, sa_column=Column(ForeignKey("change_log.id"), nullable=True))
    embete_id: str | None = Field(default=None, max_length=40)
    """The embete the record belongs to, when it belongs to one (a network, an event, a
    reminder, an access grant); a meeting is found through its kommuner (``change_kommune``)."""


class ChangeKommune(SQLModel, table=True):
    """The kommuner a change concerns (a meeting's, an invitation's …), so that the log of
    one kommune or embete is found by index, also for records deleted since."""

    __tablename__ = "change_kommune"
    __table_args__ = (Index("ix_change_kommune_kommune", "kommune_nummer", "change_id"),)

    change_id: int = Field(
        sa_column=Column(ForeignKey("change_log.id", ondelete="CASCADE"), primary_key=True))
    kommune_nummer: str = Field(sa_column=Column(String(4), primary_key=True))


# --- learning networks (part 3) ----------------------------------------------------------------


class Network(SQLModel, table=True):
    """A læringsnettverk (or other network) run by one embete, for the kommuner there.

    ``navn_key`` is the name folded (case, accents and spacing ignored): two networks of one
    embete may not share it. ``fra``/``til`` are the network's period when known; after ``til``
    no kommune counts as taking part in it.
    """

    __tablename__ = "network"
    __table_args__ = (
        UniqueConstraint("embete_id", "navn_key", name="uq_network_embete_navn"),
        CheckConstraint("fra IS NULL OR til IS NULL OR fra <= til", name="ck_network_period"),
        Index("ix_network_created_by", "created_by"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    embete_id: str = Field(foreign_key="embete.id", index=True, max_length=40)
    navn: str = Field(max_length=200)
    navn_key: str = Field(max_length=200)
    tema: str | None = Field(default=None, max_length=500)
    fra: date | None = None
    til: date | None = None
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class NetworkInvitation(SQLModel, table=True):
    """A kommune invited to a network, from ``dato`` (once per network and kommune)."""

    __tablename__ = "network_invitation"
    __table_args__ = (
        Index("ix_network_invitation_kommune_dato", "kommune_nummer", "dato"),
        Index("ix_network_invitation_created_by", "created_by"),
    )

    network_id: int = Field(
        sa_column=Column(ForeignKey("network.id", ondelete="CASCADE"), primary_key=True))
    kommune_nummer: str = Field(
        sa_column=Column(String(4), ForeignKey("kommune.nummer"), primary_key=True))
    dato: date
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class NetworkParticipation(SQLModel, table=True):
    """One period a kommune took part in a network: from ``fra`` until it left (``til``, the
    first day it no longer took part; None while it still does). Leaving closes the period
    and a kommune that comes back gets a new one, so the history stays with its dates."""

    __tablename__ = "network_participation"
    __table_args__ = (
        UniqueConstraint("network_id", "kommune_nummer", "fra",
                         name="uq_network_participation_start"),
        CheckConstraint("til IS NULL OR fra <= til", name="ck_network_participation_period"),
        Index("ix_network_participation_kommune_fra", "kommune_nummer", "fra"),
        Index("ix_network_participation_created_by", "created_by"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(
        sa_column=Column(ForeignKey("network.id", ondelete="CASCADE"), nullable=False))
    kommune_nummer: str = Field(
        sa_column=Column(String(4), ForeignKey("kommune.nummer"), nullable=False))
    fra: date
    til: date | None = None
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    ended_by: str | None = Field(default=None, max_length=32)
    """Who recorded the leaving."""
    ended_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class NetworkGathering(SQLModel, table=True):
    """A gathering (samling) of a network on one day."""

    __tablename__ = "network_gathering"
    __table_args__ = (
        Index("ix_network_gathering_network_dato", "network_id", "dato"),
        Index("ix_network_gathering_created_by", "created_by"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(
        sa_column=Column(ForeignKey("network.id", ondelete="CASCADE"), nullable=False))
    dato: date
    tema: str | None = Field(default=None, max_length=500)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class NetworkGatheringKommune(SQLModel, table=True):
    """The kommuner that took part in a gathering."""

    __tablename__ = "network_gathering_kommune"

    gathering_id: int = Field(
        sa_column=Column(ForeignKey("network_gathering.id", ondelete="CASCADE"),
                         primary_key=True))
    kommune_nummer: str = Field(
        sa_column=Column(String(4), ForeignKey("kommune.nummer"), primary_key=True))


# --- conferences and seminars (part 3) ---------------------------------------------------------

EVENT_KINDS = ("konferanse", "seminar", "webinar", "samling")


class Event(SQLModel, table=True):
    """A conference, seminar, webinar or gathering an embete holds for the kommuner: the
    overview Hdir asks each embete to keep (seed 001), with target group, main theme and
    whether Hdir and/or HOD/political leadership is wanted. A date before today is one held.
    (Not a Slack event: those are only keys in ``done_once``.)"""

    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_listed(EVENT_KINDS)})", name="ck_event_kind"),
        Index("ix_event_embete_dato", "embete_id", "dato"),
        Index("ix_event_dato", "dato"),
        Index("ix_event_created_by", "created_by"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    embete_id: str = Field(foreign_key="embete.id", max_length=40)
    kind: str = Field(max_length=12)
    tittel: str = Field(max_length=150)
    dato: date
    malgruppe: str = Field(max_length=300)
    hovedtema: str = Field(max_length=300)
    onsker_hdir: bool = Field(default=False)
    onsker_hod: bool = Field(default=False)
    """Participation wanted from HOD or the political leadership."""
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class EventArea(SQLModel, table=True):
    """The innsatsområder an event's main theme names (``voice.innsatsomrader``), by short
    form."""

    __tablename__ = "event_area"
    __table_args__ = (
        CheckConstraint(f"omrade IN ({_listed(AREA_KEYS)})", name="ck_event_area_omrade"),
    )

    event_id: int = Field(
        sa_column=Column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True))
    omrade: str = Field(sa_column=Column(String(20), primary_key=True))


# --- plans and phases (part 3) -----------------------------------------------------------------

PLAN_ADOPTED = "vedtatt"
"""The kommune has adopted a plan for Leve hele livet."""
PLAN_PROCESS = "prosess"
"""The kommune has described a process for how and when it will adopt one (seed 003)."""
PLAN_STATUSES = (PLAN_ADOPTED, PLAN_PROCESS)
PHASES = (1, 2, 3, 4)
"""The reform's four phases (seed 002); their names are in ``commands.fase``."""


class KommunePlan(SQLModel, table=True):
    """One change of a kommune's plan status, from ``dato``: a history, never overwritten, so
    the status can be told as of any day (the latest row on or before it, see
    ``storage.plans``). Only ``/lhl angre`` and ``/lhl slett`` remove rows: those one change
    made."""

    __tablename__ = "kommune_plan"
    __table_args__ = (
        CheckConstraint(f"status IN ({_listed(PLAN_STATUSES)})", name="ck_kommune_plan_status"),
        Index("ix_kommune_plan_kommune_dato", "kommune_nummer", "dato", "id"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    kommune_nummer: str = Field(
        sa_column=Column(String(4), ForeignKey("kommune.nummer"), nullable=False))
    status: str = Field(max_length=10)
    dato: date
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class KommuneFase(SQLModel, table=True):
    """One change of the phase a kommune is in, from ``dato``: a history like
    :class:`KommunePlan`."""

    __tablename__ = "kommune_fase"
    __table_args__ = (
        CheckConstraint("fase BETWEEN 1 AND 4", name="ck_kommune_fase_fase"),
        Index("ix_kommune_fase_kommune_dato", "kommune_nummer", "dato", "id"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    kommune_nummer: str = Field(
        sa_column=Column(String(4), ForeignKey("kommune.nummer"), nullable=False))
    fase: int
    dato: date
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


# --- good examples (part 5) ---------------------------------------------------------------------

EXAMPLE_TITLE_CHARS = 150
EXAMPLE_NOTE_CHARS = 500
EXAMPLE_LINK_CHARS = 500


class Example(SQLModel, table=True):
    """A good example of how a kommune planned the reform locally (*eksempelsamling*, seed
    003), so that kommuner can learn from one another: a title, the innsatsområder it is about
    (:class:`ExampleArea`), and a link and a note when given. The link is stored as checked
    (``commands.parse.links``)."""

    __tablename__ = "example"
    __table_args__ = (
        Index("ix_example_kommune", "kommune_nummer", "created_at"),
        Index("ix_example_created_at", "created_at"),
        Index("ix_example_created_by", "created_by"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    kommune_nummer: str = Field(
        sa_column=Column(String(4), ForeignKey("kommune.nummer"), nullable=False))
    tittel: str = Field(max_length=EXAMPLE_TITLE_CHARS)
    lenke: str | None = Field(default=None, max_length=EXAMPLE_LINK_CHARS)
    notat: str | None = Field(default=None, max_length=EXAMPLE_NOTE_CHARS)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ExampleArea(SQLModel, table=True):
    """The innsatsområder a good example is about (``voice.innsatsomrader``), by short form."""

    __tablename__ = "example_area"
    __table_args__ = (
        CheckConstraint(f"omrade IN ({_listed(AREA_KEYS)})", name="ck_example_area_omrade"),
        Index("ix_example_area_omrade", "omrade", "example_id"),
    )

    example_id: int = Field(
        sa_column=Column(ForeignKey("example.id", ondelete="CASCADE"), primary_key=True))
    omrade: str = Field(sa_column=Column(String(20), primary_key=True))


# --- nominations for the Leve hele livet-prisen (part 5) ----------------------------------------


class Nomination(SQLModel, table=True):
    """A kommune nominated by an embete for the *Leve hele livet-prisen* of ``aar`` (seed 001:
    the regional support apparatus nominates; the prize is given at the national conference in
    November). One per kommune, year and embete.

    ``fakta`` is the kommune's own record as it stood when it was nominated (meetings held,
    learning networks, plan and phase; ``storage.nominations.kommune_facts``): what the
    nominators saw, kept with the nomination as a letter would keep it. An edit changes the
    begrunnelse only (``endret_by``/``endret_at``)."""

    __tablename__ = "nomination"
    __table_args__ = (
        UniqueConstraint("aar", "kommune_nummer", "embete_id",
                         name="uq_nomination_aar_kommune_embete"),
        Index("ix_nomination_aar_embete", "aar", "embete_id", "id"),
        Index("ix_nomination_kommune", "kommune_nummer", "aar"),
        IDS_NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    aar: int
    kommune_nummer: str = Field(
        sa_column=Column(String(4), ForeignKey("kommune.nummer"), nullable=False))
    embete_id: str = Field(foreign_key="embete.id", max_length=40)
    begrunnelse: str = Field(max_length=1500)
    fakta: dict[str, Any] = Field(sa_column=Column(JSON(), nullable=False))
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    endret_by: str | None = Field(default=None, max_length=32)
    endret_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True))


class PrizeWinner(SQLModel, table=True):
    """The nomination an administrator marked as the winner of the prize of ``aar``: one per
    year (the key), so marking another moves it."""

    __tablename__ = "prize_winner"

    aar: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    nomination_id: int = Field(sa_column=Column(ForeignKey("nomination.id"), nullable=False,
                                                unique=True))
    marked_by: str = Field(max_length=32)
    marked_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))

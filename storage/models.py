"""The tables. Alembic migrations in ``storage/migrations`` are the source of truth for the schema;
these classes must match them (a test compares the two)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Index, String
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

HELD = "holdt"
OFFERED = "tilbudt"

COORDINATOR = "koordinator"
READER = "leser"


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


class DialogueMeeting(SQLModel, table=True):
    """A dialogue meeting held or offered, with one or several kommuner."""

    __tablename__ = "dialogue_meeting"
    __table_args__ = (
        CheckConstraint("status IN ('holdt', 'tilbudt')", name="ck_dialogue_meeting_status"),
        Index("ix_dialogue_meeting_created_by_id", "created_by", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(max_length=10)
    dato: date = Field(index=True)
    tema: str | None = Field(default=None, max_length=500)
    med: str | None = Field(default=None, max_length=200)
    notat: str | None = Field(default=None, max_length=2000)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class MeetingKommune(SQLModel, table=True):
    """Which kommuner took part in (or were offered) a meeting.

    ``status`` and ``dato`` repeat the meeting's so that "has this kommune had a meeting this
    year" is answered from one index without a join.
    """

    __tablename__ = "meeting_kommune"
    __table_args__ = (
        Index("ix_meeting_kommune_kommune_dato", "kommune_nummer", "dato"),
        Index("ix_meeting_kommune_kommune_status_dato", "kommune_nummer", "status", "dato"),
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
    dato: date


class StoreRevision(SQLModel, table=True):
    """One row counting committed write transactions, so that every process can tell whether
    what it cached from the store is still current."""

    __tablename__ = "store_revision"

    id: int = Field(default=1, primary_key=True)
    n: int = Field(sa_column=Column(BigInteger, nullable=False, server_default="0"))

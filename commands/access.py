"""Who may write what. Checked on every write, inside the write's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from commands.base import Context, UsageError
from storage.models import COORDINATOR
from storage.queries import grant_of
from storage.reference import EmbeteRef, KommuneRef
from voice import texts
from voice.words import join_names


def own_embete(ctx: Context, *, session: Session) -> EmbeteRef | None:
    """The embete a user works for, if any grant says so."""
    grant = grant_of(ctx.user_id, session=session)
    return ctx.geo.embeter.get(grant.embete_id) if grant else None


def writer_embete(ctx: Context, *, session: Session) -> str | None:
    """The embete a user writes for; None for an admin who works for no embete. Raise
    UsageError for a user with no access or only read access."""
    grant = grant_of(ctx.user_id, session=session)
    if ctx.is_admin:
        return grant.embete_id if grant else None
    if grant is None:
        raise UsageError(texts.NO_ACCESS)
    if grant.rolle != COORDINATOR:
        raise UsageError(texts.READER_ONLY.format(embete=ctx.geo.embeter[grant.embete_id].navn))
    return grant.embete_id


def require_writer(ctx: Context, kommuner: Sequence[KommuneRef], *, session: Session,
                   said: Sequence[str] = ()) -> None:
    """Raise UsageError unless the user may write for every one of ``kommuner``.

    Admins write for all kommuner; a coordinator only for those of their own embete. ``said``
    is what the command says before its answer (how a former name was read: ``Førde er en
    del av Sunnfjord siden 2020.``), kept before the refusal so that it makes sense.
    """
    embete_id = writer_embete(ctx, session=session)
    if ctx.is_admin or embete_id is None:
        return
    outside = [k.navn for k in kommuner if k.embete_id != embete_id]
    if outside:
        raise UsageError("\n".join([*said, texts.OUTSIDE_EMBETE.format(
            kommuner=join_names(outside), embete=ctx.geo.embeter[embete_id].navn)]))


def may_change_reminder(user_id: str, *, is_admin: bool, created_by: str,
                        embete_id: str | None, session: Session) -> bool:
    """Whether a user may press a reminder's buttons (a button press is a write): admins, the
    one who made the reminder, and coordinators of its embete (any coordinator when it has
    none)."""
    if is_admin or user_id == created_by:
        return True
    grant = grant_of(user_id, session=session)
    return grant is not None and grant.rolle == COORDINATOR and (
        embete_id is None or grant.embete_id == embete_id)

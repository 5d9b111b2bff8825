"""The one code path from a ``/lhl`` text to a reply, shared by Slack and the console."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from difflib import get_close_matches
from typing import Any

from commands.base import CommandSpec, Context, UsageError
from commands.cache import ReplyCache
from commands.forms import Form, Opening, Parsed, Submitted, start
from commands.parse.fields import refuse_identity_numbers
from commands.registry import COMMANDS, lookup
from storage.db import Database
from storage.once import first_time
from voice import texts
from voice.reply import Reply, said, text_only
from voice.text import normalize
from voice.words import echo

log = logging.getLogger("lhl.commands")

# "… vis alle" at the end of any command shows its answer to the whole channel (an error is
# still only shown to the one who typed it).
_SHARE = re.compile(r"\s+vis\s+alle$", re.IGNORECASE)

ALREADY_DONE = (
    "Denne kommandoen kom fram to ganger fra Slack og er allerede utført; ingenting ble gjort "
    "på nytt."
)

@dataclass(frozen=True)
class Invocation:
    """One ``/lhl`` text read as far as its command: the spec (None for an unknown name), the
    rest of the text, and whether the answer is for the whole channel (``… vis alle``)."""

    name: str
    spec: CommandSpec | None
    rest: str
    share: bool


def read(text: str) -> Invocation:
    """Normalise ``text`` and find its command."""
    clean = normalize(text)
    share = _SHARE.search(clean)
    if share:
        clean = clean[: share.start()]
    name, _, rest = clean.partition(" ")
    name = name.lower()
    return Invocation(name, lookup(name or "hjelp"), rest.strip(), share is not None)


def run_command(text: str, *, ctx: Context, db: Database, cache: ReplyCache | None = None,
                ) -> Reply:
    """Parse and run one ``/lhl`` text (see :func:`run`)."""
    return run(read(text), ctx=ctx, db=db, cache=cache)


def run(invocation: Invocation, *, ctx: Context, db: Database,
        cache: ReplyCache | None = None) -> Reply:
    """Run one read ``/lhl`` text. Never raises: a known failure becomes its sentence,
    anything else is logged with a reference the user can quote. Replies of commands whose
    spec says ``cached`` are kept in ``cache`` until the store changes (see
    ``Database.cache_marker``)."""
    spec = invocation.spec
    try:
        if spec is None:
            return text_only(unknown_command(invocation.name))
        reply = _run(spec, invocation.rest, ctx, db, cache)
        if invocation.share:
            return replace(reply, in_channel=True)
        return reply
    except UsageError as exc:
        return text_only(exc.shown)
    except Exception:
        ref = secrets.token_hex(3)
        log.exception("command failed ref=%s user=%s command=%s", ref, ctx.user_id,
                      invocation.name)
        return text_only(texts.INTERNAL_ERROR.format(ref=ref))


def _run(spec: CommandSpec, rest: str, ctx: Context, db: Database,
         cache: ReplyCache | None) -> Reply:
    if spec.writes:
        return _execute(spec, spec.parse(rest, ctx), ctx, db, written={"tekst": rest})
    if cache is None or not spec.cached:
        args = spec.parse(rest, ctx)
        with db.read() as session:
            return spec.execute(args, session=session, ctx=ctx)
    # Looked up before parsing: the raw text decides the reply as much as the parsed one.
    marker = db.cache_marker()
    key = (spec.name, rest, ctx.user_id, ctx.is_admin, ctx.now.date(), marker)
    reply = cache.get(key)
    if reply is None:
        args = spec.parse(rest, ctx)  # a UsageError here is answered, never cached
        with db.read() as session:
            reply = spec.execute(args, session=session, ctx=ctx)
        # Keep only a reply that no write seen by the marker can have overlapped, and none
        # that carries a file (a chart): the cache holds a thousand replies, not their files.
        if db.cache_marker() == marker and not reply.files:
            cache.put(key, reply)
    return reply


def _execute(spec: CommandSpec, args: Any, ctx: Context, db: Database, *,
             written: Mapping[str, str]) -> Reply:
    """Run a write command's parsed ``args``: in one write transaction with its once-key
    (or a read transaction when these arguments only read). ``written`` is the text they
    were read from, by field (the typed text is one, ``tekst``)."""
    if spec.reads_only is not None and spec.reads_only(args):
        with db.read() as session:
            return spec.execute(args, session=session, ctx=ctx)
    # After the command's own checks, which name the field; this one catches the rest.
    for field, text in written.items():
        refuse_identity_numbers(text, field)
    with db.write() as session:
        # In the command's own transaction: a failed command leaves no key behind, and a
        # second delivery finds the key only once the first one's work is committed.
        if ctx.request_key and not first_time(ctx.request_key, now=ctx.now, session=session):
            log.info("command %s delivered again (%s): not done twice", spec.name,
                     ctx.request_key)
            return text_only(ALREADY_DONE)
        return spec.execute(args, session=session, ctx=ctx)


# --- forms ------------------------------------------------------------------------------------


def form_for(invocation: Invocation) -> Form | None:
    """The form a ``/lhl`` text opens in Slack (``/lhl logg-møte`` alone), if any."""
    spec = invocation.spec
    if spec is None or invocation.share:
        return None
    return next((f for f in spec.forms if f.opens(invocation.rest)), None)


def open_form(form: Form, rest: str, *, ctx: Context, db: Database,
              given: Opening | None = None) -> Opening:
    """The form as it opens for ``ctx``'s user (``given``: as made from a message); raises
    UsageError when it cannot (no write access, the meeting to edit is someone else's), which
    the caller answers as the command would."""
    with db.read() as session:
        return start(form, rest, ctx, session, given=given)


def submit_form(spec: CommandSpec, form: Form, values: Mapping[str, Any],
                meta: Mapping[str, Any], *, ctx: Context, db: Database) -> Reply:
    """Run the command a submitted form makes, as the typed command runs (its parse or the
    arguments its own code made, then its execute with the once-key). Raises UsageError for a
    refusal, so the form can show it on its field; anything else is logged, and raised as a
    UsageError with the sentence :func:`run` gives (and its reference)."""
    try:
        with db.read() as session:
            built = form.build(Submitted(values, meta, ctx, session))
        if isinstance(built, Parsed):
            args = built.args
            written = {k: v for k, v in values.items() if isinstance(v, str)}
        else:
            invocation = read(built)
            if invocation.spec is not spec:
                raise AssertionError(f"form {form.name} built a text for another command")
            args = spec.parse(invocation.rest, ctx)
            written = {"tekst": invocation.rest}
        return _execute(spec, args, ctx, db, written=written)
    except UsageError:
        raise
    except Exception:
        ref = secrets.token_hex(3)
        log.exception("form failed ref=%s user=%s form=%s", ref, ctx.user_id, form.name)
        # Shown in the form, which stays open: nothing was stored, and the user can try again.
        raise UsageError(texts.INTERNAL_ERROR.format(ref=ref), reason="internal") from None


def unknown_command(name: str) -> str:
    """The answer to an unknown command: the closest commands (each once, by its own name),
    never one that is :attr:`~commands.base.CommandSpec.destructive`; a long name is cut."""
    offered = [spec for spec in COMMANDS if not spec.destructive]
    by_name = {n: spec for spec in offered for n in (spec.name, *spec.aliases)}
    close: list[str] = []
    for match in get_close_matches(name, by_name, n=len(by_name), cutoff=0.6):
        if by_name[match].name not in close:
            close.append(by_name[match].name)
    shown = said(echo(name))
    if close:
        return texts.UNKNOWN_COMMAND_CLOSE.format(
            name=shown, close=" eller ".join(f"`/lhl {c}`" for c in close[:2])
        )
    return texts.UNKNOWN_COMMAND.format(name=shown)

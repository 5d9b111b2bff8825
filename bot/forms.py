"""Forms in Slack: opening a command's modal, answering its kommune type-ahead, receiving a
submission, and the message shortcut «Logg møte fra denne meldingen».

What a form holds and what it stores are the command's (``commands.forms``); this module only
speaks Slack:

* ``/lhl logg-møte`` alone (any text a command's form :attr:`~commands.forms.Form.opens` for)
  opens the form with ``views.open`` before the acknowledgement, within the 3 seconds Slack's
  ``trigger_id`` lives; the acknowledgement is then empty. If the form may not be opened (no
  write access, someone else's meeting), the refusal is the answer; if Slack does not open it
  in time, the command answers as typed (its usage sentence).
* The kommune field asks for options as the user types (``block_suggestion``): matching
  kommuner by today's, former and Sami names and by number, at most 100, from memory.
* A submission (``view_submission``) runs the command in the acknowledgement: a refusal comes
  back as ``response_action: errors`` on the field it is about and nothing is stored; otherwise
  the modal closes, and the command's answer is posted after the acknowledgement (a Bolt lazy
  listener) as an ephemeral message in the channel the form was opened from, or, when Slack
  will not post there, as a direct message; then the files that go with it (``bot.followup``)
  and the submitter's Home tab again (``bot.home``). The view's id is the once-key: a
  submission Slack delivers twice is stored once.
* The message shortcut acknowledges at once, then asks Slack for the message's permalink and
  opens the meeting form filled in from the message (see ``commands.logg_mote.from_message``).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import home
from bot.followup import deliver_files, post_answer, with_file_note
from bot.runtime import Runtime
from commands import logg_mote
from commands.base import UsageError
from commands.dispatch import form_for, open_form, read, submit_form
from commands.forms import CALLBACK_PREFIX, KOMMUNE_ACTION, Opening, errors, view
from commands.parse.places import suggest_kommuner
from commands.registry import FORMS
from voice.modal import MENU_OPTIONS, options, read_state
from voice.reply import Reply, text_only

log = logging.getLogger("lhl.forms")

SHORTCUT = "lhl_logg_fra_melding"
"""The ``callback_id`` of the message shortcut «Logg møte fra denne meldingen»."""
FORM_VIEW = re.compile(f"^{re.escape(CALLBACK_PREFIX)}")
OPEN_TIMEOUT_S = 2
"""``views.open`` must use the ``trigger_id`` within 3 s of the user's action."""
CONFIRMATION = "lhl_confirmation"
"""Where the submission's acknowledgement leaves the answer for the lazy listener."""
NOT_OPENED = ("Jeg fikk ikke åpnet skjemaet (Slack svarte ikke i tide). Prøv igjen, eller "
              "skriv kommandoen: `/lhl hjelp logg-møte`.")

Listener = Callable[..., None]


def quick_client(client: WebClient, timeout: int) -> WebClient:
    """``client`` with a short timeout and no retries, for a call inside Slack's 3 seconds."""
    return WebClient(token=client.token, base_url=client.base_url, timeout=timeout,
                     logger=client.logger, retry_handlers=[])


def register(app: Any, runtime: Runtime) -> None:
    """Bind the type-ahead, the submissions and the message shortcut (``/lhl`` itself opens
    forms through :func:`open_for_command`)."""
    app.options(KOMMUNE_ACTION)(kommune_options(runtime))
    app.view(FORM_VIEW)(ack=submission(runtime), lazy=[confirmation(runtime)])
    app.shortcut(SHORTCUT)(ack=_ack_at_once, lazy=[message_shortcut(runtime)])


def _ack_at_once(ack: Ack) -> None:
    ack()


# --- where the answer goes ----------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where a form was opened from, kept in the view's ``private_metadata`` with the
    form's own ``meta``: the channel (and thread) to answer in."""

    channel: str | None = None
    thread: str | None = None
    meta: Mapping[str, Any] | None = None

    def dumps(self) -> str:
        return json.dumps({"c": self.channel, "t": self.thread, "m": dict(self.meta or {})},
                          separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def loads(cls, text: str | None) -> Origin:
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        meta = data.get("m")
        return cls(_str(data.get("c")), _str(data.get("t")), meta if isinstance(meta, dict)
                   else {})


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


# --- opening ------------------------------------------------------------------------------


def open_for_command(runtime: Runtime, client: WebClient, command: Mapping[str, Any]
                     ) -> Reply | Literal["opened"] | None:
    """Open the form a ``/lhl`` text opens, if any: ``"opened"`` (acknowledge with nothing),
    a reply (the form may not be opened: say why), or None (no form, or Slack did not open
    it: run the text as typed)."""
    text = str(command.get("text", ""))
    trigger = command.get("trigger_id")
    invocation = read(text)
    form = form_for(invocation)
    if form is None or not isinstance(trigger, str) or not trigger:
        return None
    channel = _str(command.get("channel_id"))
    ctx = runtime.context(str(command["user_id"]), channel,
                          channel_name=_str(command.get("channel_name")))
    try:
        opening = open_form(form, invocation.rest, ctx=ctx, db=runtime.db)
    except UsageError as exc:
        return text_only(exc.shown)
    return "opened" if _open(runtime, client, trigger, opening, Origin(channel)) else None


def _open(runtime: Runtime, client: WebClient, trigger: str, opening: Opening,
          origin: Origin) -> bool:
    modal = view(opening, geo=runtime.geo,
                 private_metadata=Origin(origin.channel, origin.thread, opening.meta).dumps())
    try:
        quick_client(client, OPEN_TIMEOUT_S).views_open(trigger_id=trigger, view=modal)
    except (SlackApiError, OSError) as exc:
        log.warning("views.open failed for form %s (%s)", opening.form.name, _why(exc))
        return False
    log.info("form %s opened", opening.form.name)
    return True


def _why(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error", "error"))
    return type(exc).__name__


# --- the kommune type-ahead -----------------------------------------------------------------


def kommune_options(runtime: Runtime) -> Listener:
    """The kommuner matching what has been typed in a kommune field (at most 100)."""

    def answer(ack: Ack, body: dict[str, Any]) -> None:
        found = suggest_kommuner(str(body.get("value", "")), runtime.geo, limit=MENU_OPTIONS)
        ack(options=options((s.label, s.kommune.nummer) for s in found))

    return answer


# --- submitting -----------------------------------------------------------------------------


def submission(runtime: Runtime) -> Listener:
    """A submitted form: the command runs now, its refusal goes back on the form's field, and
    its answer is left for :func:`confirm`."""

    def submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                  context: BoltContext) -> None:
        found = FORMS.get(str(view.get("callback_id", "")))
        user = (body.get("user") or {}).get("id")
        if found is None or not isinstance(user, str):
            log.warning("submission of an unknown form %s", str(view.get("callback_id"))[:60])
            ack()
            return
        spec, form = found
        origin = Origin.loads(view.get("private_metadata"))
        ctx = runtime.context(user, origin.channel, request_key=f"view:{view.get('id')}")
        try:
            answer = submit_form(spec, form, read_state(view.get("state") or {}),
                                 origin.meta or {}, ctx=ctx, db=runtime.db)
        except UsageError as exc:
            log.info("form %s refused (%s) user=%s", form.name, exc.reason, user)
            ack(response_action="errors", errors=errors(form, exc, ctx))
            return
        if spec.changes_reminders:
            runtime.reminders_changed()
        ack()
        log.info("form %s stored user=%s", form.name, user)
        context[CONFIRMATION] = {"user": user, "channel": origin.channel,
                                 "thread": origin.thread, "text": answer.text,
                                 "blocks": answer.blocks, "files": list(answer.files)}

    return submitted


def confirmation(runtime: Runtime) -> Listener:
    """After the acknowledgement: the command's answer to the one who submitted, ephemeral
    where the form was opened, else in a direct message; then the files that go with it, and
    the submitter's Home tab again (a form is a write)."""

    def confirm(context: BoltContext, client: WebClient) -> None:
        answer = context.get(CONFIRMATION)
        if not isinstance(answer, dict):
            return
        made = with_file_note(Reply(text=answer["text"], blocks=answer["blocks"],
                                    files=tuple(answer["files"])))
        post_answer(client, answer["user"], answer["channel"], answer["thread"], made)
        deliver_files(client, made.files, user=answer["user"], channel=answer["channel"],
                      to_channel=False)
        home.refresh(runtime, client, answer["user"])

    return confirm


# --- the message shortcut -------------------------------------------------------------------


def message_shortcut(runtime: Runtime) -> Listener:
    """«Logg møte fra denne meldingen»: the meeting form filled in from the message."""

    def shortcut(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        user = (body.get("user") or {}).get("id")
        channel = _str((body.get("channel") or {}).get("id"))
        message = body.get("message") or {}
        trigger = body.get("trigger_id")
        if not isinstance(user, str) or not isinstance(trigger, str):
            return
        ctx = runtime.context(user, channel)
        link = _permalink(client, channel, _str(message.get("ts")))
        try:
            opening = open_form(
                logg_mote.LOGG_FORM, "", ctx=ctx, db=runtime.db,
                given=logg_mote.from_message(str(message.get("text") or ""), link, ctx))
        except UsageError as exc:
            respond(text=text_only(exc.shown).text, response_type="ephemeral")
            return
        thread = _str(message.get("thread_ts"))
        if not _open(runtime, client, trigger, opening, Origin(channel, thread)):
            respond(text=text_only(NOT_OPENED).text, response_type="ephemeral")

    return shortcut


def _permalink(client: WebClient, channel: str | None, ts: str | None) -> str | None:
    """The message's link (None when Slack does not give it in time: the form opens
    without it rather than not at all)."""
    if not channel or not ts:
        return None
    try:
        found = quick_client(client, 1).chat_getPermalink(channel=channel, message_ts=ts)
    except (SlackApiError, OSError) as exc:
        log.info("no permalink for the message (%s)", _why(exc))
        return None
    link = found.get("permalink")
    return link if isinstance(link, str) else None

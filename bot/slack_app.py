"""The Bolt app every Slack front end (HTTP and Socket Mode) shares.

``process_before_response=True`` is deliberate: for ``/lhl`` the acknowledgement *carries* the
reply, so the command runs inside the request and Bolt does not have to poll for a late
``ack()`` (which it does every 10 ms in the default mode). ``runtime.handle`` never raises and
is fast, so Slack's 3-second budget is spent on the command itself.

Buttons are different: their work waits on Slack (a membership probe, ``respond()`` and
``chat.update``, each with the client's 30 s timeout), so a slow Slack would make the press time
out and tempt the user to press again. Each button is therefore a Bolt *lazy listener*: the ack
function only acknowledges, and Bolt hands a copy of the request to its listener executor (a
thread pool in this process) for the work. In HTTP mode that runs in the Granian worker after
the 200 has gone; in Socket Mode after the envelope is acknowledged on the socket. The work
answers through ``respond()`` (the response_url) and ``chat.update``. A request delivered twice
(the same ``trigger_id``) is acknowledged twice and worked once.

What follows an answer never delays it either: the files that go with a reply are uploaded, and
the user's Home tab is published again after a write, in a few background threads
(``bot.background``, ``bot.followup``, ``bot.home``). A button on the Home tab has no channel
and no response_url: it opens its form with the press's ``trigger_id``, or runs its command and
answers in the user's direct message with the bot.
"""

from __future__ import annotations

import logging
import re
import secrets
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any

from pydantic import SecretStr
from slack_bolt import Ack, App, BoltResponse, Respond
from slack_bolt.error import BoltError
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import forms, home
from bot.file_source import SLOW_S, SlackFiles
from bot.followup import IN_DM, deliver_files, open_dm, with_file_note
from bot.runtime import Runtime, request_key
from bot.settings import SettingsError
from commands.base import COMMAND_ACTION_PREFIX, ButtonAction, Press, UsageError
from commands.registry import BUTTONS
from voice.reply import text_only

log = logging.getLogger("lhl.slack")

COMMAND = "/lhl"
PROBE_TIMEOUT_S = 1
COMMAND_BUTTON = re.compile(f"^{re.escape(COMMAND_ACTION_PREFIX)}")

# Shown when something outside the command itself failed (Bolt, the ack): we cannot know whether
# the command stored anything, so unlike ``texts.INTERNAL_ERROR`` this does not promise that.
SLACK_ERROR = (
    "Beklager, noe gikk galt hos meg. Sjekk med `/lhl status` om noe ble lagret før du prøver "
    "igjen; om det skjer igjen, gi referansen `{ref}` til den som drifter lhl."
)

Listener = Callable[..., None]


def build_app(runtime: Runtime, *, client: WebClient | None = None,
              verified_upstream: bool = False) -> App:
    """Build the Bolt app for ``runtime``'s settings, with ``/lhl`` and the error handler bound.

    The bot token is checked with ``auth.test`` here, so a revoked or mistyped token stops the
    bot at start with one sentence instead of failing on the first command. The signing secret
    is only required in HTTP mode; Socket Mode requests arrive on an authenticated socket.
    ``verified_upstream``: every request reaches Bolt through ``bot.http_server``, which has
    already checked its signature with the same ``SignatureVerifier`` Bolt's middleware uses,
    so Bolt does not compute the same HMAC a second time.
    """
    settings = runtime.settings
    if client is None:
        token = _secret(settings.slack_bot_token)
        if not token:
            raise SettingsError("Slack-modus trenger SLACK_BOT_TOKEN (xoxb-…).")
        base_url = settings.slack_api_url or WebClient.BASE_URL
        client = WebClient(token=token, base_url=base_url, logger=logging.getLogger("lhl.web"))
    signing_secret = _secret(settings.slack_signing_secret)
    try:
        app = App(
            name="lhl",
            client=client,
            signing_secret=signing_secret or "",
            request_verification_enabled=bool(signing_secret) and not verified_upstream,
            process_before_response=True,
            token_verification_enabled=True,
            logger=_bolt_logger(),
        )
    except BoltError:
        raise SettingsError(
            "Slack avviste SLACK_BOT_TOKEN (auth.test feilet); sjekk at tokenet er riktig og at "
            "appen er installert i arbeidsområdet."
        ) from None
    except OSError as exc:
        raise SettingsError(
            f"Fikk ikke kontakt med Slack for å sjekke SLACK_BOT_TOKEN ({type(exc).__name__}); "
            "sjekk nettverket og LHL_SLACK_API_URL."
        ) from None
    register(app, runtime)
    return app


class _DropClientOverToken(logging.Filter):
    """Bolt reads ``SLACK_BOT_TOKEN`` from the environment even when given a client, and then
    warns at every start that the token is unused. It is used: the client carries it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("lhl.bolt")
    if not any(isinstance(f, _DropClientOverToken) for f in logger.filters):
        logger.addFilter(_DropClientOverToken())
    return logger


def register(app: App, runtime: Runtime) -> None:
    """The one registration seam: ``/lhl``, the forms (``bot.forms``), the Home tab
    (``bot.home``), the command buttons, the buttons every command lists on its spec, and the
    global error handler."""
    app.middleware(once_per_event(runtime))
    app.command(COMMAND)(lhl_listener(runtime))
    forms.register(app, runtime)
    home.register(app, runtime)
    app.action(COMMAND_BUTTON)(ack=ack_at_once, lazy=[command_button_listener(runtime)])
    for action_id, button in BUTTONS.items():
        app.action(action_id)(ack=ack_at_once, lazy=[button_listener(runtime, button)])
    app.error(handle_error)


def event_key(body: dict[str, Any]) -> str | None:
    """The once-key of an Events API delivery (``event:<event_id>``); None for anything else."""
    event_id = body.get("event_id")
    if body.get("type") == "event_callback" and isinstance(event_id, str) and event_id:
        return f"event:{event_id}"
    return None


def once_per_event(runtime: Runtime) -> Callable[..., BoltResponse | None]:
    """Bolt middleware: an event is handled once, however often Slack delivers it (it retries
    with ``X-Slack-Retry-Num`` when an answer is late, over HTTP and Socket Mode alike).

    The event is claimed before its listener runs, in a transaction of its own, so a retry
    that arrives while the first delivery is still being handled is not handled again: at
    most once, as reminders are. When the claim itself fails (the database is down) the answer
    is 500, and Slack tries again later."""

    def middleware(body: dict[str, Any], next: Callable[[], BoltResponse]
                   ) -> BoltResponse | None:
        key = event_key(body)
        if key is None:
            return next()
        try:
            first = runtime.first_time(key)
        except Exception:
            log.exception("could not claim event %s", body.get("event_id"))
            return BoltResponse(status=500, body="")
        if not first:
            log.info("event %s delivered again: acknowledged, not handled again",
                     body.get("event_id"))
            return BoltResponse(status=200, body="")
        return next()

    return middleware


def ack_at_once(ack: Ack) -> None:
    """A button's acknowledgement, before any of its work (see the module docstring)."""
    ack()


def lhl_listener(runtime: Runtime) -> Listener:
    """The ``/lhl`` listener: open the form the text opens (``/lhl logg-møte`` alone), or hand
    the text to the runtime and acknowledge with its reply. Its files, and the user's Home tab
    after a write, follow in the runtime's background threads, which start on them once the
    listener has returned (with ``process_before_response`` the acknowledgement goes then)."""

    def lhl(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        started = time.perf_counter()
        text = command.get("text", "")
        channel = command.get("channel_id")
        opened = forms.open_for_command(runtime, client, command)
        if opened == "opened":
            ack()
            return
        user = command["user_id"]
        reply = with_file_note(opened or runtime.handle(
            text, user, channel, bot_in_channel=membership_probe(client, channel),
            channel_name=command.get("channel_name"), request_key=request_key(command),
            files=SlackFiles(client, user, channel)))
        ack(
            text=reply.text,
            blocks=reply.blocks or None,
            response_type="in_channel" if reply.in_channel else "ephemeral",
            unfurl_links=False,
            unfurl_media=False,
        )
        if reply.files:
            runtime.background.run("files", lambda: deliver_files(client, reply.files, user=user,
                                                     channel=channel,
                                                     to_channel=reply.in_channel))
        if opened is None:
            home.after_command(runtime, client, text, user, channel)
        # The sub-command name only: the rest of the text may hold notes about people. DEBUG:
        # on the hot path a log line costs a sixth of a cached status reply, and who wrote
        # what is already in the store.
        log.debug("/lhl %s user=%s ms=%.0f", text.strip().partition(" ")[0][:20].lower() or "-",
                 command["user_id"], (time.perf_counter() - started) * 1000)

    return lhl


def command_button_listener(runtime: Runtime) -> Listener:
    """A button whose value is a ``/lhl`` text (the preview's «Lagre» and «Avbryt», the Home
    tab's buttons): run it as the one who pressed it, through the same code path and access
    checks as a typed command.

    The preview is ephemeral; it is replaced by the answer, or removed when the answer is for
    the whole channel. On the Home tab, see :func:`_pressed_on_home`. Runs after the ack (a
    lazy listener).
    """

    def pressed(body: dict[str, Any], action: dict[str, Any], client: WebClient,
                respond: Respond | None) -> None:
        user = _user_of(body) or "?"
        text = str(action.get("value", ""))
        if (body.get("container") or {}).get("type") == "view":
            _pressed_on_home(runtime, client, body, user, text)
            return
        assert respond is not None, "a button on a message has a response_url"
        with _answer_failures(respond, body, action):
            if not _first_delivery(runtime, body):
                return
            channel = _channel_of(body)
            reply = with_file_note(runtime.handle(
                text, user, channel, bot_in_channel=membership_probe(client, channel),
                channel_name=(body.get("channel") or {}).get("name"),
                files=SlackFiles(client, user, channel, timeout=SLOW_S)))
            if reply.in_channel:
                respond(delete_original=True)
                respond(text=reply.text, blocks=reply.blocks or None,
                        response_type="in_channel", replace_original=False,
                        unfurl_links=False, unfurl_media=False)
            else:
                respond(text=reply.text, blocks=reply.blocks or None,
                        response_type="ephemeral", replace_original=True,
                        unfurl_links=False, unfurl_media=False)
            deliver_files(client, reply.files, user=user, channel=channel,
                          to_channel=reply.in_channel)
            home.after_command(runtime, client, text, user, channel)

    return pressed


def _pressed_on_home(runtime: Runtime, client: WebClient,
                     body: dict[str, Any], user: str, text: str) -> None:
    """A button on the Home tab: open the form its text opens (the press's ``trigger_id``
    still lives), or run the text and answer in the user's direct message with the bot, where
    its files go too. A failure is told there as well."""
    try:
        if not _first_delivery(runtime, body):
            return
        opened = forms.open_for_command(runtime, client, {
            "text": text, "user_id": user, "trigger_id": body.get("trigger_id")})
        if opened == "opened":
            return
        dm = open_dm(client, user)
        reply = with_file_note(opened or runtime.handle(text, user, dm,
                                                        channel_name="directmessage"),
                               where=IN_DM)
        client.chat_postMessage(channel=dm, text=reply.text, blocks=reply.blocks or None,
                                unfurl_links=False, unfurl_media=False)
        deliver_files(client, reply.files, user=user, channel=dm, to_channel=True)
        if opened is None:
            home.after_command(runtime, client, text, user, dm)
    except Exception as exc:
        ref = secrets.token_hex(3)
        log.error("home button failed ref=%s user=%s", ref, user,
                  exc_info=None if isinstance(exc, SlackApiError) else exc)
        with suppress(SlackApiError, OSError):
            client.chat_postMessage(channel=user, text=text_only(SLACK_ERROR.format(ref=ref)).text)


def membership_probe(client: WebClient, channel: str | None) -> Callable[[], bool | None]:
    """Asks Slack, only when a command wants to know, whether the bot is in ``channel``.

    False when Slack says so or cannot show the bot a private channel (``channel_not_found``:
    a private channel without the bot, or a group message); None when it cannot tell (a
    direct message, which the commands refuse without asking, or Slack did not answer).
    """

    def probe() -> bool | None:
        if not channel or not channel.startswith(("C", "G")):
            return None
        # The answer rides on the acknowledgement, so Slack's 3 s budget bounds the question:
        # a short timeout and no retry, rather than the client's 30 s and a second try.
        quick = forms.quick_client(client, PROBE_TIMEOUT_S)
        try:
            found = quick.conversations_info(channel=channel).get("channel") or {}
        except SlackApiError as exc:
            return False if exc.response.get("error") == "channel_not_found" else None
        except OSError:
            return None
        member = found.get("is_member")
        return member if isinstance(member, bool) else None

    return probe


def button_listener(runtime: Runtime, button: ButtonAction) -> Listener:
    """A button a command put on a message (a delivered reminder's «Levert», «Angre», «Minn
    meg på i morgen»): its value checked, then pressed once as the one who pressed it (the
    action checks access in its own transaction). The message shows the change when the
    action says how; otherwise the presser is told; and the presser's Home tab is published
    again. Runs after the ack (a lazy listener)."""

    def pressed(body: dict[str, Any], action: dict[str, Any], client: WebClient,
                respond: Respond) -> None:
        with _answer_failures(respond, body, action):
            value = button.check(str(action.get("value", "")))
            if not _first_delivery(runtime, body):
                return
            press = _press(runtime, body)
            done = button.press(runtime.db, value, press)
            runtime.reminders_changed()
            log.info("button %s pressed user=%s", button.action_id, press.user_id)
            if done.blocks is None:
                _tell(respond, done.line)
            else:
                _update(client, respond, press.channel_id, body.get("message") or {}, done.line,
                        done.text or done.line, done.blocks)
            home.refresh(runtime, client, press.user_id)

    return pressed


def _press(runtime: Runtime, body: dict[str, Any]) -> Press:
    user = _user_of(body) or "?"
    message = body.get("message") or {}
    message_ts = message.get("ts") or (body.get("container") or {}).get("message_ts")
    return Press(user_id=user, channel_id=_channel_of(body), now=runtime.now(),
                 is_admin=runtime.is_admin(user),
                 message_ts=message_ts if isinstance(message_ts, str) else None,
                 message_blocks=tuple(message.get("blocks") or ()))


def _first_delivery(runtime: Runtime, body: dict[str, Any]) -> bool:
    """False for a press seen before (the same ``trigger_id``: a replayed request), which is
    then left alone; the first one did the work and answered."""
    trigger = body.get("trigger_id")
    if not isinstance(trigger, str) or not trigger:
        return True
    first = runtime.first_time(f"press:{trigger}")
    if not first:
        log.info("button press delivered again (same trigger_id); done once already, user=%s",
                 _user_of(body))
    return first


def _update(client: WebClient, respond: Respond, channel: str, message: dict[str, Any],
            line: str, text: str, blocks: list[dict[str, Any]]) -> None:
    """Show the change in the message; when Slack will not update it, tell the presser."""
    try:
        client.chat_update(channel=channel, ts=message["ts"], text=text, blocks=blocks)
    except (SlackApiError, KeyError) as exc:
        log.warning("could not update the message (%s)", type(exc).__name__)
        _tell(respond, line)


def _tell(respond: Respond, sentence: str) -> None:
    """An ephemeral sentence to the one who pressed, escaped like every reply."""
    respond(text=text_only(sentence).text, response_type="ephemeral", replace_original=False)


@contextmanager
def _answer_failures(respond: Respond, body: dict[str, Any], action: dict[str, Any]
                     ) -> Iterator[None]:
    """After the ack, a failure is answered ephemerally: the refusal's own sentence, or the
    generic one with a reference (Bolt's error handler cannot answer a button once acked).

    A refused value is logged by what it was refused for, never with the value itself."""
    try:
        yield
    except UsageError as exc:
        level = logging.WARNING if exc.suspicious else logging.INFO
        log.log(level, "button refused: %s action=%s user=%s channel=%s", exc.reason,
                str(action.get("action_id", "?"))[:40], _user_of(body), _safe_channel(body))
        _tell(respond, exc.shown)
    except Exception as exc:
        ref = secrets.token_hex(3)
        log.error("slack action failed ref=%s user=%s", ref, _user_of(body), exc_info=exc)
        _tell(respond, SLACK_ERROR.format(ref=ref))


def handle_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
    """Log an unexpected failure with a reference and answer the user with one short sentence.

    Never the exception text: it may hold SQL, paths or payload data. In HTTP mode only signed
    requests reach Bolt (see ``bot.http_server``), so this answer is never given to a forger.
    """
    ref = secrets.token_hex(3)
    log.error(
        "slack request failed ref=%s user=%s command=%s type=%s",
        ref,
        _user_of(body),
        body.get("command"),
        body.get("type"),
        exc_info=error,
    )
    return BoltResponse(
        status=200,
        body={"response_type": "ephemeral", "text": text_only(SLACK_ERROR.format(ref=ref)).text},
    )


@contextmanager
def stop_signals() -> Iterator[threading.Event]:
    """An event that SIGINT or SIGTERM sets while the block runs (handlers only in the main
    thread; elsewhere the caller sets the event itself)."""
    stop = threading.Event()

    def handle(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, handle)
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _user_of(body: dict[str, Any]) -> str | None:
    user = body.get("user_id") or body.get("user")
    if isinstance(user, dict):
        user = user.get("id")
    return user if isinstance(user, str) else None


def _channel_of(body: dict[str, Any]) -> str:
    channel = body.get("channel") or {}
    found = channel.get("id") or (body.get("container") or {}).get("channel_id")
    if not isinstance(found, str):
        raise KeyError("channel")
    return found


def _safe_channel(body: dict[str, Any]) -> str:
    try:
        return _channel_of(body)[:20]
    except KeyError:
        return "?"


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""

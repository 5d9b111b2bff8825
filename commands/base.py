"""What every sub-command shares: the caller's context, its spec (with its buttons) and the
known-failure error (replies are built in ``voice.reply``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from storage.db import Database
from storage.reference import Geography
from voice.reply import Block, Reply, button, plain_text
from voice.words import echo

if TYPE_CHECKING:
    from commands.forms import Form

LOCAL_CHANNEL = "CONSOLE"
"""The channel of whatever is typed outside Slack (the console)."""
COMMAND_ACTION_PREFIX = "lhl_command:"
"""``action_id`` prefix of a button whose value is a ``/lhl`` text (see :func:`command_button`)."""


class UsageError(Exception):
    """A known failure (bad kommune, bad date, no access, a button that does not fit): one
    sentence for the user.

    The message is shown as it is (through the reply builder: :attr:`shown`), so it must be
    bokmål and say what was wrong and the right
    form with an example. Nothing is stored when it is raised. ``reason`` names the refusal
    for the log (never user text); ``suspicious`` when a button's value does not fit where it
    was pressed, which Slack's own buttons never do. ``field`` names the part of the command
    the refusal is about (``dato``, ``notat``: the keys of :mod:`commands.forms`), so that a
    form shows it on that field; see :func:`about`.
    """

    def __init__(self, message: str, *, reason: str = "refused", suspicious: bool = False,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.shown = message
        """The sentence for the reply builder: what the user wrote in it is marked
        (``voice.reply.said``), so it shows as typed."""
        self.message = plain_text(message)
        """The sentence as plain text (a log, a test)."""
        self.reason = reason
        self.suspicious = suspicious
        self.field = field

    def __str__(self) -> str:
        return self.message


@contextmanager
def about(field: str) -> Iterator[None]:
    """A refusal raised inside the block is about ``field``, unless it already names one."""
    try:
        yield
    except UsageError as exc:
        if exc.field is None:
            exc.field = field
        raise


FILE_LIMIT = 5 * 1024 * 1024
"""The largest file a command reads (bytes): a spreadsheet of every kommune is a few dozen kB."""
FILE_SUFFIXES = (".xlsx", ".csv")
"""The kinds of file a command reads: an Excel workbook, or text separated by ``;`` or ``,``."""


@dataclass(frozen=True)
class FileIn:
    """A file a user gave a command: its name as they see it, its bytes, and ``ref``, what
    finds the same file again (a Slack file id, a path in the console), so that a button can
    name it in its value and the press read it once more."""

    name: str
    content: bytes
    ref: str


class FileSource(Protocol):
    """Where a command gets a user's file (``bot.file_source``: Slack's files, or the console's
    own disk)."""

    def find(self, ref: str | None) -> FileIn:
        """The file ``ref`` names (None: the newest one the user shared here). Raises
        UsageError with one sentence when there is none, it is too big, or it is not a kind
        a command reads (:func:`check_file`)."""
        ...


def check_file(name: str, size: int) -> None:
    """Refuse a file a command cannot read: not ``.xlsx`` or ``.csv``, or over
    :data:`FILE_LIMIT`; the sentence names it."""
    if not name.lower().endswith(FILE_SUFFIXES):
        raise UsageError(f"«{echo(name)}» er verken en Excel-arbeidsbok (.xlsx) eller en "
                         "CSV-fil (.csv); lagre den som en av dem og prøv igjen.")
    if size > FILE_LIMIT:
        raise UsageError(f"«{echo(name)}» er {size / 1024 / 1024:.1f} MB, og jeg leser filer "
                         f"på høyst {FILE_LIMIT // 1024 // 1024} MB; del den opp eller fjern "
                         "det som ikke skal importeres.")


@dataclass(frozen=True)
class Context:
    """Who is asking, and when: ``now`` is aware, in ``tz``, the bot's time zone
    (``LHL_TIMEZONE``), which every date and time of a command is read and written in."""

    user_id: str
    is_admin: bool
    now: datetime
    tz: ZoneInfo
    geo: Geography
    channel_id: str | None = None
    bot_in_channel: Callable[[], bool | None] | None = None
    """Asks Slack whether the bot is a member of ``channel_id`` (None: cannot tell)."""
    channel_name: str | None = None
    """What Slack calls the channel in the request: ``directmessage`` in a direct message,
    ``mpdm-…`` in a group message, ``privategroup`` in a private channel the app cannot see."""
    request_key: str | None = None
    """Names the delivery (``slash:<trigger_id>``): a write is done once per key. None where
    nothing can deliver the same request twice (the console)."""
    home_embete: Callable[[], str | None] | None = None
    """Looks up the id of the embete the user works for (None: none). Asked only when a
    kommune name several kommuner have or had must be told apart (``Os``), so no other request
    pays for it, and a cached reply still makes no database call."""
    files: FileSource | None = None
    """Where the user's files are read from (``/lhl import``); None where there are none."""

    @property
    def channel(self) -> str:
        """The channel typed in, or :data:`LOCAL_CHANNEL` outside Slack."""
        return self.channel_id or LOCAL_CHANNEL


@dataclass(frozen=True)
class Press:
    """One press of a button: who, in which channel, on which message, and when."""

    user_id: str
    channel_id: str
    now: datetime
    is_admin: bool = False
    message_ts: str | None = None
    message_blocks: tuple[Block, ...] = ()
    """The blocks of the message the button was on, as Slack sent them back."""


@dataclass(frozen=True)
class Pressed:
    """What a press did: ``line`` says it to the one who pressed; ``text`` and ``blocks``,
    when given, replace the message the button was on (``line`` is said instead when Slack
    will not update it)."""

    line: str
    text: str | None = None
    blocks: list[Block] | None = None


@dataclass(frozen=True)
class ButtonAction:
    """A button a command puts on its messages. ``check`` reads the button's value (raising a
    suspicious :class:`UsageError` when it is malformed) before anything else; ``press`` does
    the work in its own transaction and checks access there."""

    action_id: str
    check: Callable[[str], Any]
    press: Callable[[Database, Any, Press], Pressed]


def command_button(label: str, command: str, *, style: str | None = None) -> Block:
    """A button that runs ``/lhl <command>`` for whoever presses it, through the same code
    path and access checks as a typed command (see ``bot.slack_app``)."""
    return button(label, f"{COMMAND_ACTION_PREFIX}{command}", command, style=style)



@dataclass(frozen=True)
class CommandSpec:
    """One sub-command. ``parse`` is pure; ``execute`` acts on the store in one transaction
    (a write transaction when ``writes``) and never commits itself."""

    name: str
    summary: str
    usage: str
    examples: tuple[str, ...]
    writes: bool
    parse: Callable[[str, Context], Any]
    execute: Callable[..., Reply]
    aliases: tuple[str, ...] = ()
    details: str = ""
    cached: bool = False
    """The reply follows from the text, the user, whether they are an admin, today's date and
    the store, and nothing else (see ``commands.dispatch``): kept until the store changes."""
    destructive: bool = False
    """It takes something back or away (``angre``): never offered as the guess for a mistyped
    command, where one wrong keystroke would run it."""
    changes_reminders: bool = False
    """After it has run, the scheduler looks at the store at once instead of at its next sync."""
    buttons: tuple[ButtonAction, ...] = ()
    reads_only: Callable[[Any], bool] | None = None
    """For a command that ``writes``: whether these parsed arguments only read (``nettverk
    vis``). They then run in a read transaction, which neither takes the write lock nor
    marks cached replies stale."""
    forms: tuple[Form, ...] = ()
    """The forms (Slack modals) that write this command: in Slack, a text a form
    :attr:`~commands.forms.Form.opens` for (``/lhl logg-møte`` alone) opens it instead of
    answering; the console always answers. See :mod:`commands.forms`."""


"""``lhl console``: type ``/lhl …`` and read the reply, on the same handlers as Slack.

The console acts as a named user (``--som kari``, or ``:som kari`` while it runs), so that
roles and access can be tried without Slack; ``@kari`` in what is typed is that user, as a
mention is in Slack (see ``bot.console_users``). In a terminal, lines can be edited and earlier
ones fetched with the arrow keys (the standard library's ``readline`` where it exists). The
files a reply carries are saved in ``LHL_FILES_DIR`` (``lhl-filer``), and the console says
where.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Callable, Generator, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TextIO

from bot import console_users
from bot.file_source import LocalFiles
from bot.followup import file_noun
from bot.runtime import Runtime
from bot.senders import ConsoleSender
from commands.base import LOCAL_CHANNEL
from voice.reply import Attachment, escape, said, unescape

LOCAL_NAME = "lokal"
"""Who the console is without ``--som``: always an administrator."""
PROMPT = "lhl> "
HISTORY_FILE = ".lhl_console_history"
"""Kept in ``LHL_DATA_DIR``, so ↑ finds what was typed the last time too."""
HISTORY_LINES = 1000
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_MENTION = re.compile(r"<@([A-Z0-9_]+)>")
_TYPED_STAR = escape(said("*"))
"""A star a user typed, as the builder shows it: not a bold star."""
_AS = re.compile(r"^:som(?:\s+(.*))?$", re.IGNORECASE)
CONSOLE_COMMANDS = ("Konsollen forstår `:som <navn>` (skriv som en annen bruker) og `:som` "
                    "(tilbake til den lokale administratoren).")


@dataclass(frozen=True)
class ConsoleUser:
    """Who the console types as: ``admin`` None means as ``LHL_ADMINS`` says."""

    name: str
    user_id: str
    admin: bool | None = None


LOCAL = ConsoleUser(LOCAL_NAME, console_users.user_id(LOCAL_NAME), admin=True)


def console_user(name: str | None) -> ConsoleUser:
    """The user ``--som name`` names (raises ``console_users.BadName``); no name, or
    ``lokal``, is the local administrator."""
    if name is None or name.strip().removeprefix("@").lower() == LOCAL_NAME:
        return LOCAL
    uid = console_users.user_id(name)
    return ConsoleUser(name.strip().removeprefix("@").lower(), uid)


def as_terminal_text(mrkdwn: str) -> str:
    """Slack mrkdwn made readable in a terminal: no bold stars, mentions as ``@kari`` (a console
    user) or ``@U012ABCDEF``, ``&lt;`` as ``<`` again."""
    hidden = mrkdwn.replace(_TYPED_STAR, "\ue010")
    return unescape(_MENTION.sub(_mention, _BOLD.sub(r"\1", hidden))).replace("\ue010", "*")


def _mention(m: re.Match[str]) -> str:
    return f"@{console_users.name_of(m.group(1)) or m.group(1)}"


def run_console(runtime: Runtime, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, *,
                reminders: bool = True, user: ConsoleUser = LOCAL) -> int:
    """Read commands line by line until end of input, as ``user``. Reminders that fall due
    meanwhile are printed as ``[påminnelse] …`` lines."""
    if reminders:
        runtime.start_reminders(ConsoleSender(stdout, render=as_terminal_text))
    try:
        return _read_commands(runtime, stdin, stdout, user)
    finally:
        runtime.stop_reminders()


def _read_commands(runtime: Runtime, stdin: TextIO, stdout: TextIO, user: ConsoleUser) -> int:
    interactive = stdin.isatty()
    if interactive:
        stdout.write("lhl – konsoll. Skriv /lhl hjelp, eller avslutt med Ctrl-D. "
                     f"{CONSOLE_COMMANDS}\n")
    if user is not LOCAL:
        stdout.write(_who(runtime, user) + "\n\n")
    current = [user]
    with closing(_lines(runtime, stdin, stdout, lambda: _prompt(current[0]))) as lines:
        for line in lines:
            if not _one_line(runtime, line, stdout, current):
                break
    return 0


def _one_line(runtime: Runtime, line: str, stdout: TextIO, current: list[ConsoleUser]) -> bool:
    """Do what one line says (``current[0]`` is who types); False when it ends the console."""
    text = line.strip()
    if not text or text.startswith("#"):
        return True
    if text in ("exit", "quit", "avslutt"):
        return False
    switch = _AS.match(text)
    if switch:
        try:
            current[0] = console_user(switch.group(1))
        except console_users.BadName as exc:
            stdout.write(f"{exc}\n\n")
            return True
        stdout.write(_who(runtime, current[0]) + "\n\n")
        return True
    if text.startswith(":"):
        stdout.write(f"{CONSOLE_COMMANDS}\n\n")
        return True
    if text == "/lhl" or text.startswith("/lhl "):
        text = text[4:].strip()
    who = current[0]
    reply = runtime.handle(console_users.with_mentions(text), who.user_id, LOCAL_CHANNEL,
                           admin=who.admin, files=LocalFiles())
    stdout.write(as_terminal_text(reply.text) + "\n")
    for line in saved_files(reply.files, runtime.settings.lhl_files_dir):
        stdout.write(line + "\n")
    stdout.write("\n")
    stdout.flush()
    return True


def saved_files(files: Sequence[Attachment], folder: Path) -> list[str]:
    """Save each of ``files`` in ``folder`` (made when missing) and say where: «Arbeidsboka er
    lagret i lhl-filer/rapport-agder.xlsx.» A name that is taken gets ``-2``, ``-3`` … before
    its suffix, so no file is ever written over."""
    lines = []
    for attachment in files:
        noun = file_noun(attachment.filename)
        try:
            path = save_file(attachment, folder)
        except OSError as exc:
            lines.append(f"Jeg fikk ikke lagret {noun} {attachment.filename} i {folder} "
                         f"({exc.strerror or type(exc).__name__}).")
            continue
        lines.append(f"{noun[:1].upper()}{noun[1:]} er lagret i {path}.")
    return lines


def save_file(attachment: Attachment, folder: Path) -> Path:
    """Write ``attachment`` into ``folder`` under its own name (only the last part of it: a
    name is never a path), or the first free ``name-N.suffix``; the path written."""
    folder.mkdir(parents=True, exist_ok=True)
    name = PurePosixPath(attachment.filename.replace("\\", "/")).name
    if name in ("", ".", ".."):
        name = "fil"
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
    for n in itertools.count(1):
        path = folder / (name if n == 1 else f"{stem}-{n}{suffix}")
        try:
            with path.open("xb") as out:
                out.write(attachment.content)
        except FileExistsError:
            continue
        return path
    raise AssertionError("unreachable")


def _who(runtime: Runtime, user: ConsoleUser) -> str:
    """Who the console now types as, and how that user gets access."""
    if user is LOCAL:
        return "Du skriver som den lokale administratoren igjen."
    said = f"Du skriver nå som @{user.name} (Slack-ID {user.user_id}); `:som` går tilbake."
    if runtime.is_admin(user.user_id):
        return f"{said}\n@{user.name} er administrator (LHL_ADMINS)."
    access = runtime.handle("tilgang", user.user_id, LOCAL_CHANNEL, admin=False)
    return f"{said}\n{as_terminal_text(access.text)}"


def _prompt(user: ConsoleUser) -> str:
    return PROMPT if user is LOCAL else f"lhl @{user.name}> "


def _lines(runtime: Runtime, stdin: TextIO, stdout: TextIO,
           prompt: Callable[[], str]) -> Generator[str, None, None]:
    """The lines typed. In a terminal with ``readline`` they can be edited, and ↑/↓ fetch
    earlier ones (kept in ``LHL_DATA_DIR`` between runs); piped input is read as it is."""
    if not stdin.isatty():
        yield from stdin
        return
    history = _start_history(runtime.settings.lhl_data_dir / HISTORY_FILE) if (
        stdin is sys.stdin and stdout is sys.stdout) else None
    try:
        while True:
            try:
                if history is not None:
                    yield input(prompt())
                    continue
                stdout.write(prompt())
                stdout.flush()
                line = stdin.readline()
                if not line:
                    break
                yield line
            except EOFError:
                break
            except KeyboardInterrupt:
                stdout.write("\n")
    finally:
        stdout.write("\n")
        if history is not None:
            _save_history(history)


def _start_history(path: Path) -> Path | None:
    """Turn on line editing (``input`` then uses it) and read earlier history; None without
    ``readline`` (Windows without pyreadline)."""
    try:
        import readline
    except ImportError:
        return None
    readline.set_history_length(HISTORY_LINES)
    with suppress(OSError):
        readline.read_history_file(path)
    return path


def _save_history(path: Path) -> None:
    import readline

    with suppress(OSError):
        readline.write_history_file(path)

"""``lhl console``: type ``/lhl …`` and read the reply, on the same handlers as Slack."""

from __future__ import annotations

import re
import sys
from typing import TextIO

from bot.runtime import Runtime
from bot.senders import ConsoleSender
from voice.reply import unescape

LOCAL_USER = "LOKAL"
LOCAL_CHANNEL = "CONSOLE"
PROMPT = "lhl> "
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_MENTION = re.compile(r"<@([A-Z0-9_]+)>")


def as_terminal_text(mrkdwn: str) -> str:
    """Slack mrkdwn made readable in a terminal: no bold stars, mentions as @ID, ``&lt;`` as
    ``<`` again."""
    return unescape(_MENTION.sub(r"@\1", _BOLD.sub(r"\1", mrkdwn)))


def run_console(runtime: Runtime, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, *,
                reminders: bool = True) -> int:
    """Read commands line by line until end of input; the local user is an admin. Reminders
    that fall due meanwhile are printed as ``[påminnelse] …`` lines."""
    if reminders:
        runtime.start_reminders(ConsoleSender(stdout, render=as_terminal_text))
    try:
        return _read_commands(runtime, stdin, stdout)
    finally:
        runtime.stop_reminders()


def _read_commands(runtime: Runtime, stdin: TextIO, stdout: TextIO) -> int:
    interactive = stdin.isatty()
    if interactive:
        stdout.write("lhl – konsoll. Skriv /lhl hjelp, eller avslutt med Ctrl-D.\n")
    while True:
        if interactive:
            stdout.write(PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if text in ("exit", "quit", "avslutt"):
            break
        if text == "/lhl" or text.startswith("/lhl "):
            text = text[4:].strip()
        reply = runtime.handle(text, LOCAL_USER, LOCAL_CHANNEL, admin=True)
        stdout.write(as_terminal_text(reply.text) + "\n\n")
        stdout.flush()
    if interactive:
        stdout.write("\n")
    return 0

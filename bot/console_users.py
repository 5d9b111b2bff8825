"""People in the console: a name such as ``kari`` stands for a Slack user, so that roles and
access can be tried without Slack.

A name maps to a fake Slack user id that is the same every time and that gives the name back:
``ULHL`` and the name in base 32 (``kari`` → ``ULHLNNQXE2I``). Slack's own ids are ``U``
and capitals and digits, and so is this one, so every command treats it as it treats a real
user: ``tilgang gi @kari Agder`` gives it access, a meeting it logs is ``ført av @kari``, and
``LHL_ADMINS=@kari`` (or the id) makes it an administrator.
"""

from __future__ import annotations

import base64
import binascii
import re

PREFIX = "ULHL"
MAX_ID_CHARS = 32
"""``access.slack_user_id`` and every ``created_by`` hold at most this many characters."""
MAX_NAME_BYTES = (MAX_ID_CHARS - len(PREFIX)) * 5 // 8
_NAME = re.compile(r"^[^\W\d_][\w-]*(?:\.[\w-]+)*$")
_SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_MENTION = re.compile(r"(?<![\w<@&])@([^\W\d_][\w-]*(?:\.[\w-]+)*)")
_NOT_PEOPLE = frozenset({"channel", "here", "everyone", "lhl"})
"""``@channel`` and friends are Slack's words, and ``/invite @lhl`` names the bot."""


class BadName(ValueError):
    """A name that cannot stand for a console user; the message is one sentence."""


def user_id(name: str) -> str:
    """The fake Slack id of ``name`` (case does not matter: ``Kari`` is ``kari``)."""
    wanted = name.strip().removeprefix("@").lower()
    if not _NAME.match(wanted):
        raise BadName(f"«{name.strip()}» kan ikke være et navn i konsollen: bruk bokstaver, "
                      "gjerne med tall, punktum eller bindestrek, for eksempel kari eller "
                      "ola.nordmann.")
    raw = wanted.encode("utf-8")
    if len(raw) > MAX_NAME_BYTES:
        raise BadName(f"«{name.strip()}» er for langt som navn i konsollen; bruk et kortere, "
                      "for eksempel kari.")
    return PREFIX + base64.b32encode(raw).decode("ascii").rstrip("=")


def name_of(user: str) -> str | None:
    """The name a fake id was made from, or None for any other id (a real Slack user)."""
    if not user.startswith(PREFIX):
        return None
    body = user[len(PREFIX):]
    try:
        name = base64.b32decode(body + "=" * (-len(body) % 8)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return name if _NAME.match(name) and user_id(name) == user else None


def is_slack_id(text: str) -> bool:
    return _SLACK_ID.match(text) is not None


def with_mentions(text: str) -> str:
    """``tilgang gi @kari Agder`` → ``tilgang gi <@ULHLNNQXE2I> Agder``, as Slack sends a
    mention. A Slack id written with @ (``@U012ABCDEF``), ``@channel``, ``@here`` and a name
    that cannot be a console user are left as typed."""

    def mention(m: re.Match[str]) -> str:
        name = m.group(1)
        if is_slack_id(name) or name.lower() in _NOT_PEOPLE:
            return m.group(0)
        try:
            return f"<@{user_id(name)}>"
        except BadName:
            return m.group(0)

    return _MENTION.sub(mention, text)

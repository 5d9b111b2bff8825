"""Listings that can grow without bound (a channel's reminders, who has access): shown a page at
a time, with the count and the command for the next page, so that no reply breaks Slack's
limits however much is stored."""

from __future__ import annotations

import re
from collections.abc import Sequence

from commands.base import UsageError
from voice.reply import Reply, context, pages, reply

PER_PAGE = 15
_PAGE = re.compile(r"^(?:side|s\.?)\s*(\d+)$", re.IGNORECASE)


def page_asked(text: str, *, command: str) -> int | None:
    """``side 2`` → 2; None when ``text`` asks for no page. ``command`` (``påminnelser``)
    names the listing in the sentence for ``side 0``."""
    m = _PAGE.match(text.strip())
    if m is None:
        return None
    page = int(m.group(1)) if len(m.group(1)) <= 6 else 10**6
    if page < 1:
        raise UsageError(f"Sidene er nummerert fra 1, for eksempel `/lhl {command} side 2`.")
    return page


def paged(heading: str, entries: Sequence[str], page: int, *, command: str,
          per_page: int = PER_PAGE, note: str | None = None) -> Reply:
    """Page ``page`` of ``entries`` (one section each) under ``heading``, which gains
    ``side 2 av 5`` when there is more than one, and a last line with the command for the
    next page; ``note`` (what the listing leaves out) comes before that line on every
    page."""
    listed = pages(entries, per_page=per_page)
    if page > len(listed):
        many = "én side" if len(listed) == 1 else f"{len(listed)} sider"
        raise UsageError(f"Listen har bare {many}; skriv for eksempel "
                         f"`/lhl {command} side {len(listed)}`.")
    shown = listed[page - 1]
    more = ""
    if len(listed) > 1:
        heading += f", side {page} av {len(listed)}"
        if page < len(listed):
            more = f"Neste side: `/lhl {command} side {page + 1}`"
    tail = [line for line in (note, more) if line]
    return reply(heading, *shown, *(context(line) for line in tail),
                 text="\n\n".join([heading, *shown, *tail]))

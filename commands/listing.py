"""Listings that can grow without bound (a channel's reminders, who has access): shown a page at
a time, with the count and the command for the next page, so that no reply breaks Slack's
limits however much is stored."""

from __future__ import annotations

import re
from collections.abc import Sequence

from commands.base import UsageError
from voice.reply import Reply, context, pages, reply, said

PER_PAGE = 15
_PAGE = re.compile(r"^(?:side|s\.?)\s*(\d+)$", re.IGNORECASE)
_PAGE_TAIL = re.compile(r"(?:^|\s)((?:side|s\.?)\s*\d+)$", re.IGNORECASE)


def page_asked(text: str, *, command: str) -> int | None:
    """``side 2`` → 2; None when ``text`` asks for no page. ``command`` (``påminnelser``)
    names the listing in the sentence for ``side 0``."""
    m = _PAGE.match(text.strip())
    if m is None:
        return None
    page = int(m.group(1)) if len(m.group(1)) <= 6 else 10**6
    if page < 1:
        raise UsageError(f"Sidene er nummerert fra 1, for eksempel `/lhl {said(command)} side 2`.")
    return page


def split_page(text: str, *, command: str) -> tuple[str, int]:
    """``"Agder side 2"`` → ``("Agder", 2)``: the text without a trailing page, and the page
    (1 when none is asked for). ``command`` (``arrangementer``) names the listing in the
    sentence for ``side 0``."""
    rest = text.strip()
    tail = _PAGE_TAIL.search(rest)
    if tail is None:
        return rest, 1
    rest = rest[: tail.start()].strip()
    return rest, page_asked(tail[1], command=f"{command} {rest}".strip()) or 1


def paged(heading: str, entries: Sequence[str], page: int, *, command: str,
          per_page: int = PER_PAGE, note: str | None = None) -> Reply:
    """Page ``page`` of ``entries`` (one section each) under ``heading``, which gains
    ``side 2 av 5`` when there is more than one, and a last line with the command for the
    next page; ``note`` (what the listing leaves out) comes before that line on every
    page."""
    listed = pages(entries, per_page=per_page)
    refuse_missing_page(page, len(listed), command=command)
    return page_reply(heading, listed[page - 1], page, len(listed), command=command, note=note)


def refuse_missing_page(page: int, count: int, *, command: str) -> None:
    """UsageError when a listing of ``count`` pages has no page ``page``."""
    if page > count:
        many = "én side" if count == 1 else f"{count} sider"
        raise UsageError(f"Listen har bare {many}; skriv for eksempel "
                         f"`/lhl {said(command)} side {count}`.")


def page_reply(heading: str, shown: Sequence[str], page: int, count: int, *, command: str,
               note: str | None = None) -> Reply:
    """Page ``page`` of ``count``, its entries ``shown`` (one section each), as :func:`paged`
    writes it: for a listing that fetches one page at a time from the store."""
    more = ""
    if count > 1:
        heading += f", side {page} av {count}"
        if page < count:
            more = f"Neste side: `/lhl {said(command)} side {page + 1}`"
    tail = [line for line in (note, more) if line]
    return reply(heading, *shown, *(context(line) for line in tail),
                 text="\n\n".join([heading, *shown, *tail]))

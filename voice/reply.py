"""The one reply builder: every message the bot sends (a command's answer, a posted reminder, a
button's answer, a direct message) is made here, so that two rules hold by construction.

**Text is data, never markup.** All text given to the builder is escaped for mrkdwn (``&``,
``<``, ``>``), our own sentences as much as what users typed, since both may hold ``<`` (a
usage text such as ``logg-møte <kommuner> <dato>`` would otherwise become a link). Only two
forms survive as markup, on purpose: a user mention ``<@U…>`` and a channel link ``<#C…>``
without a label. ``<!channel>``, ``<!here>`` and ``<https://x|y>`` typed by a user arrive as
the characters they typed. Sections are also ``verbatim``, so Slack does not turn plain words
such as ``@channel`` or a bare URL into mentions or links. Text given to the builder must
therefore be *unescaped*: the words as the user typed them, after ``voice.text``
has undone Slack's escapes.

**One more kind of markup: a link the bot has checked.** :func:`link` turns an ``http(s)`` URL
that passes a strict pattern (:func:`safe_url`: a host with a dot, only the characters of a
URL, no ``|``, ``<``, ``>`` or space, at most :data:`LINK_CHARS`) into a *sealed* piece of
text that may be put anywhere in a string given to the builder. The seal is an HMAC with a key
of this process, so text a user typed can never forge one; :func:`escape` checks it and writes
``<https://…|label>`` (the URL's ``&`` as ``&amp;``, the label escaped like all text); a seal
that does not check out is shown as the characters it is. The label should say where the link
goes (the bot uses the address itself): a user is never shown a link hiding another address.
A message that carries a link is sent with ``unfurl_links`` and ``unfurl_media`` false (the
bot layer sends every reply so), so Slack never unfolds a preview of it.

**What a user wrote is never formatting either.** mrkdwn has no escape for ``*``, ``_``,
``~`` and `````: a title typed as ``*viktig*`` would show bold. Text a user wrote is therefore
put in a message through :func:`said`, which marks it; :func:`escape` shows each of those
characters in it through the fallback of a date token (``<!date^00000000^{_}|*>``, which
Slack always shows as the plain character), and puts a soft hyphen before a ``>`` that would
start a quote. Inside a code span (a command to copy), where Slack formats nothing, the
characters are left as typed, except a backquote, which would end the span.

**Slack's limits hold whatever the data.** A message has at most :data:`MAX_BLOCKS` blocks, a
section at most :data:`SECTION_CHARS` characters, and the whole message at most
:data:`MESSAGE_CHARS` characters of text (Slack rejects messages whose blocks are too long in
total with ``msg_blocks_too_long`` well before its documented 40 000 characters). A long section
is split at line ends; what does not fit is cut with a sentence saying so. Listings that can
grow page themselves with :func:`pages` before they reach that point.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

Block = dict[str, Any]

MAX_BLOCKS = 50
SECTION_CHARS = 3000
CONTEXT_CHARS = 2000
MESSAGE_CHARS = 12_000
"""Characters of text across all blocks of one message (and of its ``text`` fallback)."""
BUTTON_LABEL_CHARS = 75
BUTTON_VALUE_CHARS = 2000
CUT = "…"
TOO_LONG = "Svaret ble for langt, så resten vises ikke."

_KEPT_MARKUP = re.compile(r"<(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+(?:\|[^<>|]*)?)>")
_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")

LINK_CHARS = 500
"""The longest URL :func:`link` takes."""
_HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_SAFE_URL = re.compile(
    rf"https?://{_HOST_LABEL}(?:\.{_HOST_LABEL})*\.[A-Za-z][A-Za-z0-9-]{{0,62}}(?::\d{{1,5}})?"
    r"(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?")
"""An absolute http(s) URL in ASCII with a dotted host: what :func:`link` will make a link of."""
_SAID = re.compile("\ue002([^\ue002\ue003]*)\ue003")
_MARKS = str.maketrans("", "", "\ue002\ue003")
_FORMATTING = re.compile(r"(:[a-z0-9_+'-]+:)|([*_~`])")
"""A character Slack could read as formatting, or an emoji code (``:white_check_mark:``),
whose underscores are part of its name."""
_QUOTE_START = re.compile(r"(^|\n)(&gt;)")
_SHOWN_AS_TYPED = re.compile(r"<!date\^00000000\^\{_\}\|([*_~`])>")
_SEAL_KEY = secrets.token_bytes(32)
_SEALED = re.compile("\ue000([A-Za-z0-9_=-]+)\\.([0-9a-f]{32})\ue001")


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply (a workbook, a CSV, a chart): Slack gets it through the
    files upload v2 flow after the acknowledgement, the console saves it and says where."""

    filename: str
    content: bytes
    title: str
    """What Slack shows above the file: «Rapport Agder per 1. mai 2027»."""


@dataclass
class Reply:
    """A finished message: ``text`` is the fallback (mrkdwn, already escaped), ``blocks`` the
    Block Kit form, ``files`` what goes with it. Made by :func:`reply`, never by hand."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    in_channel: bool = False
    files: tuple[Attachment, ...] = ()


def safe_url(url: str) -> bool:
    """Whether :func:`link` takes ``url`` (see the module docstring)."""
    return len(url) <= LINK_CHARS and _SAFE_URL.fullmatch(url) is not None


def link(url: str, label: str) -> str:
    """A link to ``url`` showing ``label``, to put in text given to the builder (see the
    module docstring). Raises ValueError for a URL :func:`safe_url` refuses: the caller
    checks what users type before it gets here."""
    if not safe_url(url):
        raise ValueError("not a URL the bot shows as a link")
    payload = base64.urlsafe_b64encode(json.dumps([url, label]).encode()).decode()
    return f"\ue000{payload}.{_seal(payload)}\ue001"


def said(text: str) -> str:
    """What a user wrote, to put in text given to the builder: shown as the characters typed,
    never as formatting (see the module docstring)."""
    return f"\ue002{text.translate(_MARKS)}\ue003"


def plain_text(text: str) -> str:
    """Text given to the builder, for a ``plain_text`` field (a button, a form's label)."""
    return text.translate(_MARKS)


def _seal(payload: str) -> str:
    return hmac.new(_SEAL_KEY, payload.encode(), hashlib.sha256).hexdigest()[:32]


def _unsealed(m: re.Match[str]) -> str | None:
    """The link a sealed piece of text holds, as mrkdwn; None when the seal is not ours."""
    if not hmac.compare_digest(_seal(m[1]), m[2]):
        return None
    url, label = json.loads(base64.urlsafe_b64decode(m[1]))
    if not safe_url(url):
        return None
    return f"<{url.replace('&', '&amp;')}|{_entities(label).replace('|', '/')}>"


def escape(text: str) -> str:
    """``text`` made safe for mrkdwn: ``&``, ``<`` and ``>`` as entities, except a user mention
    ``<@U…>`` or a channel link ``<#C…>`` / ``<#C…|navn>``, which stay markup, a link made
    by :func:`link`, which becomes one, and what a user wrote (:func:`said`), which is shown
    as typed."""
    if "\ue002" not in text:
        return _links(text)
    out: list[str] = []
    last = 0
    in_code = False
    line_start = True
    for m in _SAID.finditer(text):
        ours = _links(text[last:m.start()].translate(_MARKS))
        in_code ^= ours.count("`") % 2 == 1
        line_start = ours.endswith("\n") if ours else line_start
        shown = _as_typed(_escape_text(m[1]), in_code=in_code, line_start=line_start)
        out += [ours, shown]
        line_start = shown.endswith("\n") if shown else line_start
        last = m.end()
    out.append(_links(text[last:].translate(_MARKS)))
    return "".join(out)


def _as_typed(escaped: str, *, in_code: bool, line_start: bool) -> str:
    if in_code:
        return escaped.replace("`", "\u02cb")
    shown = _FORMATTING.sub(lambda m: m[1] or f"<!date^00000000^{{_}}|{m[2]}>", escaped)
    shown = _QUOTE_START.sub("\\1\u00ad\\2", shown)
    if not line_start and shown.startswith("\u00ad"):
        shown = shown[1:]
    return shown


def _links(text: str) -> str:
    if "\ue000" not in text:
        return _escape_text(text)
    out: list[str] = []
    last = 0
    for m in _SEALED.finditer(text):
        shown = _unsealed(m)
        if shown is None:
            continue
        out += [_escape_text(text[last:m.start()]), shown]
        last = m.end()
    out.append(_escape_text(text[last:]))
    return "".join(out)


def _escape_text(text: str) -> str:
    out: list[str] = []
    last = 0
    for m in _KEPT_MARKUP.finditer(text):
        out.append(_entities(text[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_entities(text[last:]))
    return "".join(out)


def _entities(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_SHOWN_LINK = re.compile(r"<(https?://[^|<>\s]+)\|([^<>]*)>")


def unescape(mrkdwn: str) -> str:
    """The inverse of :func:`escape`, for showing a reply in a terminal, where a link is its
    whole address."""
    mrkdwn = _SHOWN_LINK.sub(lambda m: m[1], mrkdwn)
    mrkdwn = _SHOWN_AS_TYPED.sub(lambda m: m[1], mrkdwn).replace("\u00ad&gt;", "&gt;")
    return mrkdwn.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def reply(*parts: str | Block | None, text: str | None = None, in_channel: bool = False,
          max_blocks: int = MAX_BLOCKS, files: Sequence[Attachment] = ()) -> Reply:
    """A message of ``parts``: a string is a mrkdwn section (escaped and split as needed), a
    dict a block made with the helpers below (:func:`actions`, :func:`context`, …) or taken
    from a message Slack sent back (already escaped), None is left out. ``text`` is the
    fallback when it should say more or less than the sections (it is escaped too); by default
    it is the sections' text. ``max_blocks`` is 50 for a message; a modal or the Home tab may
    hold 100. ``files`` go with the message (see :class:`Attachment`)."""
    blocks: list[Block] = []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, str):
            blocks += [_section(chunk) for chunk in _chunks(escape(part), SECTION_CHARS)]
        else:
            blocks.append(part)
    blocks = _fit(blocks, max_blocks)
    fallback = (escape(text) if text is not None
                else "\n".join(t for t in (_block_text(b) for b in blocks) if t))
    return Reply(text=_clip(fallback, MESSAGE_CHARS), blocks=blocks, in_channel=in_channel,
                 files=tuple(files))


def plain_reply(text: str, *, in_channel: bool = False) -> Reply:
    """A message of one sentence or a few lines, as text and as its section."""
    return reply(text, in_channel=in_channel)


def text_only(text: str) -> Reply:
    """A message with no blocks (an error sentence): the text, escaped and within limits."""
    return Reply(text=_clip(escape(text), MESSAGE_CHARS))


def preceded(lines: Sequence[str], made: Reply) -> Reply:
    """``made`` with ``lines`` (unescaped, like all text given to the builder) shown before
    it, within the same limits: for what a command says about how it read the input (``Mandal
    er en del av Lindesnes siden 2020.``) before its answer."""
    if not lines:
        return made
    head = "\n".join(lines)
    if not made.blocks:
        return Reply(text=_clip(f"{escape(head)}\n{made.text}", MESSAGE_CHARS),
                     in_channel=made.in_channel, files=made.files)
    return reply(head, *made.blocks, in_channel=made.in_channel, files=made.files)


def context(text: str) -> Block:
    """A context block of one mrkdwn element (small grey text)."""
    return {"type": "context",
            "elements": [{"type": "mrkdwn", "text": _clip(escape(text), CONTEXT_CHARS),
                          "verbatim": True}]}


def divider() -> Block:
    return {"type": "divider"}


def actions(*buttons: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(buttons)[:25]}
    if block_id:
        block["block_id"] = block_id
    return block


def button(label: str, action_id: str, value: str, *, style: str | None = None,
           confirm: Block | None = None) -> Block:
    """A button; its label is plain text (never markup) and kept within Slack's length."""
    found: Block = {"type": "button",
                    "text": {"type": "plain_text",
                             "text": _clip(plain_text(label), BUTTON_LABEL_CHARS)},
                    "action_id": action_id, "value": value[:BUTTON_VALUE_CHARS]}
    if style:
        found["style"] = style
    if confirm:
        found["confirm"] = confirm
    return found


def pages(entries: Sequence[str], *, per_page: int, budget: int = MESSAGE_CHARS * 3 // 4
          ) -> list[list[str]]:
    """``entries`` packed into pages of at most ``per_page`` entries and ``budget`` characters
    once escaped (always at least one entry a page): the same data gives the same pages, so
    «side 2» means the same thing from one call to the next."""
    result: list[list[str]] = [[]]
    used = 0
    for entry in entries:
        size = len(escape(entry)) + 2
        page = result[-1]
        if page and (len(page) >= per_page or used + size > budget):
            result.append([])
            page, used = result[-1], 0
        page.append(entry)
        used += size
    return result


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}


def _chunks(text: str, limit: int) -> list[str]:
    """``text`` split at line ends into pieces of at most ``limit`` characters (a line longer
    than that is cut at a space)."""
    if len(text) <= limit:
        return [text] if text else []
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            head = _safe_cut(line, limit)
            if current:
                chunks.append(current)
                current = ""
            chunks.append(head)
            line = line[len(head):].lstrip(" ")
        joined = f"{current}\n{line}" if current else line
        if len(joined) > limit:
            chunks.append(current)
            current = line
        else:
            current = joined
    if current:
        chunks.append(current)
    return [c for c in chunks if c.strip()]


def _safe_cut(text: str, limit: int) -> str:
    """The longest head of ``text`` within ``limit`` that ends at a space when it can and never
    inside an entity or a mention."""
    head = text[:limit]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    tail = _ENTITY_TAIL.search(head)
    if tail:
        head = head[:tail.start()]
    open_at = head.rfind("<")
    if open_at > head.rfind(">"):
        head = head[:open_at]
    return head


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return _safe_cut(text, limit - len(CUT)).rstrip() + CUT


def _block_text(block: Block) -> str:
    text = block.get("text")
    if isinstance(text, dict) and text.get("type") == "mrkdwn":
        return str(text.get("text", ""))
    if block.get("type") == "context":
        return " ".join(str(e.get("text", "")) for e in block.get("elements") or []
                        if e.get("type") == "mrkdwn")
    return ""


def _fit(blocks: list[Block], max_blocks: int) -> list[Block]:
    """At most ``max_blocks`` blocks and :data:`MESSAGE_CHARS` characters: trailing sections
    that do not fit give way to one context line saying so. A final actions block (the
    buttons) is kept."""
    tail = blocks[-1:] if blocks and blocks[-1].get("type") == "actions" else []
    body = blocks[: len(blocks) - len(tail)]
    room = max_blocks - len(tail)
    total = sum(len(_block_text(b)) for b in blocks)
    if len(body) <= room and total <= MESSAGE_CHARS:
        return blocks
    kept: list[Block] = []
    used = sum(len(_block_text(b)) for b in tail) + len(TOO_LONG)
    for block in body:
        size = len(_block_text(block))
        if len(kept) + 1 >= room or used + size > MESSAGE_CHARS:
            break
        kept.append(block)
        used += size
    return [*kept, context(TOO_LONG), *tail]



def shortened(full: Sequence[str], short: Sequence[str], *,
              limit: int = SECTION_CHARS - 200) -> list[str]:
    """As many entries as fit in ``limit`` characters once escaped: the first in ``full`` form
    as long as they fit, the next in ``short`` form (``short[i]`` says less of the same entry
    as ``full[i]``). The caller counts what was left out (``len(full) - len(result)``) and says
    so; the default ``limit`` leaves room for that line and a heading."""
    lines: list[str] = []
    used = 0
    compact = False
    for i, line in enumerate(full):
        if not compact and used + len(escape(line)) + 1 <= limit:
            lines.append(line)
            used += len(escape(line)) + 1
            continue
        compact = True
        size = len(escape(short[i])) + 1
        if used + size > limit:
            break
        lines.append(short[i])
        used += size
    return lines

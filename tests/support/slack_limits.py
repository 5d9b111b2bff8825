"""Slack's rules for a message, checked the same way wherever a test sees one: a reply, a posted
reminder, what the bot sent to the fake Web API or to a ``response_url``; and for a modal view
and the answer to an options request.

The figures are Slack's documented limits (Block Kit reference: 50 blocks in a message, 3 000
characters in a section's text, 2 000 in a field or a context element, 10 context elements,
25 action elements, 75 characters in a button's label, 2 000 in its value) plus the total that
``voice.reply`` keeps to (12 000 characters of text, well inside what Slack accepts before
``msg_blocks_too_long``).

For the Home tab (``views.publish``): at most 100 blocks, each as in a message (the text of a
section, a context, the buttons), ``private_metadata`` and ``callback_id`` as in a modal.

For a modal (Block Kit reference, modal views and the elements): a title, submit and close label
of at most 24 characters, a submit label whenever there is an input block, at most 100 blocks,
``private_metadata`` of at most 3 000 characters, ``callback_id`` and ``block_id`` of at most 255,
labels and hints of at most 2 000 (``plain_text``), placeholders of at most 150, options with a
text and value of at most 75, at most 10 checkboxes and 100 options, a date as ``YYYY-MM-DD``,
a text input's ``max_length`` of at most 3 000. An answer to an options request holds at most
100 options.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from voice.reply import Reply

MAX_BLOCKS = 50
SECTION_CHARS = 3000
CONTEXT_ELEMENTS = 10
CONTEXT_CHARS = 2000
ACTION_ELEMENTS = 25
BUTTON_LABEL = 75
BUTTON_VALUE = 2000
MESSAGE_CHARS = 12_000

_LIVE = re.compile(r"<(?!@[UW][A-Z0-9]+>|#[CG][A-Z0-9]+(?:\|[^<>|]*)?>"
                   r"|!date\^00000000\^\{_\}\|[*_~`]>)[^>]*>")
"""Markup other than a plain user mention, a channel link, or a character a user typed shown
through a date token's fallback (``voice.reply.said``): ``<!channel>``, ``<https://…|…>``."""


def blocks_of(value: Any) -> list[dict[str, Any]]:
    """Blocks as the bot sent them: a list, or the JSON string slack_sdk form-encodes."""
    if value is None or value == "":
        return []
    return json.loads(value) if isinstance(value, str) else list(value)


def assert_within_slack_limits(text: str, blocks: Any = None) -> None:
    """``text`` and ``blocks`` make a message Slack accepts as it is."""
    found = blocks_of(blocks)
    assert text.strip() or found, "a message needs text or blocks"
    assert len(text) <= MESSAGE_CHARS, f"text fallback of {len(text)} characters"
    assert len(found) <= MAX_BLOCKS, f"{len(found)} blocks"
    total = 0
    for block in found:
        kind = block["type"]
        if kind == "section":
            body = block["text"]["text"]
            assert 0 < len(body) <= SECTION_CHARS, f"section of {len(body)} characters"
            total += len(body)
        elif kind == "context":
            elements = block["elements"]
            assert 0 < len(elements) <= CONTEXT_ELEMENTS
            for element in elements:
                assert 0 < len(element["text"]) <= CONTEXT_CHARS
                total += len(element["text"])
        elif kind == "actions":
            elements = block["elements"]
            assert 0 < len(elements) <= ACTION_ELEMENTS
            for element in elements:
                if element["type"] == "button":
                    assert element["text"]["type"] == "plain_text"
                    assert 0 < len(element["text"]["text"]) <= BUTTON_LABEL
                    assert len(element.get("value", "")) <= BUTTON_VALUE
        else:
            assert kind in ("divider", "header"), f"unexpected block {kind}"
    assert total <= MESSAGE_CHARS, f"{total} characters of text in the blocks"


def assert_reply_within_limits(reply: Reply) -> None:
    assert_within_slack_limits(reply.text, reply.blocks)


_CHECKED_LINK = re.compile(
    r"<(https?://)([A-Za-z0-9.-]+\.[A-Za-z][A-Za-z0-9-]*(?::\d{1,5})?"
    r"(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?)\|([^<>|]+)>")
"""A link ``voice.reply.link`` makes: an http(s) address of URL characters only, and a label
that is that address without its scheme (cut with ``…``, its host maybe in letters rather
than IDNA)."""


def live_markup(text: str, *, checked_links: bool = False) -> list[str]:
    """What in ``text`` Slack would turn into a ping or a link other than a user mention;
    with ``checked_links``, a link the bot checked and labels with its own address
    (:data:`_CHECKED_LINK`) is allowed, and nothing else."""
    return [m for m in _LIVE.findall(text) if not (checked_links and checked_link(m))]


def checked_link(markup: str) -> bool:
    """Whether ``markup`` is a link as ``voice.reply.link`` writes one, showing where it goes."""
    m = _CHECKED_LINK.fullmatch(markup)
    if m is None:
        return False
    address = m[2].replace("&amp;", "&")
    label = m[3].replace("&amp;", "&").removesuffix("…")
    host, _, rest = address.partition("/")
    try:
        shown_host = host.encode("ascii").decode("idna")
    except UnicodeError:
        shown_host = host
    shown = [f"{shown_host}/{r}".rstrip("/") if rest else shown_host
             for r in (rest, unquote(rest))]
    return any(full.startswith(label) for full in (address, *shown)) and bool(label)


def unfurls_off(params: dict[str, Any]) -> bool:
    """Whether a message was sent with ``unfurl_links`` and ``unfurl_media`` false (JSON or
    form-encoded)."""
    return all(params.get(flag) in (False, "false", "0", 0)
               for flag in ("unfurl_links", "unfurl_media"))


def all_text(text: str, blocks: Any = None) -> str:
    """The fallback and every mrkdwn text of the blocks, for checking what a user would see."""
    parts = [text]
    for block in blocks_of(blocks):
        if block["type"] == "section":
            parts.append(block["text"]["text"])
        elif block["type"] == "context":
            parts += [e["text"] for e in block["elements"]]
    return "\n".join(parts)


# --- modals -----------------------------------------------------------------------------------

MODAL_BLOCKS = 100
MODAL_TITLE = 24
METADATA = 3000
ID_CHARS = 255
LABEL = 2000
PLACEHOLDER = 150
OPTION_TEXT = 75
OPTION_VALUE = 75
CHECKBOXES = 10
MENU_OPTIONS = 100
INPUT_CHARS = 3000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _plain_text(obj: Any, limit: int, what: str) -> None:
    assert isinstance(obj, dict) and obj.get("type") == "plain_text", f"{what} is not plain_text"
    assert 0 < len(obj["text"]) <= limit, f"{what} of {len(obj['text'])} characters"


def assert_option(opt: dict[str, Any]) -> None:
    _plain_text(opt["text"], OPTION_TEXT, "option text")
    assert 0 < len(opt["value"]) <= OPTION_VALUE, f"option value {opt['value']!r}"


def assert_options_answer(answer: dict[str, Any]) -> None:
    """An answer to an options request (``block_suggestion``) that Slack accepts."""
    found = answer["options"]
    assert len(found) <= MENU_OPTIONS, f"{len(found)} options"
    for opt in found:
        assert_option(opt)


def _assert_element(element: dict[str, Any]) -> None:
    kind = element["type"]
    assert len(element.get("action_id", "")) <= ID_CHARS
    if "placeholder" in element:
        _plain_text(element["placeholder"], PLACEHOLDER, "placeholder")
    if kind in ("multi_external_select", "external_select"):
        assert isinstance(element.get("min_query_length", 0), int)
        for opt in element.get("initial_options", []):
            assert_option(opt)
    elif kind == "datepicker":
        if "initial_date" in element:
            assert _ISO_DATE.fullmatch(element["initial_date"]), element["initial_date"]
    elif kind in ("checkboxes", "static_select"):
        opts = element["options"]
        assert 0 < len(opts) <= (CHECKBOXES if kind == "checkboxes" else MENU_OPTIONS)
        for opt in opts:
            assert_option(opt)
        chosen = element.get("initial_options", [])
        if "initial_option" in element:
            chosen = [element["initial_option"]]
        assert all(c in opts for c in chosen), "an initial option that is not an option"
    elif kind == "plain_text_input":
        limit = element.get("max_length", INPUT_CHARS)
        assert 0 < limit <= INPUT_CHARS
        assert len(element.get("initial_value", "")) <= limit
    else:
        raise AssertionError(f"unexpected element {kind}")


def _view_blocks(view: dict[str, Any], most: int) -> list[dict[str, Any]]:
    """The blocks of a view (a modal, the Home tab), checked with what the view holds besides
    them: at most ``most`` blocks with block ids of their own, the metadata, the callback id."""
    blocks: list[dict[str, Any]] = view["blocks"]
    assert 0 < len(blocks) <= most, f"{len(blocks)} blocks"
    assert len(view.get("private_metadata", "")) <= METADATA
    assert len(view.get("callback_id", "")) <= ID_CHARS
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(ids) == len(set(ids)), "two blocks share a block_id"
    return blocks


def assert_view_within_limits(view: Any) -> None:
    """``view`` is a modal Slack opens as it is."""
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "modal"
    _plain_text(view["title"], MODAL_TITLE, "title")
    for button in ("submit", "close"):
        if button in view:
            _plain_text(view[button], MODAL_TITLE, button)
    blocks = _view_blocks(view, MODAL_BLOCKS)
    inputs = 0
    for block in blocks:
        kind = block["type"]
        assert len(block.get("block_id", "")) <= ID_CHARS
        if kind == "input":
            inputs += 1
            _plain_text(block["label"], LABEL, "label")
            if "hint" in block:
                _plain_text(block["hint"], LABEL, "hint")
            _assert_element(block["element"])
        elif kind == "context":
            assert 0 < len(block["elements"]) <= CONTEXT_ELEMENTS
            for element in block["elements"]:
                assert 0 < len(element["text"]) <= CONTEXT_CHARS
            assert not live_markup(" ".join(e["text"] for e in block["elements"]))
        else:
            assert kind in ("section", "divider", "header"), f"unexpected block {kind}"
    if inputs:
        assert "submit" in view, "a modal with input blocks needs a submit label"


# --- the Home tab -----------------------------------------------------------------------------

HOME_BLOCKS = 100


def assert_home_within_limits(view: Any) -> None:
    """``view`` is a Home tab Slack publishes as it is, with no markup but mentions and
    channel links."""
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home"
    assert not {"title", "submit", "close"} & set(view), "a Home tab has no title or buttons"
    blocks = _view_blocks(view, HOME_BLOCKS)
    for block in blocks:
        # Each block as in a message; the 50-block cap of a message does not apply.
        assert_within_slack_limits(" ", [block])
        assert len(block.get("block_id", "")) <= ID_CHARS
    live = live_markup(all_text("", blocks))
    assert not live, f"live markup {live}"

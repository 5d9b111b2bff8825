"""Slack's rules for a message, checked the same way wherever a test sees one: a reply, a posted
reminder, what the bot sent to the fake Web API or to a ``response_url``.

The figures are Slack's documented limits (Block Kit reference: 50 blocks in a message, 3 000
characters in a section's text, 2 000 in a field or a context element, 10 context elements,
25 action elements, 75 characters in a button's label, 2 000 in its value) plus the total that
``voice.reply`` keeps to (12 000 characters of text, well inside what Slack accepts before
``msg_blocks_too_long``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from voice.reply import Reply

MAX_BLOCKS = 50
SECTION_CHARS = 3000
CONTEXT_ELEMENTS = 10
CONTEXT_CHARS = 2000
ACTION_ELEMENTS = 25
BUTTON_LABEL = 75
BUTTON_VALUE = 2000
MESSAGE_CHARS = 12_000

_LIVE = re.compile(r"<(?!@[UW][A-Z0-9]+>|#[CG][A-Z0-9]+(?:\|[^<>|]*)?>)[^>]*>")
"""Markup other than a plain user mention or channel link: ``<!channel>``, ``<https://…|…>``."""


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


def live_markup(text: str) -> list[str]:
    """What in ``text`` Slack would turn into a ping or a link other than a user mention."""
    return _LIVE.findall(text)


def all_text(text: str, blocks: Any = None) -> str:
    """The fallback and every mrkdwn text of the blocks, for checking what a user would see."""
    parts = [text]
    for block in blocks_of(blocks):
        if block["type"] == "section":
            parts.append(block["text"]["text"])
        elif block["type"] == "context":
            parts += [e["text"] for e in block["elements"]]
    return "\n".join(parts)

"""The one builder of forms (Slack modals): the view, its input blocks and their elements, and
reading what a submitted form holds. Messages are built in :mod:`voice.reply`; this module is
its counterpart for what a user fills in, and keeps the same two rules.

**Text is data.** Labels, hints, placeholders, options and initial values are ``plain_text``
(or raw input values): Slack shows them as the characters given, so they are *not* escaped for
mrkdwn (an ``&`` would show as ``&amp;``). Only a context line, which is mrkdwn, goes through
:func:`voice.reply.context` and is escaped there.

**Slack's limits hold whatever the data** (Block Kit reference, modal views): a title, a
submit and a close label of at most 24 characters, at most 100 blocks, ``private_metadata`` of
at most 3 000 characters, a label or hint of at most 2 000, a placeholder of at most 150, an
option's text and value of at most 75, at most 10 checkboxes, at most 100 options in a menu or
in an answer to an options request, and a text input's ``max_length`` of at most 3 000. Text
that can be long is cut with ``…``; a value that cannot be cut without changing what it means
(an option's value, the metadata) raises ``ValueError``, because that is a programming error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from voice.reply import Block, plain_text

MAX_BLOCKS = 100
TITLE_CHARS = 24
"""A modal's title, and its submit and close labels."""
METADATA_CHARS = 3000
LABEL_CHARS = 2000
PLACEHOLDER_CHARS = 150
OPTION_CHARS = 75
"""An option's text and its value."""
CHECKBOXES = 10
MENU_OPTIONS = 100
"""Options in a menu, and in the answer to an options request (``block_suggestion``)."""
INPUT_CHARS = 3000
"""The longest ``max_length`` a text input may have (and so its initial value)."""
CUT = "…"


def plain(text: str, limit: int) -> Block:
    """A ``plain_text`` object, cut to ``limit`` characters."""
    return {"type": "plain_text", "text": _clip(plain_text(text), limit), "emoji": True}


def modal(title: str, blocks: Sequence[Block], *, callback_id: str, submit: str,
          close: str = "Avbryt", private_metadata: str = "") -> Block:
    """A modal view of ``blocks`` (the first :data:`MAX_BLOCKS`)."""
    if len(private_metadata) > METADATA_CHARS:
        raise ValueError(f"private_metadata of {len(private_metadata)} characters")
    view: Block = {"type": "modal", "callback_id": callback_id,
                   "title": plain(title, TITLE_CHARS), "submit": plain(submit, TITLE_CHARS),
                   "close": plain(close, TITLE_CHARS), "blocks": list(blocks)[:MAX_BLOCKS]}
    if private_metadata:
        view["private_metadata"] = private_metadata
    return view


def input_block(block_id: str, label: str, element: Block, *, optional: bool = False,
                hint: str | None = None) -> Block:
    """One field of a form: ``label`` above ``element``, ``hint`` in grey below it."""
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label, LABEL_CHARS),
                    "element": element, "optional": optional}
    if hint:
        block["hint"] = plain(hint, LABEL_CHARS)
    return block


def option(text: str, value: str) -> Block:
    """One choice in a menu or a group of checkboxes: ``text`` shown (cut to 75 characters),
    ``value`` sent back (which must fit: it is what the bot reads)."""
    if not value or len(value) > OPTION_CHARS:
        raise ValueError(f"option value of {len(value)} characters")
    return {"text": plain(text, OPTION_CHARS), "value": value}


def options(pairs: Iterable[tuple[str, str]], limit: int = MENU_OPTIONS) -> list[Block]:
    """``(text, value)`` pairs as options, at most ``limit`` of them (an answer to an options
    request holds at most :data:`MENU_OPTIONS`)."""
    out: list[Block] = []
    for text, value in pairs:
        if len(out) >= limit:
            break
        out.append(option(text, value))
    return out


def external_multi_select(action_id: str, placeholder: str, *, min_query_length: int,
                          initial: Sequence[Block] = ()) -> Block:
    """A multi-select whose options come from the bot as the user types (an options request
    to the interactivity URL, see ``bot.forms``)."""
    element: Block = {"type": "multi_external_select", "action_id": action_id,
                      "placeholder": plain(placeholder, PLACEHOLDER_CHARS),
                      "min_query_length": min_query_length}
    if initial:
        element["initial_options"] = list(initial)
    return element


def datepicker(action_id: str, initial: date | None, placeholder: str = "Velg en dato") -> Block:
    element: Block = {"type": "datepicker", "action_id": action_id,
                      "placeholder": plain(placeholder, PLACEHOLDER_CHARS)}
    if initial is not None:
        element["initial_date"] = initial.isoformat()
    return element


def checkboxes(action_id: str, choices: Sequence[Block], initial: Iterable[str] = ()) -> Block:
    """At most :data:`CHECKBOXES` checkboxes; ``initial`` are the values ticked."""
    if len(choices) > CHECKBOXES:
        raise ValueError(f"{len(choices)} checkboxes")
    ticked = set(initial)
    element: Block = {"type": "checkboxes", "action_id": action_id, "options": list(choices)}
    chosen = [c for c in choices if c["value"] in ticked]
    if chosen:
        element["initial_options"] = chosen
    return element


def static_select(action_id: str, placeholder: str, choices: Sequence[Block],
                  initial: str | None = None) -> Block:
    """A menu of at most :data:`MENU_OPTIONS` choices; ``initial`` is the value chosen."""
    element: Block = {"type": "static_select", "action_id": action_id,
                      "placeholder": plain(placeholder, PLACEHOLDER_CHARS),
                      "options": list(choices)[:MENU_OPTIONS]}
    chosen = [c for c in element["options"] if c["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def text_input(action_id: str, *, multiline: bool = False, max_length: int | None = None,
               initial: str | None = None, placeholder: str | None = None) -> Block:
    """A text field; the initial value is cut to what the field may hold."""
    limit = min(max_length or INPUT_CHARS, INPUT_CHARS)
    element: Block = {"type": "plain_text_input", "action_id": action_id,
                      "multiline": multiline, "max_length": limit}
    if initial:
        element["initial_value"] = initial[:limit]
    if placeholder:
        element["placeholder"] = plain(placeholder, PLACEHOLDER_CHARS)
    return element


def errors(by_block: Mapping[str, str]) -> dict[str, str]:
    """The ``errors`` of a ``response_action: errors`` answer, by ``block_id``. They are plain
    text: the backticks our sentences put around a command would show as they are, so they
    are left out, and each is cut to what a label may hold."""
    return {block: _clip(plain_text(text).replace("`", ""), LABEL_CHARS)
            for block, text in by_block.items()}


def read_state(state: Mapping[str, Any]) -> dict[str, Any]:
    """What a submitted view holds (``view.state``), by ``block_id``: a list of values for a
    multi-select or checkboxes, the value chosen in a menu, a date picker's ``date`` (None when
    empty), a text field's text (None when empty). Blocks whose element is unknown are left
    out."""
    out: dict[str, Any] = {}
    for block_id, actions in (state.get("values") or {}).items():
        for element in (actions or {}).values():
            kind = element.get("type")
            if kind in ("multi_external_select", "multi_static_select", "checkboxes"):
                out[block_id] = [o["value"] for o in element.get("selected_options") or []]
            elif kind in ("static_select", "external_select"):
                chosen = element.get("selected_option")
                out[block_id] = chosen["value"] if chosen else None
            elif kind == "datepicker":
                picked = element.get("selected_date")
                out[block_id] = date.fromisoformat(picked) if picked else None
            elif kind == "plain_text_input":
                out[block_id] = element.get("value") or None
            break
    return out


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(CUT)].rstrip() + CUT

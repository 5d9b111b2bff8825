"""Requests exactly as Slack sends them: the signature headers and the bodies of a slash
command, a button press, an Events API delivery, and what a form sends (an options request
for a type-ahead, a submission) and a message shortcut.

Shared by the tests (through the fixtures and the fake Slack) and by ``bench/``, whose load
client signs its requests with :func:`sign_request`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

TEAM_ID = "T0LHLTEST"
BOT_USER_ID = "U0LHLBOT"
BOT_ID = "B0LHLBOT"
APP_ID = "A0LHLAPP"
CHANNEL = "C0LHL"
"""The channel a request comes from unless a test says otherwise."""
USER = "U0KOORD1"
"""The user who sends a request unless a test says otherwise."""


def dm_of(user: str) -> str:
    """The id of the direct message between the bot and ``user`` (what the fake Slack's
    ``conversations.open`` answers, and the channel of the user's ``app_home_opened``)."""
    return f"D{user.removeprefix('U').removeprefix('W')}"


def sign_request(
    body: str | bytes, secret: str, timestamp: int | str | None = None
) -> dict[str, str]:
    """The ``X-Slack-Signature``/``X-Slack-Request-Timestamp`` headers Slack sends with
    ``body``: ``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}`` keyed by the secret.

    ``timestamp`` defaults to now; pass a string to send a malformed one as it is.
    """
    ts = str(int(time.time())) if timestamp is None else str(timestamp)
    raw = body.encode("utf-8") if isinstance(body, str) else body
    digest = hmac.new(secret.encode("utf-8"), b"v0:" + ts.encode() + b":" + raw, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest.hexdigest()}


def slash_command_fields(
    text: str,
    *,
    user_id: str = USER,
    channel_id: str = CHANNEL,
    command: str = "/lhl",
    **overrides: str,
) -> dict[str, str]:
    """The fields of a slash-command request, in the order Slack sends them."""
    fields = {
        "token": "verification-token-not-used",
        "team_id": TEAM_ID,
        "team_domain": "lhl-test",
        "channel_id": channel_id,
        "channel_name": "koordinatorer",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": f"https://hooks.slack.com/commands/{TEAM_ID}/1234/abcd",
        "trigger_id": f"1234.5678.{uuid.uuid4().hex}",
    }
    fields.update(overrides)
    return fields


def slash_command_body(text: str, **kwargs: str) -> str:
    """A slash-command body form-encoded exactly like Slack's (see :func:`slash_command_fields`)."""
    return urlencode(slash_command_fields(text, **kwargs))


def block_actions_body(action_id: str, value: str, **kwargs: Any) -> str:
    """A button press (``block_actions``), form-encoded as Slack sends it over HTTP (see
    :func:`block_actions_payload`)."""
    return urlencode({"payload": json.dumps(block_actions_payload(action_id, value, **kwargs))})


def block_actions_payload(action_id: str, value: str, *, user_id: str = USER,
                          channel_id: str = CHANNEL, message: dict[str, Any] | None = None,
                          response_url: str = "https://hooks.slack.com/actions/T0/1/abcd"
                          ) -> dict[str, Any]:
    """A button press (``block_actions``) on ``message``: the payload Slack sends (in a Socket
    Mode envelope as it is)."""
    message = message or {"type": "message", "ts": "1700000000.000001", "text": "",
                          "blocks": []}
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "lhl-test"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "verification-token-not-used",
        "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel_id,
                      "is_ephemeral": False},
        "trigger_id": f"1234.5678.{uuid.uuid4().hex}",
        "channel": {"id": channel_id, "name": "koordinatorer"},
        "message": message,
        "response_url": response_url,
        "actions": [{"type": "button", "action_id": action_id, "block_id": "lhl_actions",
                     "value": value, "action_ts": f"{time.time():.6f}",
                     "text": {"type": "plain_text", "text": action_id}}],
    }
    return payload


def event_callback_body(event: dict[str, Any], *, event_id: str | None = None) -> str:
    """An Events API delivery of ``event`` (``event_callback``), JSON as Slack sends it."""
    return json.dumps({
        "token": "verification-token-not-used",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                            "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    })


def app_home_opened_body(user_id: str = USER, *, tab: str = "home",
                         event_id: str | None = None) -> str:
    """The user opened the app's Home tab (``tab="home"``) or its Messages tab
    (``"messages"``): the Events API delivery Slack sends."""
    event: dict[str, Any] = {"type": "app_home_opened", "user": user_id,
                             "channel": dm_of(user_id), "tab": tab,
                             "event_ts": f"{time.time():.6f}"}
    if tab == "home":
        event["view"] = {"id": "V0HOME00000", "team_id": TEAM_ID, "type": "home",
                         "blocks": [], "private_metadata": "", "callback_id": "",
                         "state": {"values": {}}, "hash": "1700000000.home",
                         "app_id": APP_ID, "bot_id": BOT_ID}
    return event_callback_body(event, event_id=event_id)


def home_button_payload(action_id: str, value: str, *, user_id: str = USER,
                        view_id: str = "V0HOME00001") -> dict[str, Any]:
    """A button pressed on the Home tab (``block_actions`` from a view: no channel, no
    ``response_url``, but a ``trigger_id`` that can open a form)."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "lhl-test"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "verification-token-not-used",
        "container": {"type": "view", "view_id": view_id},
        "trigger_id": f"1234.5678.{uuid.uuid4().hex}",
        "view": {"id": view_id, "team_id": TEAM_ID, "type": "home", "blocks": [],
                 "private_metadata": "", "callback_id": "", "state": {"values": {}},
                 "hash": "1700000000.home", "app_id": APP_ID, "bot_id": BOT_ID},
        "actions": [{"type": "button", "action_id": action_id, "block_id": "lhl_home",
                     "value": value, "action_ts": f"{time.time():.6f}",
                     "text": {"type": "plain_text", "text": action_id}}],
        "is_enterprise_install": False,
        "enterprise": None,
    }


# --- forms and shortcuts ----------------------------------------------------------------------


def interactive_body(payload: dict[str, Any]) -> str:
    """An interactivity payload form-encoded as Slack sends it over HTTP (``payload=<json>``)."""
    return urlencode({"payload": json.dumps(payload)})


def _who(user_id: str) -> dict[str, Any]:
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(),
            "team_id": TEAM_ID}


def _state_of(element: dict[str, Any], value: Any) -> dict[str, Any]:
    """What Slack reports for an element holding ``value`` (a list of values for a
    multi-select or checkboxes, a value for a menu, a ``date`` or ISO text for a date picker,
    text for a text field; None for empty)."""
    kind = element["type"]
    state: dict[str, Any] = {"type": kind}
    if kind == "multi_external_select":
        state["selected_options"] = [{"text": {"type": "plain_text", "text": str(v)},
                                      "value": str(v)} for v in value or ()]
    elif kind == "checkboxes":
        state["selected_options"] = [o for o in element["options"] if o["value"] in
                                     (value or ())]
    elif kind == "static_select":
        chosen = [o for o in element["options"] if o["value"] == value]
        state["selected_option"] = chosen[0] if chosen else None
    elif kind == "datepicker":
        state["selected_date"] = str(value) if value is not None else None
    elif kind == "plain_text_input":
        state["value"] = value
    else:
        raise ValueError(f"no state for {kind}")
    return state


def view_submission_payload(view: dict[str, Any], values: dict[str, Any] | None = None, *,
                            user_id: str = USER, view_id: str = "V0LHL00001",
                            keep_initial: bool = True) -> dict[str, Any]:
    """A form submitted: ``view`` as the bot opened it, each input holding what it started
    with (``keep_initial``) or what ``values`` says, by ``block_id``."""
    values = values or {}
    state: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        if block["block_id"] in values:
            value = values[block["block_id"]]
        elif keep_initial:
            value = _initial(element)
        else:
            value = None
        state[block["block_id"]] = {element["action_id"]: _state_of(element, value)}
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "lhl-test"},
        "user": _who(user_id),
        "api_app_id": APP_ID,
        "token": "verification-token-not-used",
        "trigger_id": f"1234.5678.{uuid.uuid4().hex}",
        "view": {**view, "id": view_id, "team_id": TEAM_ID, "app_id": APP_ID, "bot_id": BOT_ID,
                 "hash": "1700000000.abcd", "previous_view_id": None, "root_view_id": view_id,
                 "state": {"values": state}},
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def _initial(element: dict[str, Any]) -> Any:
    kind = element["type"]
    if kind in ("multi_external_select", "checkboxes"):
        return [o["value"] for o in element.get("initial_options", [])]
    if kind == "static_select":
        return (element.get("initial_option") or {}).get("value")
    if kind == "datepicker":
        return element.get("initial_date")
    return element.get("initial_value")


def block_suggestion_payload(action_id: str, value: str, *, block_id: str = "kommuner",
                             user_id: str = USER, view_id: str = "V0LHL00001"
                             ) -> dict[str, Any]:
    """An options request: the user has typed ``value`` into an external select in a form."""
    return {
        "type": "block_suggestion",
        "user": _who(user_id),
        "container": {"type": "view", "view_id": view_id},
        "api_app_id": APP_ID,
        "token": "verification-token-not-used",
        "action_id": action_id,
        "block_id": block_id,
        "value": value,
        "team": {"id": TEAM_ID, "domain": "lhl-test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "view": {"id": view_id, "team_id": TEAM_ID, "type": "modal", "blocks": [],
                 "state": {"values": {}}},
    }


def message_action_payload(callback_id: str, message: dict[str, Any], *, user_id: str = USER,
                           channel_id: str = CHANNEL,
                           response_url: str = "https://hooks.slack.com/app/T0/1/abcd"
                           ) -> dict[str, Any]:
    """A message shortcut used on ``message`` (``message_action``)."""
    return {
        "type": "message_action",
        "token": "verification-token-not-used",
        "action_ts": f"{time.time():.6f}",
        "team": {"id": TEAM_ID, "domain": "lhl-test"},
        "user": _who(user_id),
        "channel": {"id": channel_id, "name": "koordinatorer"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": f"1234.5678.{uuid.uuid4().hex}",
        "response_url": response_url,
        "message_ts": message["ts"],
        "message": message,
    }

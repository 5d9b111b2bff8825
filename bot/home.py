"""The App Home tab in Slack: published (``views.publish``) when the user opens it
(``app_home_opened``), and again after each of their writes: a ``/lhl`` command that writes, a
form, a button. What it shows is ``commands.home``'s.

Publishing is always background work (the runtime's :class:`bot.background.Background`), so
it never delays an acknowledgement. After a write it waits half a second (:data:`AFTER_WRITE_S`)
and a user's publish that is still waiting is not queued a second time: a burst of writes
publishes once, with all of them.
A failure is logged, never shown: the Home tab is a view, not an answer anyone waits for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.followup import slack_error
from bot.runtime import Runtime
from commands.base import CommandSpec, UsageError
from commands.dispatch import read
from commands.home import home_view

log = logging.getLogger("lhl.home")

HOME_OPENED = "app_home_opened"
AFTER_WRITE_S = 0.5
"""How long after a write its Home tab is published: the writes of that half second (a burst of
commands, an import) are all in it, and it is published once."""

Listener = Callable[..., None]


def register(app: App, runtime: Runtime) -> None:
    """Bind ``app_home_opened``."""
    app.event(HOME_OPENED)(home_opened(runtime))


def home_opened(runtime: Runtime) -> Listener:
    """The user opened the app: publish their Home tab (the Messages tab needs nothing)."""

    def opened(event: dict[str, Any], client: WebClient) -> None:
        user = event.get("user")
        if event.get("tab") == "home" and isinstance(user, str) and user:
            refresh(runtime, client, user, delay=0)

    return opened


def refresh(runtime: Runtime, client: WebClient, user: str, *,
            delay: float = AFTER_WRITE_S) -> None:
    """Publish ``user``'s Home tab in the background, ``delay`` seconds from now (once, however
    many refreshes are asked for meanwhile)."""
    runtime.background.run("home", lambda: publish(runtime, client, user), key=f"home:{user}",
                           delay=delay)


def publish(runtime: Runtime, client: WebClient, user: str) -> None:
    """Build ``user``'s Home tab from the store and publish it now; a failure is logged."""
    try:
        with runtime.db.read() as session:
            view = home_view(runtime.context(user), session=session)
        client.views_publish(user_id=user, view=view)
    except (SlackApiError, OSError) as exc:
        log.warning("home tab not published (%s) user=%s", slack_error(exc), user)
        return
    except Exception:
        log.exception("home tab not built user=%s", user)
        return
    log.debug("home tab published user=%s", user)


def after_command(runtime: Runtime, client: WebClient, text: str, user: str,
                  channel: str | None) -> None:
    """After ``/lhl text`` has been answered: the user's Home tab again if it was a write.

    Only the command's name is read here (it decides whether the command writes at all); a
    command that writes with some arguments and only reads with others (``nettverk vis``) is
    told apart in the background, where its text is parsed again."""
    invocation = read(text)
    spec = invocation.spec
    if spec is None or not spec.writes:
        return
    if spec.reads_only is None:
        refresh(runtime, client, user)
        return

    def check() -> None:
        if _wrote(runtime, spec, invocation.rest, user, channel):
            refresh(runtime, client, user)

    runtime.background.run("home", check)


def _wrote(runtime: Runtime, spec: CommandSpec, rest: str, user: str,
           channel: str | None) -> bool:
    """Whether ``rest`` makes ``spec`` write (a text it refuses wrote nothing)."""
    assert spec.reads_only is not None
    try:
        args = spec.parse(rest, runtime.context(user, channel))
    except UsageError:
        return False
    return not spec.reads_only(args)

"""Socket Mode: Bolt's built-in Socket Mode client, watched by a watchdog.

The client reconnects by itself most of the time, but a Socket Mode app is known to go silent
after a reconnect: the process lives, the socket looks open, and no command arrives again
(bolt-python issues 417, 945 and 1529; python-slack-sdk 1701). The :class:`Watchdog` looks at
the connection's vital signs every ping interval and forces a reconnect to a fresh endpoint when

* the client has been disconnected for longer than its own reconnect should take,
* Slack never said ``hello`` on the current connection (every live connection starts with one),
* nothing at all (no pong to our pings, no message) came for several ping intervals.
"""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin import SocketModeClient

from bot.runtime import Runtime
from bot.senders import SlackSender
from bot.settings import NEEDS_APP_TOKEN, SettingsError
from bot.slack_app import build_app, stop_signals

log = logging.getLogger("lhl.socket")

PING_INTERVAL = 10.0


@dataclass(frozen=True)
class Vitals:
    """A snapshot of the connection. ``last_sign_of_life`` is on the watchdog's clock."""

    connected: bool
    session: str | None
    greeted: bool
    last_sign_of_life: float | None


@dataclass(frozen=True)
class WatchdogTimings:
    """How long to tolerate each symptom, in seconds. The defaults leave the client's own
    recovery (it pings every ``ping_interval`` and drops a connection silent for four) a
    chance to act first."""

    every: float
    grace: float
    hello_timeout: float
    stale_after: float
    max_backoff: float = 300.0

    @classmethod
    def for_ping_interval(cls, ping_interval: float) -> WatchdogTimings:
        return cls(every=ping_interval, grace=3 * ping_interval,
                   hello_timeout=3 * ping_interval, stale_after=6 * ping_interval)


class Verdict(enum.Enum):
    HEALTHY = "healthy"
    WAITING = "waiting"
    BACKING_OFF = "backing off"
    RECONNECTED = "reconnected"
    FAILED = "failed"


class Watchdog:
    """Decides, from :class:`Vitals` and a clock, when to force a reconnect.

    ``probe`` reads the vitals, ``reconnect`` replaces the connection and says whether it is
    connected afterwards. Both are injected, so :meth:`check` is a pure step that tests drive
    with a fake clock; :meth:`run` is the loop around it.
    """

    def __init__(self, probe: Callable[[], Vitals], reconnect: Callable[[], bool],
                 timings: WatchdogTimings, *, clock: Callable[[], float] = time.time) -> None:
        self.probe = probe
        self.reconnect = reconnect
        self.timings = timings
        self.clock = clock
        self.reconnects = 0
        self._session: str | None = None
        self._session_since = clock()
        self._down_since: float | None = None
        self._failures = 0
        self._retry_at = 0.0

    def check(self) -> Verdict:
        now = self.clock()
        if now < self._retry_at:
            return Verdict.BACKING_OFF
        vitals = self.probe()
        if vitals.session != self._session:
            self._session, self._session_since = vitals.session, now
        t = self.timings
        if not vitals.connected:
            if self._down_since is None:
                self._down_since = now
            down = now - self._down_since
            if down < t.grace and self._failures == 0:
                return Verdict.WAITING
            return self._reconnect(now, f"disconnected for {down:.0f} s")
        self._down_since = None
        age = now - self._session_since
        if not vitals.greeted and age >= t.hello_timeout:
            return self._reconnect(now, f"no hello from Slack in {age:.0f} s")
        last = max(vitals.last_sign_of_life or self._session_since, self._session_since)
        if now - last >= t.stale_after:
            return self._reconnect(now, f"no pong or message for {now - last:.0f} s")
        self._failures = 0
        return Verdict.HEALTHY

    def _reconnect(self, now: float, reason: str) -> Verdict:
        log.warning("socket mode looks dead (%s, session %s); reconnecting", reason, self._session)
        try:
            ok = self.reconnect()
        except Exception:
            log.exception("socket mode reconnect failed")
            ok = False
        if ok:
            self.reconnects += 1
            self._failures = 0
            self._retry_at = 0.0
            self._down_since = None
            self._session, self._session_since = None, self.clock()
            log.info("socket mode reconnected")
            return Verdict.RECONNECTED
        self._failures += 1
        backoff = min(self.timings.max_backoff, self.timings.every * 2 ** (self._failures - 1))
        self._retry_at = now + backoff
        log.warning("socket mode still down; next attempt in %.0f s", backoff)
        return Verdict.FAILED

    def run(self, stop: threading.Event) -> None:
        """Check every ``timings.every`` seconds until ``stop`` is set."""
        while not stop.wait(self.timings.every):
            try:
                self.check()
            except Exception:
                log.exception("socket mode watchdog check failed")


class ClientVitals:
    """Reads :class:`Vitals` off the built-in Socket Mode client and reconnects it."""

    def __init__(self, client: SocketModeClient, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.clock = clock
        self._lock = threading.Lock()
        self._last_message: float | None = None
        self._greeted: str | None = None
        client.on_message_listeners.append(self._on_message)

    def _on_message(self, message: str) -> None:
        try:
            kind = json.loads(message).get("type")
        except (ValueError, AttributeError):
            kind = None
        with self._lock:
            self._last_message = self.clock()
            if kind == "hello":
                self._greeted = self.client.session_id()

    def __call__(self) -> Vitals:
        session = self.client.current_session
        pong = session.last_ping_pong_time if session is not None else None
        with self._lock:
            signs = [t for t in (pong, self._last_message) if t is not None]
            session_id = self.client.session_id()
            return Vitals(
                connected=self.client.is_connected(),
                session=session_id,
                greeted=session_id is not None and self._greeted == session_id,
                last_sign_of_life=max(signs) if signs else None,
            )

    def reconnect(self) -> bool:
        self.client.connect_to_new_endpoint(force=True)
        return self.client.is_connected()


class SocketBot:
    """A running Socket Mode connection with its watchdog; :meth:`stop` ends both."""

    def __init__(self, handler: SocketModeHandler, watchdog: Watchdog) -> None:
        self.handler = handler
        self.watchdog = watchdog
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=watchdog.run, args=(self._stop,), name="lhl-socket-watchdog", daemon=True
        )

    def start(self) -> SocketBot:
        try:
            self.handler.connect()
        except SlackApiError as exc:
            self.handler.close()
            raise SettingsError(
                "Slack avviste SLACK_APP_TOKEN (apps.connections.open: "
                f"{exc.response.get('error', 'ukjent feil')}); sjekk at det er et app-nivå-token "
                "med connections:write og at Socket Mode er slått på for appen."
            ) from None
        except OSError as exc:
            self.handler.close()
            raise SettingsError(
                f"Fikk ikke kontakt med Slack for å åpne Socket Mode ({type(exc).__name__}); "
                "sjekk nettverket."
            ) from None
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)
        client = self.handler.client
        client.default_auto_reconnect_enabled = client.auto_reconnect_enabled = False
        session = client.current_session
        if session is not None and session.sock is not None:
            # The receive thread holds the socket lock until its 3-second receive timeout;
            # shutting the socket down wakes it, so close() need not wait that long.
            with contextlib.suppress(OSError):
                session.sock.shutdown(socket.SHUT_RDWR)
        self.handler.close()


def start_socket(runtime: Runtime, *, app: App | None = None,
                 ping_interval: float = PING_INTERVAL) -> SocketBot:
    """Connect ``runtime`` to Slack over Socket Mode and start the watchdog (non-blocking)."""
    token = runtime.settings.slack_app_token
    app_token = token.get_secret_value() if token else ""
    if not app_token:
        raise SettingsError(NEEDS_APP_TOKEN)
    bolt = app if app is not None else build_app(runtime)
    handler = SocketModeHandler(bolt, app_token=app_token, ping_interval=ping_interval,
                                logger=logging.getLogger("lhl.socket.client"))
    vitals = ClientVitals(handler.client)
    watchdog = Watchdog(vitals, vitals.reconnect, WatchdogTimings.for_ping_interval(ping_interval))
    return SocketBot(handler, watchdog).start()


def run_socket(runtime: Runtime) -> None:
    """Run Socket Mode and deliver reminders until SIGINT or SIGTERM, then disconnect
    cleanly."""
    with stop_signals() as stop:
        bot = start_socket(runtime)
        log.info("lhl socket mode connected (session %s)", bot.handler.client.session_id())
        try:
            runtime.start_reminders(SlackSender(bot.handler.app.client))
            stop.wait()
        finally:
            log.info("lhl socket mode stopping")
            runtime.stop_reminders()
            bot.stop()

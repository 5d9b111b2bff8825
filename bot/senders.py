"""Where delivered reminders go: Slack's Web API (with slack_sdk's retry handlers), or the
console. Both implement ``schedules.senders.Sender``."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any, TextIO
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import (
    BackoffRetryIntervalCalculator,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from schedules.senders import SendError
from voice.reply import Block

log = logging.getLogger("lhl.reminders")

RATE_LIMIT_RETRIES = 3
"""How many times a 429 is waited out (for as long as Retry-After says) before giving up."""
ERROR_RETRIES = 2
"""How many times a failed connection or a 503 is retried, with back-off 0.5 s, 1 s."""


class UnavailableRetryHandler(ServerErrorRetryHandler):
    """slack_sdk's server-error handler narrowed to 503, which Slack answers before doing
    anything."""

    def _can_retry(self, *, state: RetryState, request: HttpRequest,
                   response: HttpResponse | None = None, error: Exception | None = None
                   ) -> bool:
        return response is not None and response.status_code == 503


def retry_handlers() -> list[RetryHandler]:
    """slack_sdk's own handlers, limited to failures after which Slack cannot have posted.

    A 429 is waited out for as long as Retry-After says; a connection that could not be made
    (``URLError``) or a 503 is retried with back-off. A 500, or a connection lost after the
    request went out, is not retried: the message may already be in the channel, and a reminder
    posted twice is worse than one reported as failed.
    """
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return [
        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ConnectionErrorRetryHandler(max_retry_count=ERROR_RETRIES, interval_calculator=backoff,
                                    error_types=[URLError]),
        UnavailableRetryHandler(max_retry_count=ERROR_RETRIES, interval_calculator=backoff),
    ]


def retrying_client(client: WebClient) -> WebClient:
    """A ``WebClient`` with ``client``'s token and base URL and the retry handlers above, for
    work that may wait out a 429 without holding up Bolt's client, which answers commands."""
    return WebClient(token=client.token, base_url=client.base_url, timeout=client.timeout,
                     logger=logging.getLogger("lhl.web"), retry_handlers=retry_handlers())


class SlackSender:
    """Sends through the Web API, with its own :func:`retrying_client`."""

    def __init__(self, client: WebClient) -> None:
        self.client = retrying_client(client)

    def post(self, channel: str, text: str, blocks: list[Block]) -> str | None:
        resp = self._call(lambda: self.client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False))
        ts = resp.get("ts")
        return ts if isinstance(ts, str) else None

    def dm(self, user_id: str, text: str) -> None:
        # chat.postMessage to a user ID lands in the app's Messages tab (no im:write needed).
        self._call(lambda: self.client.chat_postMessage(channel=user_id, text=text))


    @staticmethod
    def _call(call: Callable[[], Any]) -> Any:
        try:
            return call()
        except SlackApiError as exc:
            raise SendError(str(exc.response.get("error") or "unknown_error")) from None
        except OSError as exc:
            log.warning("slack unreachable: %s", type(exc).__name__)
            raise SendError("connection") from None


class ConsoleSender:
    """Prints reminders as ``[påminnelse] …`` lines (console mode)."""

    def __init__(self, stream: TextIO, *, render: Callable[[str], str] = str) -> None:
        self.stream = stream
        self.render = render
        self._lock = threading.Lock()
        self._ts = itertools.count(1)

    def post(self, channel: str, text: str, blocks: list[Block]) -> str | None:
        self._print("[påminnelse]", text)
        return f"console.{next(self._ts):06d}"

    def dm(self, user_id: str, text: str) -> None:
        self._print(f"[påminnelse til {user_id}]", text)


    def _print(self, label: str, text: str) -> None:
        with self._lock:
            self.stream.write(f"\n{label} {self.render(text)}\n")
            self.stream.flush()

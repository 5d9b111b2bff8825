"""Where ``/lhl import`` reads a user's file (``commands.base.FileSource``): Slack's files, or a
path in the console.

In Slack the file is one the user shared in the channel the command is typed in (or in a direct
message with the bot), or one they shared themselves: ``/lhl import`` alone takes the newest
``.xlsx`` or ``.csv`` of theirs there from the last :data:`RECENT_S` seconds (``files.list``),
``/lhl import <link or id>`` that file. Either is read with ``files.info`` and downloaded from
``url_private_download`` with the bot token in the ``Authorization`` header; the token goes to
Slack's own hosts (or the API host the bot is set up with) and nowhere else, and neither the token
nor the file's URL is logged.
"""

from __future__ import annotations

import logging
import re
import time
import urllib.request
from pathlib import Path
from typing import IO, Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.forms import quick_client
from commands.base import FILE_LIMIT, FILE_SUFFIXES, FileIn, UsageError, check_file
from voice.words import echo

log = logging.getLogger("lhl.files")

RECENT_S = 24 * 3600
"""How far back ``/lhl import`` alone looks for the user's newest file."""
LISTED = 50
QUICK_S = 2
"""Each call's timeout when the answer rides on the acknowledgement (Slack waits 3 s)."""
SLOW_S = 15
"""Each call's timeout after the acknowledgement (a button press)."""
_FILE_ID = re.compile(r"\bF[A-Z0-9]{6,}\b")
_KINDS = frozenset(s.removeprefix(".") for s in FILE_SUFFIXES)
NONE_SHARED = ("Jeg finner ingen .xlsx- eller .csv-fil som du har delt her det siste døgnet. "
               "Del fila i denne kanalen (eller i en melding til meg) og skriv `/lhl import` "
               "igjen, eller lim inn lenken til fila: `/lhl import <lenke>`.")
NOT_FETCHED = ("Jeg fikk ikke hentet fila fra Slack (Slack svarte ikke som ventet); prøv igjen "
               "om litt.")


class SlackFiles:
    """The files a Slack user shared, read with the bot's token."""

    def __init__(self, client: WebClient, user_id: str, channel_id: str | None, *,
                 timeout: int = QUICK_S) -> None:
        self._client = client
        self._user = user_id
        self._channel = channel_id
        self._timeout = timeout

    def find(self, ref: str | None) -> FileIn:
        client = quick_client(self._client, self._timeout)
        file_id = self._newest(client) if ref is None else _file_id(ref)
        info = self._info(client, file_id)
        name = str(info.get("name") or info.get("title") or file_id)
        check_file(name, int(info.get("size") or 0))
        content = self._download(info)
        check_file(name, len(content))
        log.info("file %s read for user=%s (%d bytes)", file_id, self._user, len(content))
        return FileIn(name, content, file_id)

    def _newest(self, client: WebClient) -> str:
        if not self._channel:
            raise UsageError(NONE_SHARED)
        try:
            listed = client.files_list(user=self._user, channel=self._channel, count=LISTED,
                                       ts_from=str(int(time.time()) - RECENT_S))
        except (SlackApiError, OSError) as exc:
            log.warning("files.list failed (%s)", _why(exc))
            raise UsageError(NOT_FETCHED) from None
        for f in listed.get("files") or []:
            if str(f.get("filetype", "")).lower() in _KINDS or str(f.get("name", "")).lower(
                    ).endswith(FILE_SUFFIXES):
                return str(f["id"])
        raise UsageError(NONE_SHARED)

    def _info(self, client: WebClient, file_id: str) -> dict[str, Any]:
        try:
            found = client.files_info(file=file_id).get("file") or {}
        except SlackApiError as exc:
            if exc.response.get("error") in ("file_not_found", "file_deleted"):
                raise UsageError(f"Jeg finner ingen fil {file_id} i Slack; del fila her og "
                                 "skriv `/lhl import`.") from None
            log.warning("files.info failed (%s)", _why(exc))
            raise UsageError(NOT_FETCHED) from None
        except OSError as exc:
            log.warning("files.info failed (%s)", _why(exc))
            raise UsageError(NOT_FETCHED) from None
        shared_here = self._channel is not None and any(
            self._channel in (found.get(where) or []) for where in ("channels", "groups", "ims"))
        if found.get("user") != self._user and not shared_here:
            raise UsageError(f"«{echo(str(found.get('name') or file_id))}» er ikke delt i denne "
                             "kanalen, og du har ikke delt den selv; del fila her og skriv "
                             "`/lhl import` igjen.")
        return dict(found)

    def _download(self, info: dict[str, Any]) -> bytes:
        url = str(info.get("url_private_download") or info.get("url_private") or "")
        if not _ours(url, self._client.base_url):
            log.warning("file %s has no download address on Slack's hosts", info.get("id"))
            raise UsageError(NOT_FETCHED)
        request = urllib.request.Request(url, headers={
            "Authorization": f"Bearer {self._client.token}"})
        opener = urllib.request.build_opener(_SameHostRedirects)
        try:
            with opener.open(request, timeout=self._timeout) as answer:
                kind = answer.headers.get("Content-Type", "")
                content = _read_at_most(answer, FILE_LIMIT + 1)
        except (HTTPError, URLError, OSError) as exc:
            log.warning("file %s could not be downloaded (%s)", info.get("id"), _why(exc))
            raise UsageError(NOT_FETCHED) from None
        if kind.startswith("text/html"):
            # Slack's login page instead of the file: the token may not read files.
            log.warning("file %s: Slack answered with a web page, not the file (files:read?)",
                        info.get("id"))
            raise UsageError(NOT_FETCHED)
        return content


def _file_id(ref: str) -> str:
    """The file id in what was written: ``F07ABCDE12``, or a link to the file."""
    found = _FILE_ID.search(ref)
    if found is None:
        raise UsageError(f"«{echo(ref)}» er ingen fil jeg kan finne i Slack; del fila i "
                         "kanalen og skriv `/lhl import`, eller lim inn lenken til den.")
    return found[0]


def _ours(url: str, api_url: str) -> bool:
    """Whether the bot token may be sent to ``url``: Slack's own hosts over https, or the
    host of the Web API the bot talks to (a proxy, the tests' fake)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and (host == "slack.com" or host.endswith(".slack.com")):
        return True
    api = urlsplit(api_url)
    return bool(host) and (parts.scheme, host, parts.port) == (api.scheme, api.hostname,
                                                             api.port)


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect with the token only to the same host; elsewhere without it."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int,
                         msg: str, headers: Any, newurl: str) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and urlsplit(newurl).hostname != urlsplit(req.full_url).hostname:
            new.remove_header("Authorization")
        return new


def _read_at_most(answer: IO[bytes], limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = answer.read(min(64 * 1024, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _why(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error", "error"))
    if isinstance(exc, HTTPError):
        return f"HTTP {exc.code}"
    return type(exc).__name__


class LocalFiles:
    """The console's files: a path on this machine (``~`` is the home folder; a relative path
    is from the folder the console was started in)."""

    def __init__(self, base: Path | None = None) -> None:
        self._base = base or Path.cwd()

    def find(self, ref: str | None) -> FileIn:
        if not ref:
            raise UsageError("Skriv stien til fila, for eksempel "
                             "`/lhl import ~/Dokumenter/dialogmoter.xlsx`.")
        path = Path(ref).expanduser()
        if not path.is_absolute():
            path = self._base / path
        if not path.is_file():
            raise UsageError(f"Jeg finner ingen fil «{echo(ref)}»; skriv hele stien, for "
                             "eksempel `/lhl import ~/Dokumenter/dialogmoter.xlsx`.")
        check_file(path.name, path.stat().st_size)
        return FileIn(path.name, path.read_bytes(), str(path.resolve()))

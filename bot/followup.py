"""What follows an acknowledgement in Slack: the answer posted later (ephemeral where the
user is, else a direct message), and the files that go with a reply. The work runs in the
runtime's background threads (``bot.background``), never before the acknowledgement.

Files (``Reply.files``: a workbook, a CSV, a chart) are uploaded with slack_sdk's files upload
v2 (``files.getUploadURLExternal``, the POST of the bytes, ``files.completeUploadExternal``)
once the reply has been acknowledged, never before: the acknowledgement carries a line saying
where they will come (:func:`with_file_note`). A reply to the whole channel (``… vis alle``)
shares them in that channel; any other reply in the user's direct message with the bot
(``conversations.open``), which is where a command typed in that direct message is answered
anyway. The upload uses its own client with the retry handlers of ``bot.senders`` (a 429 is
waited out); if it still fails, the user is told in one sentence and the failure is logged by
Slack's error code, never with the token or the bytes.

Every reply is sent with ``unfurl_links`` and ``unfurl_media`` false (here, and by
``bot.slack_app`` with the acknowledgement and ``respond()``): a link in it
(``voice.reply.link``) is shown as a link, never unfolded into a preview of the page.
chat.postMessage, a slash command's acknowledgement and a response_url take these;
chat.postEphemeral is given them too.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from pathlib import PurePosixPath
from urllib.error import HTTPError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.senders import retrying_client
from voice.reply import Attachment, Reply, preceded, text_only
from voice.words import join_names

log = logging.getLogger("lhl.followup")

IN_DM = "i direktemeldingen din fra lhl"
IN_CHANNEL = "her i kanalen"
_NOUNS = {".xlsx": "arbeidsboka", ".csv": "CSV-fila", ".png": "grafen"}
_NOT_THERE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})


# --- answers ----------------------------------------------------------------------------------


def post_answer(client: WebClient, user: str, channel: str | None, thread: str | None,
                answer: Reply) -> None:
    """``answer`` to ``user``: ephemeral in ``channel`` (and ``thread``) when Slack will post it
    there, else in a direct message."""
    if channel and channel[:1] in ("C", "G", "D"):
        try:
            client.chat_postEphemeral(channel=channel, user=user, text=answer.text,
                                      blocks=answer.blocks or None, thread_ts=thread,
                                      unfurl_links=False, unfurl_media=False)
            return
        except SlackApiError as exc:
            log.info("no ephemeral answer in the channel (%s); sent as a direct message",
                     slack_error(exc))
    try:
        client.chat_postMessage(channel=user, text=answer.text, blocks=answer.blocks or None,
                                unfurl_links=False, unfurl_media=False)
    except SlackApiError as exc:
        log.warning("could not send an answer (%s)", slack_error(exc))


def open_dm(client: WebClient, user: str) -> str:
    """The id of the direct message between the bot and ``user`` (``conversations.open``)."""
    found = client.conversations_open(users=user).get("channel") or {}
    dm = found.get("id")
    if not isinstance(dm, str) or not dm:
        raise SlackClientError("conversations.open gave no channel")
    return dm


def slack_error(exc: Exception) -> str:
    """Slack's error code (``ratelimited``, ``not_in_channel``), or what kind of failure it was:
    what a log line may say."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or "error")
    if isinstance(exc, HTTPError):
        return f"http_{exc.code}"
    if isinstance(exc, SlackClientError):
        return "upload_failed"
    return type(exc).__name__


# --- files ------------------------------------------------------------------------------------


def file_noun(filename: str) -> str:
    """``arbeidsboka`` for an ``.xlsx``, ``CSV-fila``, ``grafen`` for a ``.png``, else
    ``fila``."""
    return _NOUNS.get(PurePosixPath(filename).suffix.lower(), "fila")


def files_in_words(files: Sequence[Attachment]) -> str:
    """``arbeidsboka``, ``arbeidsboka og CSV-fila``."""
    return join_names(list(dict.fromkeys(file_noun(f.filename) for f in files)))


def with_file_note(made: Reply, *, where: str | None = None) -> Reply:
    """``made`` with a line saying where its files come: «Arbeidsboka kommer som fil i
    direktemeldingen din fra lhl.» (nothing to say without files). ``where`` is where they
    come; by default, the channel for a reply to the channel, else the direct message."""
    if not made.files:
        return made
    words = files_in_words(made.files)
    what = "fil" if len(made.files) == 1 else "filer"
    where = where or (IN_CHANNEL if made.in_channel else IN_DM)
    return preceded([f"{words[:1].upper()}{words[1:]} kommer som {what} {where}."], made)


def deliver_files(client: WebClient, files: Sequence[Attachment], *, user: str,
                  channel: str | None, to_channel: bool) -> None:
    """Upload ``files`` (files upload v2) in one message: in ``channel`` when ``to_channel``,
    else in ``user``'s direct message with the bot. A failure is told to the user in one
    sentence (ephemeral in ``channel``, else a direct message) and logged."""
    if not files:
        return
    names = ", ".join(f.filename for f in files)
    sender = retrying_client(client)
    try:
        where = channel if to_channel and channel else open_dm(sender, user)
        sender.files_upload_v2(
            file_uploads=[{"filename": f.filename, "content": f.content, "title": f.title}
                          for f in files],
            channel=where)
    except (SlackClientError, OSError) as exc:
        code = slack_error(exc)
        ref = secrets.token_hex(3)
        log.warning("files not delivered (%s) ref=%s user=%s channel=%s files=%s", code, ref,
                    user, (channel or "-")[:20], names[:200])
        post_answer(client, user, channel, None,
                    text_only(failure_sentence(files, code, ref, to_channel=to_channel)))
        return
    log.info("files delivered user=%s files=%s", user, names[:200])


def failure_sentence(files: Sequence[Attachment], code: str, ref: str, *, to_channel: bool
                     ) -> str:
    """One sentence: which files did not come, why when we know, and what to do."""
    words = files_in_words(files)
    names = ", ".join(f.filename for f in files)
    if to_channel and code in _NOT_THERE:
        return (f"Jeg fikk ikke lagt {words} ({names}) i kanalen fordi jeg ikke er med der: "
                "inviter meg med `/invite @lhl`, eller kjør kommandoen uten «vis alle», så "
                f"kommer {'den' if len(files) == 1 else 'de'} i direktemeldingen din.")
    if code == "ratelimited":
        return (f"Jeg fikk ikke sendt {words} ({names}) fordi Slack ba meg vente; prøv "
                "kommandoen igjen om et minutt.")
    return (f"Jeg fikk ikke sendt {words} ({names}); prøv kommandoen igjen om litt, og gi "
            f"referansen `{ref}` til den som drifter lhl om det skjer igjen.")

"""Files that go with a reply (a workbook, a CSV, a chart): in Slack uploaded with files upload
v2 after the acknowledgement, to the channel for a reply to the channel and otherwise to the
user's direct message with the bot; in the console saved in ``LHL_FILES_DIR``.

Most tests use a test command, ``fil``, registered for the test (its bytes are known, and it
can answer with two files); it goes through the same dispatcher, listener and upload as
``/lhl rapport`` and ``/lhl status … graf``, which two tests use as they are. The
Slack tests send signed requests into the bot's HTTP application in this process, against the
fake Web API (which keeps the bytes it is sent)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from bot.console import run_console, save_file
from bot.followup import failure_sentence, with_file_note
from commands import registry
from commands.base import CommandSpec, Context
from tests.support.fake_slack import UPLOAD, FakeSlack
from tests.support.local_slack import LocalSlack, local_slack
from tests.support.runtime import ADMIN, BOT_TOKEN, grant, runtime_on
from tests.support.slack_requests import CHANNEL, dm_of
from voice.reply import Attachment, Reply, plain_reply, reply

WORKBOOK = Attachment("rapport-agder.xlsx", b"PK\x03\x04\x00\xff\xfe arbeidsbok \x80\x81",
                      "Rapport Agder per 1. mai 2027")
CSV = Attachment("rapport-agder.csv", b"kommune;tilbud\nArendal;2026-05-12\n",
                 "Rapport Agder (CSV)")
UPLOAD_FLOW = ["files.getUploadURLExternal", UPLOAD, "files.completeUploadExternal"]


def _fil(text: str, *, session: Session, ctx: Context) -> Reply:
    files = [WORKBOOK, CSV] if text == "begge" else [WORKBOOK]
    return reply("*Rapport for Agder*", "Gjennomført dialogmøte: 12 av 25 (48 %)", files=files)


FIL = CommandSpec(name="fil", summary="sender en fil (bare i testene)", usage="fil",
                  examples=("fil",), writes=False, parse=lambda text, ctx: text,
                  execute=lambda args, *, session, ctx: _fil(args, session=session, ctx=ctx))


@pytest.fixture
def with_fil(monkeypatch: pytest.MonkeyPatch) -> None:
    """``/lhl fil`` answers with a workbook (``fil begge``: a workbook and a CSV)."""
    monkeypatch.setitem(registry._BY_NAME, "fil", FIL)


@pytest.fixture
def slack(fake_slack: FakeSlack, tmp_path: Path, with_fil: None) -> Iterator[LocalSlack]:
    with local_slack(fake_slack, f"sqlite:///{tmp_path / 'lhl.db'}") as found:
        yield found


def _methods(fake: FakeSlack) -> list[str]:
    return [c.method for c in fake.calls() if c.method != "auth.test"]


# --- Slack ------------------------------------------------------------------------------------


def test_the_ack_says_where_the_file_comes_and_the_file_follows_in_the_dm(
        slack: LocalSlack) -> None:
    fake = slack.fake
    fake.delay("files.getUploadURLExternal", 0.5)
    resp = slack.command("fil")
    # The acknowledgement went before the upload was done: it does not wait for Slack.
    assert fake.calls("files.completeUploadExternal") == []
    data = resp.json
    assert data["response_type"] == "ephemeral"
    assert data["text"].startswith("Arbeidsboka kommer som fil i direktemeldingen din fra "
                                   "lhl.\n*Rapport for Agder*")
    (shared,) = fake.shared_files(1)
    assert shared.channel == dm_of(ADMIN)
    assert (shared.filename, shared.title) == (WORKBOOK.filename, WORKBOOK.title)
    assert shared.content == WORKBOOK.content
    assert fake.uploaded(shared.file_id) == WORKBOOK.content
    assert _methods(fake) == ["conversations.open", *UPLOAD_FLOW]
    (asked,) = fake.calls("files.getUploadURLExternal")
    assert asked.params["length"] == str(len(WORKBOOK.content))
    assert asked.has_auth and asked.token_prefix == "xoxb"


def test_a_reply_to_the_channel_shares_its_files_in_the_channel(slack: LocalSlack) -> None:
    data = slack.command("fil begge vis alle").json
    assert data["response_type"] == "in_channel"
    assert data["text"].startswith("Arbeidsboka og CSV-fila kommer som filer her i kanalen.")
    workbook, csv = slack.fake.shared_files(2)
    assert {workbook.channel, csv.channel} == {CHANNEL}
    assert [workbook.content, csv.content] == [WORKBOOK.content, CSV.content]
    # One message with both files: two uploads, one completion, no direct message opened.
    get, upload, complete = UPLOAD_FLOW
    assert _methods(slack.fake) == [get, get, upload, upload, complete]


def test_typed_in_the_dm_with_the_bot_the_file_comes_there(slack: LocalSlack) -> None:
    dm = dm_of("U0KARI01")
    slack.command("fil", user="U0KARI01", channel=dm, channel_name="directmessage")
    (shared,) = slack.fake.shared_files(1)
    assert shared.channel == dm


def test_a_reply_without_files_uploads_nothing(slack: LocalSlack) -> None:
    slack.command("hjelp")
    slack.settle()
    assert _methods(slack.fake) == []


def test_a_rate_limit_is_waited_out(slack: LocalSlack) -> None:
    slack.fake.rate_limit("files.getUploadURLExternal", times=1, retry_after=0)
    slack.command("fil")
    (shared,) = slack.fake.shared_files(1)
    assert shared.content == WORKBOOK.content
    assert [c.status for c in slack.fake.calls("files.getUploadURLExternal")] == [429, 200]


def test_a_file_slack_will_not_take_is_told_in_one_sentence_and_logged_without_the_token(
        slack: LocalSlack, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake = slack.fake
    fake.rate_limit("files.getUploadURLExternal", times=10, retry_after=0)
    slack.command("fil")
    (told,) = fake.wait_for("chat.postEphemeral")
    assert told.params["channel"] == CHANNEL and told.params["user"] == ADMIN
    assert told.params["text"] == ("Jeg fikk ikke sendt arbeidsboka (rapport-agder.xlsx) fordi "
                                   "Slack ba meg vente; prøv kommandoen igjen om et minutt.")
    slack.settle()
    # Waited out three times (bot.senders' retry handlers), then given up.
    assert len(fake.calls("files.getUploadURLExternal")) == 4
    assert fake.calls("files.completeUploadExternal") == []
    assert "files not delivered (ratelimited)" in caplog.text
    assert BOT_TOKEN not in caplog.text and "Traceback" not in caplog.text


def test_a_failed_upload_is_told_with_a_reference_that_is_in_the_log(
        slack: LocalSlack, caplog: pytest.LogCaptureFixture) -> None:
    slack.fake.rate_limit(UPLOAD, times=1)
    slack.command("fil")
    (told,) = slack.fake.wait_for("chat.postEphemeral")
    text = told.params["text"]
    assert text.startswith("Jeg fikk ikke sendt arbeidsboka (rapport-agder.xlsx); prøv "
                           "kommandoen igjen om litt, og gi referansen `")
    ref = text.split("`")[1]
    assert f"files not delivered (http_500) ref={ref}" in caplog.text
    assert slack.fake.calls("files.completeUploadExternal") == []


def test_a_channel_without_the_bot_is_told_how_to_get_the_file(slack: LocalSlack) -> None:
    slack.fake.answer("files.completeUploadExternal", {"ok": False, "error": "not_in_channel"})
    slack.fake.answer("chat.postEphemeral", {"ok": False, "error": "not_in_channel"})
    slack.command("fil vis alle")
    # Slack will not post in the channel either, so the sentence comes as a direct message.
    (told,) = slack.fake.wait_for("chat.postMessage")
    assert told.params["channel"] == ADMIN
    assert told.params["text"] == (
        "Jeg fikk ikke lagt arbeidsboka (rapport-agder.xlsx) i kanalen fordi jeg ikke er med "
        "der: inviter meg med `/invite @lhl`, eller kjør kommandoen uten «vis alle», så kommer "
        "den i direktemeldingen din.")


def test_the_report_typed_in_a_channel_comes_with_its_workbook_in_the_dm(
        slack: LocalSlack) -> None:
    grant(slack.runtime, "U0KARI01", "Agder")
    data = slack.command("rapport", user="U0KARI01").json
    assert data["response_type"] == "ephemeral"
    assert data["text"].startswith("Arbeidsboka kommer som fil i direktemeldingen din fra lhl.\n"
                                   "*Rapport for Statsforvalteren i Agder per 1. mai 2027*")
    (shared,) = slack.fake.shared_files(1)
    assert shared.channel == dm_of("U0KARI01")
    assert shared.filename == "lhl-rapport-agder-2027-05-01.xlsx"
    assert load_workbook(io.BytesIO(shared.content)).sheetnames


def test_a_chart_for_the_whole_channel_is_shared_in_the_channel(slack: LocalSlack) -> None:
    data = slack.command("status landet graf vis alle").json
    assert data["response_type"] == "in_channel"
    assert data["text"].startswith("Grafen kommer som fil her i kanalen.")
    (shared,) = slack.fake.shared_files(1)
    assert shared.channel == CHANNEL and shared.filename.endswith(".png")
    assert shared.content.startswith(b"\x89PNG")


def test_the_note_names_each_kind_of_file() -> None:
    chart = Attachment("status-agder.png", b"\x89PNG", "Status Agder")
    made = with_file_note(reply("Tallene.", files=[chart]))
    assert made.text.startswith("Grafen kommer som fil i direktemeldingen din fra lhl.\n")
    assert made.blocks[0]["text"]["text"].startswith("Grafen kommer")
    other = Attachment("data.json", b"{}", "Data")
    assert with_file_note(plain_reply("Ok.")) == plain_reply("Ok.")
    assert failure_sentence([other], "x", "abc123", to_channel=False).startswith(
        "Jeg fikk ikke sendt fila (data.json);")


# --- the console ------------------------------------------------------------------------------


def _console(lines: list[str], url: str, files_dir: Path) -> str:
    out = io.StringIO()
    with runtime_on(url, lhl_files_dir=files_dir) as rt:
        run_console(rt, io.StringIO("".join(f"{line}\n" for line in lines)), out,
                    reminders=False)
    return out.getvalue()


def test_the_console_saves_the_files_and_says_where_never_over_another(
        tmp_path: Path, with_fil: None) -> None:
    folder = tmp_path / "ut" / "lhl-filer"
    out = _console(["/lhl fil", "/lhl fil begge"], f"sqlite:///{tmp_path / 'lhl.db'}", folder)
    first, second, csv = (folder / "rapport-agder.xlsx", folder / "rapport-agder-2.xlsx",
                          folder / "rapport-agder.csv")
    assert f"Gjennomført dialogmøte: 12 av 25 (48 %)\nArbeidsboka er lagret i {first}.\n" in out
    assert (f"Arbeidsboka er lagret i {second}.\nCSV-fila er lagret i {csv}.\n") in out
    assert first.read_bytes() == second.read_bytes() == WORKBOOK.content
    assert csv.read_bytes() == CSV.content
    assert "kommer som fil" not in out, "the console has no direct message"


def test_a_file_is_saved_by_its_name_only_and_a_taken_name_gets_a_number(
        tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes(b"mine")
    for name in ("../x.csv", "x.csv", "/etc/x.csv", "..\\x.csv"):
        save_file(Attachment(name, b"ny", "X"), tmp_path)
    assert (tmp_path / "x.csv").read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x-2.csv", "x-3.csv", "x-4.csv",
                                                          "x-5.csv", "x.csv"]
    assert save_file(Attachment("..", b"?", "?"), tmp_path).name == "fil"


def test_a_folder_that_cannot_be_written_is_one_sentence(tmp_path: Path, with_fil: None
                                                         ) -> None:
    blocked = tmp_path / "fil-ikke-mappe"
    blocked.write_text("")
    out = _console(["fil"], f"sqlite:///{tmp_path / 'lhl.db'}", blocked)
    assert f"Jeg fikk ikke lagret arbeidsboka rapport-agder.xlsx i {blocked} (" in out
    assert "Traceback" not in out

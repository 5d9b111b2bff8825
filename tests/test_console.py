"""``lhl`` as a person starts it: the console through stdin, and start-up checks."""

from __future__ import annotations

import importlib.util
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import console_users
from tests.support.processes import REPO, clean_env

LHL = [sys.executable, "-m", "bot.cli"]


def run_lhl(args: list[str], tmp_path: Path, stdin: str = "",
            **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LHL, *args], input=stdin, capture_output=True, text=True,
                          cwd=tmp_path, timeout=60,
                          env=clean_env(**{"LHL_DATA_DIR": str(tmp_path / "data"), **env}))


def test_piped_console_logs_and_counts_then_exits(tmp_path: Path) -> None:
    result = run_lhl([], tmp_path,
                     "/lhl logg-møte Kristiansand i går\n/lhl status Agder\n")
    assert result.returncode == 0, result.stderr
    assert "Lagret: dialogmøte holdt med Kristiansand" in result.stdout
    assert "Gjennomført dialogmøte: 1 av 25 (4 %)" in result.stdout
    assert (tmp_path / "data" / "lhl.db").exists()
    again = run_lhl(["console"], tmp_path, "/lhl status Agder\n")
    assert "Gjennomført dialogmøte: 1 av 25 (4 %)" in again.stdout, "the store must persist"


def test_console_bad_input_gets_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    result = run_lhl(["console"], tmp_path, "/lhl logg-møte Atlantis i går\n/lhl status\n")
    assert result.returncode == 0
    assert "Jeg finner ingen kommune som heter «Atlantis»" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "env", "needle"),
    [
        (["http"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        (["socket"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
        (["socket"], {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "xapp-"),
        ([], {"SLACK_BOT_TOKEN": "xoxb-1"}, "ufullstendige"),
        ([], {"LHL_TIMEZONE": "Europe/Atlantis"}, "LHL_TIMEZONE"),
        ([], {"LHL_ADMINS": "kari"}, "LHL_ADMINS"),
        ([], {"LHL_DATABASE_URL": "mysql://x/y"}, "SQLite og PostgreSQL"),
        ([], {"LHL_HTTP_THREADS": "mange"}, "LHL_HTTP_THREADS må være et tall"),
        ([], {"LHL_REMINDER_GRACE_HOURS": "-3"}, "LHL_REMINDER_GRACE_HOURS må være minst 0"),
    ],
)
def test_bad_settings_stop_start_up_with_one_sentence(
    tmp_path: Path, args: list[str], env: dict[str, str], needle: str
) -> None:
    result = run_lhl(args, tmp_path, **env)
    assert result.returncode == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "xoxb-1" not in result.stderr


# --- the console as any user ------------------------------------------------------------------


def replies(stdout: str) -> list[str]:
    """What the console answered, one entry per reply (they are separated by a blank line)."""
    return [r for r in stdout.strip().split("\n\n") if r]


def test_the_console_acts_as_a_named_user_given_access_with_at_name(tmp_path: Path) -> None:
    setup = run_lhl(["console"], tmp_path,
                    "/lhl tilgang gi @kari Agder\n/lhl tilgang gi @ola Agder leser\n")
    assert replies(setup.stdout) == [
        "@kari er nå koordinator for Statsforvalteren i Agder og kan føre for kommunene der.",
        "@ola er nå leser for Statsforvalteren i Agder og kan lese status for embetet."]
    kari = run_lhl(["console", "--som", "Kari"], tmp_path,
                   "/lhl logg-møte Lillesand i går\n/lhl logg-møte Bergen i går\n"
                   "/lhl tilgang gi @per Agder\n/lhl angre\n")
    assert kari.returncode == 0, kari.stderr
    said = replies(kari.stdout)
    assert said[0] == ("Du skriver nå som @kari (Slack-ID ULHLNNQXE2I); `:som` går tilbake.\n"
                       "Du er koordinator for Statsforvalteren i Agder.")
    assert said[1].startswith("Lagret: dialogmøte holdt med Lillesand ")
    assert said[2].startswith("Du fører for Statsforvalteren i Agder, og Bergen hører ikke "
                              "til der, så ingenting ble lagret.")
    assert said[3] == "Bare administratorer kan endre tilganger."
    assert said[4].startswith("Angret: dialogmøte holdt med Lillesand ")
    ola = run_lhl(["console", "--som", "ola"], tmp_path,
                  "/lhl logg-møte Lillesand i går\n:som per\n/lhl logg-møte Lillesand i går\n"
                  ":som\n/lhl tilgang\n/lhl status Agder\n")
    said = replies(ola.stdout)
    assert said[1] == ("Du har lesetilgang for Statsforvalteren i Agder, men ikke skrivetilgang, "
                       "så ingenting ble lagret. Be en administrator om koordinator-tilgang.")
    assert said[2] == (
        "Du skriver nå som @per (Slack-ID ULHLOBSXE); `:som` går tilbake.\n"
        "Du har ikke tilgang til å føre ennå, men kan lese status. Be en administrator om å "
        "kjøre `/lhl tilgang gi @deg <embete>`.")
    assert said[3].startswith("Du har ikke skrivetilgang")
    assert said[4] == "Du skriver som den lokale administratoren igjen."
    assert said[5:8] == ["Tilganger (2)", "• @ola: leser for Agder",
                         "• @kari: koordinator for Agder"]
    assert "Gjennomført dialogmøte: 0 av 25 (0 %)" in said[-1], "nothing refused was stored"


def test_lhl_admins_may_name_a_console_user(tmp_path: Path) -> None:
    result = run_lhl(["console", "--som", "kari"], tmp_path, "/lhl tilgang gi @ola Agder\n",
                     LHL_ADMINS="U0ADMIN,@kari")
    assert replies(result.stdout) == [
        "Du skriver nå som @kari (Slack-ID ULHLNNQXE2I); `:som` går tilbake.\n"
        "@kari er administrator (LHL_ADMINS).",
        "@ola er nå koordinator for Statsforvalteren i Agder og kan føre for kommunene der."]


def test_a_name_that_cannot_be_a_user_is_one_sentence(tmp_path: Path) -> None:
    result = run_lhl(["console", "--som", "Kari Nordmann"], tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "lhl: «Kari Nordmann» kan ikke være et navn i konsollen: bruk bokstaver, gjerne med "
        "tall, punktum eller bindestrek, for eksempel kari eller ola.nordmann.\n")
    inside = run_lhl(["console"], tmp_path, ":som 12\n:hva\n")
    assert replies(inside.stdout) == [
        "«12» kan ikke være et navn i konsollen: bruk bokstaver, gjerne med tall, punktum "
        "eller bindestrek, for eksempel kari eller ola.nordmann.",
        "Konsollen forstår `:som <navn>` (skriv som en annen bruker) og `:som` (tilbake til "
        "den lokale administratoren)."]


@pytest.mark.parametrize("name", ["kari", "ola.nordmann", "åse-marie", "kristin.haugland"])
def test_a_console_name_is_a_stable_slack_id_that_gives_the_name_back(name: str) -> None:
    uid = console_users.user_id(name)
    assert uid == console_users.user_id(name.upper()) == console_users.user_id(f"@{name}")
    assert re.fullmatch(r"U[A-Z0-9]{2,31}", uid)
    assert console_users.name_of(uid) == name
    assert console_users.name_of("U0ADMIN") is None


def test_at_names_become_mentions_but_slack_ids_and_channel_words_do_not() -> None:
    kari = console_users.user_id("kari")
    assert console_users.with_mentions(
        "tilgang gi @kari Agder; @U0ADMIN, @channel, kari@kommune.no og @kari.") == (
        f"tilgang gi <@{kari}> Agder; @U0ADMIN, @channel, kari@kommune.no og <@{kari}>.")


@pytest.mark.skipif(not hasattr(os, "openpty") or importlib.util.find_spec("readline") is None,
                    reason="needs a terminal and readline")
def test_the_arrow_keys_edit_the_line_and_fetch_the_last_one(tmp_path: Path) -> None:
    """In a terminal: ← moves back inside the line (it used to insert ``^[[D``), ↑ fetches
    the line before."""
    master, slave = os.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LHL_"))}
    env.update(LHL_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO), TERM="xterm")
    proc = subprocess.Popen([*LHL, "console"], stdin=slave, stdout=slave, stderr=slave,
                            cwd=tmp_path, env=env)
    os.close(slave)
    seen = bytearray()

    def wait_for(needle: bytes, count: int = 1) -> None:
        deadline = time.monotonic() + 30
        while seen.count(needle) < count and time.monotonic() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    seen.extend(os.read(master, 4096))
                except OSError:
                    break
        assert seen.count(needle) >= count, seen.decode(errors="replace")

    try:
        wait_for(b"lhl> ")
        os.write(master, b"status Agdr\x1b[De\r")
        wait_for(b"Statsforvalteren i Agder \xe2\x80\x93 dialogm")
        wait_for(b"lhl> ", 2)
        os.write(master, b"\x1b[A\r")
        wait_for(b"Statsforvalteren i Agder \xe2\x80\x93 dialogm", 2)
        wait_for(b"lhl> ", 3)
        os.write(master, b"\x04")
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    assert b"Jeg kjenner ikke" not in seen
    assert (tmp_path / "data" / ".lhl_console_history").read_text().splitlines()[-1] == (
        "status Agder")

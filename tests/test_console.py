"""``lhl`` as a person starts it: the console through stdin, and start-up checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.processes import clean_env

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
    assert "Holdt dialogmøte: 1 av 25 (4 %)" in result.stdout
    assert (tmp_path / "data" / "lhl.db").exists()
    again = run_lhl(["console"], tmp_path, "/lhl status Agder\n")
    assert "Holdt dialogmøte: 1 av 25 (4 %)" in again.stdout, "the store must persist"


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

"""``lhl`` as a child process: the environment it starts in."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import SecretStr

from bot.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any Slack or lhl setting of whoever runs the tests,
    with the repository on ``PYTHONPATH`` and ``extra`` on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LHL_"))}
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes ``lhl`` read ``settings`` (nothing of the caller's Slack or
    lhl settings leaks in)."""
    return clean_env(**{
        name.upper(): value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        for name, value in settings.model_dump().items() if value is not None})

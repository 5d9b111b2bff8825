"""Log set-up shared by the entry point and the HTTP worker processes."""

from __future__ import annotations

import logging

from bot.settings import Mode, Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(settings: Settings, mode: Mode) -> None:
    """One format on stderr. The console keeps quiet below warnings: its output is the reply."""
    logging.basicConfig(
        level=logging.WARNING if mode == "console" else settings.lhl_log_level.upper(),
        format=FORMAT,
        force=True,
    )
    # APScheduler logs every job run at INFO; lhl.reminders says what matters.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)

"""Settings from the environment and a ``.env`` file. Only the entry point reads them."""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from bot import console_users

Mode = Literal["console", "socket", "http"]


NEEDS_APP_TOKEN = "Socket Mode trenger SLACK_APP_TOKEN (xapp-…)."
NEEDS_SIGNING_SECRET = ("HTTP-modus trenger SLACK_SIGNING_SECRET for å kunne sjekke at "
                        "forespørsler kommer fra Slack.")


class SettingsError(Exception):
    """A missing or contradictory setting: one sentence for whoever starts the bot."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    lhl_data_dir: Path = Path("data")
    lhl_files_dir: Path = Path("lhl-filer")
    """Where the console saves the files a reply carries (a workbook, a CSV, a chart)."""
    lhl_database_url: str | None = None
    lhl_admins: str = ""
    lhl_slack_api_url: str | None = None
    lhl_timezone: str = "Europe/Oslo"
    lhl_log_level: str = "INFO"
    lhl_http_threads: int = Field(default=2, ge=1, le=64)
    """Threads per HTTP worker that run commands. Commands are short CPU work under one GIL;
    more threads only help while commands wait on Slack or a remote database."""
    lhl_http_workers: int = Field(default=1, ge=1, le=32)
    """HTTP worker processes. More spread commands over more cores, but on SQLite they queue
    for the file's write lock, and on a 2-core machine that also runs PostgreSQL two were
    slower than one (README, Ytelse)."""
    lhl_reminder_grace_hours: float = Field(default=6, ge=0, le=24 * 31)
    """How late a missed reminder may still be sent when the bot comes back; older ones are
    recorded as skipped."""
    lhl_reminder_sync_seconds: float = Field(default=5, gt=0, le=3600)
    """How often the scheduler looks for reminders changed by another bot process."""

    @property
    def database_url(self) -> str:
        if self.lhl_database_url:
            return self.lhl_database_url
        return f"sqlite:///{(self.lhl_data_dir / 'lhl.db').resolve()}"

    @cached_property
    def admins(self) -> frozenset[str]:
        """Slack user ids; ``@kari`` stands for the console's user kari (``lhl console --som
        kari``, see ``bot.console_users``)."""
        return frozenset(_admin_id(a) for a in self._admin_entries() if _admin_id(a))

    def _admin_entries(self) -> list[str]:
        return [a.strip() for a in self.lhl_admins.split(",") if a.strip()]

    @property
    def reminder_grace(self) -> timedelta:
        return timedelta(hours=self.lhl_reminder_grace_hours)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.lhl_timezone)

    @property
    def slack_api_url(self) -> str | None:
        if not self.lhl_slack_api_url:
            return None
        url = self.lhl_slack_api_url
        return url if url.endswith("/") else url + "/"

    def default_mode(self) -> Mode:
        """Plain ``lhl``: Socket Mode with both Socket Mode tokens, HTTP with a bot token and a
        signing secret, otherwise the console."""
        if self.slack_app_token and self.slack_bot_token:
            return "socket"
        if self.slack_bot_token and self.slack_signing_secret:
            return "http"
        if self.slack_bot_token or self.slack_app_token or self.slack_signing_secret:
            raise SettingsError(
                "Slack-innstillingene er ufullstendige: sett SLACK_BOT_TOKEN sammen med "
                "SLACK_APP_TOKEN (Socket Mode) eller SLACK_SIGNING_SECRET (HTTP), eller fjern "
                "dem for å kjøre konsollen."
            )
        return "console"

    def check(self, mode: Mode) -> None:
        """Raise SettingsError with one clear sentence if ``mode`` cannot start."""
        try:
            self.tz  # noqa: B018
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(
                f"LHL_TIMEZONE={self.lhl_timezone!r} er ikke en kjent tidssone; "
                "bruk for eksempel Europe/Oslo."
            ) from None
        try:
            backend = make_url(self.database_url).get_backend_name()
        except ArgumentError:
            raise SettingsError(
                "LHL_DATABASE_URL er ikke en gyldig database-URL; bruk for eksempel "
                "sqlite:///data/lhl.db eller postgresql+psycopg://bruker@vert/lhl."
            ) from None
        if backend not in ("sqlite", "postgresql"):
            raise SettingsError(
                f"LHL_DATABASE_URL peker på {backend}, men lhl støtter bare SQLite og PostgreSQL."
            )
        bad = sorted(a for a in self._admin_entries() if not _admin_id(a))
        if bad:
            raise SettingsError(
                f"LHL_ADMINS skal være Slack-bruker-ID-er skilt med komma (som U012ABCDEF), "
                f"eller @navn for en bruker i konsollen, men inneholder {', '.join(bad)}."
            )
        if mode == "console":
            return
        bot = self.slack_bot_token.get_secret_value() if self.slack_bot_token else ""
        if not bot:
            raise SettingsError(f"{mode}-modus trenger SLACK_BOT_TOKEN (xoxb-…).")
        if not bot.startswith("xoxb-"):
            raise SettingsError("SLACK_BOT_TOKEN skal være et bot-token som begynner med xoxb-.")
        if mode == "socket":
            app = self.slack_app_token.get_secret_value() if self.slack_app_token else ""
            if not app:
                raise SettingsError(NEEDS_APP_TOKEN)
            if not app.startswith("xapp-"):
                raise SettingsError(
                    "SLACK_APP_TOKEN skal være et app-nivå-token som begynner med xapp-."
                )
        if mode == "http" and not (
            self.slack_signing_secret and self.slack_signing_secret.get_secret_value()
        ):
            raise SettingsError(NEEDS_SIGNING_SECRET)


def _admin_id(entry: str) -> str:
    """The Slack id an ``LHL_ADMINS`` entry names, or ``""`` when it names none."""
    if entry.startswith("@"):
        try:
            return console_users.user_id(entry)
        except console_users.BadName:
            return ""
    return entry if console_users.is_slack_id(entry) else ""


def load_settings() -> Settings:
    """Read the environment (and ``.env``); a malformed value becomes a SettingsError."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first.get("loc") else "En innstilling"
        raise SettingsError(f"{name} {_what_is_wrong(first)}.") from None


def _what_is_wrong(error: Any) -> str:
    """Pydantic's complaint in bokmål, for the few kinds a setting can have."""
    kind, limits = error.get("type", ""), error.get("ctx") or {}
    if kind in ("int_parsing", "float_parsing", "int_from_float"):
        return "må være et tall"
    if kind in ("greater_than_equal", "greater_than"):
        bound = limits.get("ge", limits.get("gt"))
        return f"må være {'minst' if kind == 'greater_than_equal' else 'større enn'} {bound}"
    if kind in ("less_than_equal", "less_than"):
        bound = limits.get("le", limits.get("lt"))
        return f"må være {'høyst' if kind == 'less_than_equal' else 'mindre enn'} {bound}"
    return "har en ugyldig verdi"

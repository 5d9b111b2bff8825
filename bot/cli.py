"""The ``lhl`` console script: ``lhl [console [--som NAVN]|socket|http]``."""

from __future__ import annotations

import argparse
import logging
import sys

from bot import console_users
from bot.logs import setup_logging
from bot.settings import Mode, SettingsError, load_settings


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lhl", description="Slack-bot for koordinatornettverket i Leve hele livet.")
    sub = p.add_subparsers(dest="mode")
    console = sub.add_parser("console", help="skriv /lhl-kommandoer i terminalen (lokal SQLite)")
    console.add_argument("--som", metavar="NAVN",
                         help="skriv som brukeren NAVN (prøv roller og tilgang uten Slack)")
    sub.add_parser("socket", help="Slack via Socket Mode (SLACK_BOT_TOKEN + SLACK_APP_TOKEN)")
    http = sub.add_parser("http", help="Slack via HTTP (SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET)")
    http.add_argument("--host", default="0.0.0.0")
    http.add_argument("--port", type=int, default=3000)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    som: str | None = getattr(args, "som", None)
    try:
        if som is not None:
            console_users.user_id(som)
    except console_users.BadName as exc:
        print(f"lhl: {exc}", file=sys.stderr)
        return 2
    try:
        settings = load_settings()
        mode: Mode = args.mode or settings.default_mode()
        settings.check(mode)
    except SettingsError as exc:
        print(f"lhl: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings, mode)
    from bot.runtime import start_runtime

    try:
        runtime = start_runtime(settings)
    except Exception as exc:
        logging.getLogger("lhl").debug("start failed", exc_info=True)
        print(f"lhl: Klarte ikke å åpne databasen ({type(exc).__name__}); sjekk "
              "LHL_DATABASE_URL og at databasen svarer.", file=sys.stderr)
        return 1
    try:
        if mode == "console":
            from bot.console import console_user, run_console

            return run_console(runtime, user=console_user(som))
        if mode == "socket":
            from bot.socket_mode import run_socket

            run_socket(runtime)
            return 0
        from bot.http_server import serve_http

        serve_http(runtime, args.host, args.port)
        return 0
    except SettingsError as exc:
        print(f"lhl: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    finally:
        runtime.db.dispose()


if __name__ == "__main__":
    sys.exit(main())

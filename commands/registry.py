"""Every sub-command, in the order help lists them."""

from __future__ import annotations

from commands import (
    angre,
    hjelp,
    logg_mote,
    paminnelse,
    paminnelser,
    status,
    tilby_mote,
    tilgang,
)
from commands.base import CommandSpec

COMMANDS: tuple[CommandSpec, ...] = (
    logg_mote.COMMAND,
    tilby_mote.COMMAND,
    status.COMMAND,
    angre.COMMAND,
    tilgang.COMMAND,
    paminnelse.COMMAND,
    paminnelser.COMMAND,
    hjelp.COMMAND,
)

_BY_NAME: dict[str, CommandSpec] = {
    n: spec for spec in COMMANDS for n in (spec.name, *spec.aliases)
}


def lookup(name: str) -> CommandSpec | None:
    return _BY_NAME.get(name)

"""Every sub-command, in the order help lists them, and the buttons they put on messages.

A new command is a module of its own and one line here."""

from __future__ import annotations

from commands import (
    angre,
    arrangement,
    arrangementer,
    eksempel,
    eksempler,
    fase,
    hjelp,
    importer,
    logg,
    logg_mote,
    mangler,
    nettverk,
    nominasjoner,
    nominer,
    notat,
    paminnelse,
    paminnelser,
    plan,
    planlegg_mote,
    rapport,
    rediger,
    slett,
    status,
    tilby_mote,
    tilgang,
    ukesammendrag,
)
from commands.base import ButtonAction, CommandSpec
from commands.forms import Form

COMMANDS: tuple[CommandSpec, ...] = (
    logg_mote.COMMAND,
    tilby_mote.COMMAND,
    planlegg_mote.COMMAND,
    nettverk.COMMAND, nettverk.LIST_COMMAND,
    status.COMMAND,
    rapport.COMMAND,
    mangler.COMMAND,
    notat.COMMAND,
    logg.COMMAND,
    rediger.COMMAND,
    slett.COMMAND,
    angre.COMMAND,
    tilgang.COMMAND,
    paminnelse.COMMAND,
    paminnelser.COMMAND,
    arrangement.COMMAND,
    arrangementer.COMMAND,
    eksempel.COMMAND, eksempler.COMMAND,
    plan.COMMAND,
    fase.COMMAND,
    importer.COMMAND,
    ukesammendrag.COMMAND,
    nominer.COMMAND, nominasjoner.COMMAND,
)
COMMANDS += (hjelp.command_for(COMMANDS),)

_BY_NAME: dict[str, CommandSpec] = {
    n: spec for spec in COMMANDS for n in (spec.name, *spec.aliases)
}

BUTTONS: dict[str, ButtonAction] = {b.action_id: b for spec in COMMANDS for b in spec.buttons}
"""Every button a command puts on a message, by ``action_id``."""


FORMS: dict[str, tuple[CommandSpec, Form]] = {
    f.callback_id: (spec, f) for spec in COMMANDS for f in spec.forms}
"""Every form, by the ``callback_id`` of its view, with the command it writes."""
if len(FORMS) != sum(len(spec.forms) for spec in COMMANDS):
    raise RuntimeError("two forms share a name")


def lookup(name: str) -> CommandSpec | None:
    return _BY_NAME.get(name)

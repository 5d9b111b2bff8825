"""``/lhl hjelp [kommando]``: what the bot does, every command with one example."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from commands.base import CommandSpec, Context, UsageError
from voice.reply import Reply, context, divider, plain_reply, reply
from voice.words import echo, join_names

INTRO = (
    "Jeg er lhl, koordinatornettverkets hjelper i *Leve hele livet*. Jeg fører dialogmøter "
    "med kommunene og svarer på hvor dere står."
)

FOOTER = ("Mer om én kommando: `/lhl hjelp logg-møte`. Svarene vises bare for deg; skriv "
          "«vis alle» til slutt for å vise svaret for hele kanalen (`/lhl status Agder vis alle`). "
          "I Slack åpner `/lhl logg-møte` alene et skjema, og det samme gjør de andre "
          "kommandoene som fører noe nytt; `/lhl rediger <nr>` åpner et møte fra `/lhl logg` "
          "i skjemaet sitt.")


def parse(text: str, ctx: Context) -> str | None:
    return text.strip().lower().removeprefix("/lhl ").strip() or None


def command_for(others: Sequence[CommandSpec]) -> CommandSpec:
    """``hjelp`` for ``others`` and itself, listed in that order (the registry gives the list,
    so this module does not import the registry back)."""
    specs: list[CommandSpec] = list(others)

    def execute(name: str | None, *, session: Session, ctx: Context) -> Reply:
        if name:
            spec = next((s for s in specs if name in (s.name, *s.aliases)), None)
            if spec is None:
                raise UsageError(
                    f"Jeg har ingen kommando som heter «{echo(name)}». Skriv `/lhl hjelp` for å se "
                    "alle."
                )
            return _one(spec)
        return _all(specs)

    spec = CommandSpec(
        name="hjelp",
        summary="viser hva jeg kan, eller mer om én kommando.",
        usage="hjelp [kommando]",
        examples=("hjelp status",),
        writes=False,
        parse=parse,
        execute=execute,
        aliases=("help", "?"),
        cached=True,
    )
    specs.append(spec)
    return spec


def _one(spec: CommandSpec) -> Reply:
    lines = [f"*/lhl {spec.usage}*", spec.summary]
    if spec.details:
        lines.append(spec.details)
    lines.append("Eksempel: " + ", ".join(f"`/lhl {e}`" for e in spec.examples))
    opened = [f"`/lhl {f.opened_by}`" for f in spec.forms if f.opened_by]
    if opened:
        lines.append(f"Skjema i Slack: {join_names(opened)}.")
    return plain_reply("\n".join(lines))


def _all(specs: Sequence[CommandSpec]) -> Reply:
    rows = [f"• `/lhl {s.usage}` – {s.summary}\n   Eksempel: `/lhl {s.examples[0]}`"
            for s in specs]
    text = INTRO + "\n\n" + "\n".join(rows) + "\n\n" + FOOTER
    return reply(INTRO, divider(), "\n".join(rows), context(FOOTER), text=text)

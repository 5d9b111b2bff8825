"""The App Home tab: a user's embete at a glance, built from the store (no Slack here;
``bot.home`` publishes it).

For a user with access: this year's figures as ``/lhl status`` gives them (the same words and
numbers, from :func:`commands.status.area_figures`), each with a bar; the next reporting
deadline and the next reminders of the embete; the five latest entries as ``/lhl logg`` shows
them; and buttons that open the forms and send the report (each runs a ``/lhl`` text through
:func:`commands.base.command_button`, as a typed command would). A reader gets the figures and
the report button, an administrator who works for no embete the whole country, and a user with
no access a short welcome saying how to get it.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session

from commands.base import LOCAL_CHANNEL, Context, command_button
from commands.logg import entry_lines
from commands.reminder_words import occurrence_line
from commands.report_facts import next_deadline
from commands.status import AreaFigures, area_figures
from schedules.messages import days_until
from schedules.rules import occurrences, rule_from_json
from storage import changes
from storage.models import COORDINATOR, Reminder
from storage.queries import grant_of
from storage.reminders import upcoming_reminders
from voice.reply import Block, actions, context, divider, reply, said
from voice.words import date_in_words, moment_in_words, share

HOME_BLOCKS = 100
"""Slack's limit for the Home tab (a message holds 50)."""
BAR_CELLS = 10
ENTRIES = 5
REMINDERS = 5
FORM_BUTTONS = (
    ("Logg møte", "logg-møte"),
    ("Tilby møte", "tilby-møte"),
    ("Planlegg møte", "planlegg-møte"),
    ("Plan", "plan"),
    ("Fase", "fase"),
    ("Inviter til nettverk", "nettverk inviter"),
    ("Deltar i nettverk", "nettverk deltar"),
    ("Nytt arrangement", "arrangement ny"),
)
"""The forms a Home button opens: its label and the ``/lhl`` text that opens the form."""
REPORT_BUTTON = ("Send rapport", "rapport")
WELCOME = (
    "*Velkommen til lhl*\n"
    "Her ser koordinatorene i Leve hele livet tallene for embetet sitt, de neste fristene og "
    "de siste føringene, og fører møter med et klikk.\n"
    "Du har ikke tilgang ennå. Be en administrator om tilgang; de gir den med "
    "`/lhl tilgang gi @deg <embete>`, for eksempel `/lhl tilgang gi @deg Agder`.\n"
    "Til da kan du lese tallene med `/lhl status`, og `/lhl hjelp` viser alt jeg kan."
)
_SLACK_CHANNEL = re.compile(r"^[CG][A-Z0-9]{2,}$")
_JUST_BEFORE = timedelta(seconds=1)


def home_view(ctx: Context, *, session: Session) -> Block:
    """The Home tab of ``ctx``'s user: a ``views.publish`` view of at most 100 blocks."""
    grant = grant_of(ctx.user_id, session=session)
    if grant is None and not ctx.is_admin:
        made = reply(WELCOME, max_blocks=HOME_BLOCKS)
        return {"type": "home", "blocks": made.blocks}
    embete = ctx.geo.embeter.get(grant.embete_id) if grant else None
    embete_id = embete.id if embete else None
    title = embete.navn if embete else "Hele landet"
    figures = area_figures(ctx.now.year, ctx, session, embete_id=embete_id)
    writer = ctx.is_admin or (grant is not None and grant.rolle == COORDINATOR)
    made = reply(
        f"*{title}* – dialogmøter i {figures.year} · {figures.total} kommuner",
        _buttons(writer),
        divider(),
        _figures(figures),
        divider(),
        _deadlines(embete_id, ctx, session),
        divider(),
        _entries(embete_id, ctx, session),
        context(f"Oppdatert {moment_in_words(ctx.now)}. Alle føringer: `/lhl logg`; én "
                "kommune: `/lhl status <kommune>`."),
        max_blocks=HOME_BLOCKS,
    )
    return {"type": "home", "blocks": made.blocks}


def progress_bar(count: int, total: int) -> str:
    """``▓▓▓▓▓▓░░░░``: ``count`` of ``total`` in ten cells. Any count shows at least one cell,
    and only all of them fills the bar."""
    filled = round(count * BAR_CELLS / total) if total > 0 else 0
    if count > 0:
        filled = max(filled, 1)
    if count < total:
        filled = min(filled, BAR_CELLS - 1)
    return "▓" * filled + "░" * (BAR_CELLS - filled)


def _buttons(writer: bool) -> Block:
    shown = [*FORM_BUTTONS, REPORT_BUTTON] if writer else [REPORT_BUTTON]
    return actions(*(command_button(label, text, style="primary" if
                                    (label, text) == REPORT_BUTTON else None)
                     for label, text in shown), block_id="lhl_home")


def _figures(figures: AreaFigures) -> str:
    lines = [f"*{f.label}*\n{progress_bar(f.count, f.total)} {share(f.count, f.total)}"
             for f in figures.figures]
    return "\n".join([*lines, figures.phases])


def _deadlines(embete_id: str | None, ctx: Context, session: Session) -> str:
    today = ctx.now.date()
    deadline = next_deadline(today)
    lines = ["*Frister og påminnelser*",
             f"Neste rapport til Helsedirektoratet: {date_in_words(deadline)} "
             f"({days_until(deadline, today)})"]
    found = upcoming_reminders(embete_id, session=session, limit=REMINDERS)
    lines += [_reminder_line(r, ctx) for r in found]
    if not found:
        lines.append("Ingen påminnelser for embetet. Sett opp rapportfristene i kanalen deres "
                     "med `/lhl påminnelse standard`.")
    return "\n".join(lines)


def _reminder_line(reminder: Reminder, ctx: Context) -> str:
    """``• fredag 16. april 2027 kl. 09.00 – 14 dager før fristen 1. mai 2027: «Rapport til
    Hdir» i #kanal``."""
    assert reminder.next_due_at is not None
    nxt = occurrences(rule_from_json(reminder.rule), after=reminder.next_due_at - _JUST_BEFORE,
                      tz=ctx.tz, limit=1)
    when = (occurrence_line(nxt[0]) if nxt
            else moment_in_words(reminder.next_due_at.astimezone(ctx.tz)))
    return f"• {when}: «{said(reminder.text)}»{_where(reminder.channel_id)}"


def _where(channel: str) -> str:
    if channel == LOCAL_CHANNEL:
        return " i konsollen"
    return f" i <#{channel}>" if _SLACK_CHANNEL.match(channel) else ""


def _entries(embete_id: str | None, ctx: Context, session: Session) -> str:
    rows, total = changes.entries(session=session, limit=ENTRIES, embete_id=embete_id)
    if not total:
        return "*Siste føringer*\nIngen føringer ennå."
    return "\n".join([f"*Siste føringer* ({total})", *entry_lines(rows, ctx, session=session)])

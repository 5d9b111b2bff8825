"""What a delivered reminder says (Block Kit and its plain-text fallback), and the other
sentences of delivery: a failure told to the creator, "Levert", "Minn meg på i morgen".
Bokmål, dates in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from sqlmodel import Session

from schedules.digest import build_digest, digest_reply, how_in_words, week_of
from schedules.rules import Occurrence, Rule, lead_in_words
from storage.models import DEADLINE, Reminder
from storage.nominations import coming_award_year, count_nominations
from storage.queries import counts_by_embete
from storage.reference import Geography
from voice.reply import Block, actions, button, context, reply, said, text_only
from voice.text import fold
from voice.words import date_in_words, moment_in_words, share, time_in_words

LEVERT_ACTION = "lhl_levert"
SNOOZE_ACTION = "lhl_snooze"
UNDO_ACTION = "lhl_levert_angre"
ACTIONS_BLOCK = "lhl_reminder_actions"
"""The block holding a message's current buttons (replaced whenever they change)."""
DELIVERED_BLOCK = "lhl_delivered"
"""The context line saying who marked the deadline, or who undid that."""


@dataclass(frozen=True)
class Message:
    """A message to post: ``text`` and ``blocks`` as :func:`voice.reply.reply` made them
    (escaped, within Slack's limits)."""

    text: str
    blocks: list[Block]


@dataclass(frozen=True)
class Figures:
    """An embete's (or the country's) dialogue meetings this year, as ``/lhl status`` counts
    them (dialogue meetings only, not meetings with the mayors or the eldreråd)."""

    embete: str
    year: int
    total: int
    offered: int
    held: int
    held_or_planned: int
    nominations: int = field(default=0, compare=False)
    """Nominations so far from the embete (or the country) for the prize of
    ``prize_year``: said only by a deadline about the nominations
    (:func:`about_nominations`), so not part of what the figures are equal by."""
    prize_year: int = field(default=0, compare=False)


def about_nominations(text: str) -> bool:
    """Whether a deadline is the one for nominations to the Leve hele livet-prisen: its text,
    folded, names both a nomination (``nomin…``: nominasjon, nominere) and the prize
    (``pris``), as «Nominasjon til Leve hele livet-prisen» does."""
    folded = fold(text)
    return "nomin" in folded and "pris" in folded


def figures_for(embete_id: str | None, today: date, *, tz: tzinfo, geo: Geography,
                session: Session) -> Figures | None:
    """The embete's figures for the year of ``today``, or the whole country's for a reminder
    made by someone who works for no embete (an administrator)."""
    year = today.year
    prize_year = coming_award_year(today)
    nominations = count_nominations(prize_year, session=session, embete_id=embete_id)
    if embete_id is None:
        counts = counts_by_embete(year, today=today, tz=tz, session=session).values()
        return Figures("Hele landet", year, len(geo.kommuner),
                       sum(c.offered for c in counts), sum(c.held for c in counts),
                       sum(c.held_or_planned for c in counts), nominations, prize_year)
    embete = geo.embeter.get(embete_id)
    if embete is None:
        return None
    found = counts_by_embete(year, today=today, tz=tz, session=session,
                             embete_id=embete_id).get(embete_id)
    return Figures(embete.navn, year, len(geo.kommuner_i(embete_id)),
                   found.offered if found else 0, found.held if found else 0,
                   found.held_or_planned if found else 0, nominations, prize_year)


def reminder_message(reminder: Reminder, occ: Occurrence, *, now: datetime, tz: ZoneInfo,
                     lead_minutes: int = 0, figures: Figures | None = None) -> Message:
    """The message for one occurrence. A deadline (kind ``frist``) says how far off it is,
    carries the embete's figures when it has an embete, and a "Levert" button; every reminder
    has "Minn meg på i morgen"."""
    deadline = occ.deadline if reminder.kind == DEADLINE else None
    if reminder.kind == DEADLINE:
        lines = [f"*Frist:* {said(reminder.text)}"]
        if deadline is not None:
            lines.append(f"Frist {date_in_words(deadline)} "
                         f"({days_until(deadline, now.astimezone(tz).date())})")
    else:
        event = (occ.due + timedelta(minutes=lead_minutes)).astimezone(tz)
        when = moment_in_words(event)
        if lead_minutes:
            when += f" (om {lead_in_words(lead_minutes)})"
        lines = [f"*Påminnelse:* {said(reminder.text)}", when]
    main = "\n".join(lines)
    figures_part = None
    if figures is not None:
        heading = f"*{figures.embete}* – dialogmøter i {figures.year}"
        body = (f"Fått tilbud om dialogmøte: {share(figures.offered, figures.total)}\n"
                f"Gjennomført dialogmøte: {share(figures.held, figures.total)}\n"
                "Gjennomført eller planlagt dialogmøte: "
                f"{share(figures.held_or_planned, figures.total)}")
        figures_part = f"{heading}\n{body}"
        if about_nominations(reminder.text):
            figures_part = f"{nominations_line(figures)}\n\n{figures_part}"
    assert reminder.id is not None
    made = reply(main, figures_part, reminder_actions(reminder.id, deadline))
    return Message(made.text, made.blocks)


def digest_message(reminder: Reminder, rule: Rule, occ: Occurrence, *, tz: ZoneInfo,
                   geo: Geography, session: Session) -> Message:
    """A weekly digest (kind ``sammendrag``), built from the store for the week before ``occ``
    (``schedules.digest``); it has no buttons."""
    digest = build_digest(reminder.embete_id, week_of(rule, occ, tz), occ.due, tz=tz, geo=geo,
                          session=session)
    made = digest_reply(digest, how=how_in_words(rule))
    return Message(made.text, made.blocks)


def nominations_line(figures: Figures) -> str:
    """``3 nominasjoner så langt fra Statsforvalteren i Agder til Leve hele livet-prisen
    2026.``"""
    n = figures.nominations
    where = "hele landet" if figures.embete == "Hele landet" else figures.embete
    return (f"*{n} {'nominasjon' if n == 1 else 'nominasjoner'} så langt fra {where}* til "
            f"Leve hele livet-prisen {figures.prize_year} (`/lhl nominasjoner`).")


def reminder_actions(reminder_id: int, deadline: date | None) -> Block:
    """The buttons of a delivered reminder: "Levert" (asking first) for a deadline, and
    "Minn meg på i morgen"."""
    buttons: list[Block] = []
    if deadline is not None:
        buttons.append(button("Levert", LEVERT_ACTION, deadline_value(reminder_id, deadline),
                              style="primary", confirm=_levert_confirm(deadline)))
    buttons.append(button("Minn meg på i morgen", SNOOZE_ACTION, str(reminder_id)))
    return actions(*buttons, block_id=ACTIONS_BLOCK)


def deadline_value(reminder_id: int, deadline: date) -> str:
    """The value of "Levert" and "Angre": ``"12|2027-05-01"``."""
    return f"{reminder_id}|{deadline.isoformat()}"


def _levert_confirm(deadline: date) -> Block:
    """Slack's confirmation dialog; its limits (title 100, text 300, buttons 30 characters)
    hold by construction: no user text goes in."""
    return {
        "title": {"type": "plain_text", "text": "Marker som levert?"},
        "text": {"type": "plain_text",
                 "text": f"Da kommer det ingen flere varsler for fristen "
                         f"{date_in_words(deadline)}. Kanalen ser hvem som markerte den, "
                         "og den kan angres."},
        "confirm": {"type": "plain_text", "text": "Ja, levert"},
        "deny": {"type": "plain_text", "text": "Avbryt"},
    }


def days_until(deadline: date, today: date) -> str:
    """``i dag``, ``i morgen``, ``om 14 dager``, ``for 2 dager siden``."""
    days = (deadline - today).days
    if days == 0:
        return "i dag"
    if days == 1:
        return "i morgen"
    if days > 1:
        return f"om {days} dager"
    return "i går" if days == -1 else f"for {-days} dager siden"


def delivered_line(user_id: str, at: datetime) -> str:
    """``Levert – markert av <@U…> 24. november 2026 kl. 10.00.``"""
    return f"Levert – markert av <@{user_id}> {date_in_words(at.date())} {time_in_words(at)}."


def delivered_message(blocks: list[Block], line: str, undo_value: str | None = None
                      ) -> Message:
    """A delivered reminder after "Levert" (``blocks`` as Slack sent them back, already
    escaped): the buttons give way to who marked it and when, and, given ``undo_value``, to
    "Angre"."""
    undo = (actions(button("Angre", UNDO_ACTION, undo_value), block_id=ACTIONS_BLOCK)
            if undo_value is not None else None)
    made = reply(*_without_buttons(blocks), _delivered_context(line), undo)
    return Message(made.text, made.blocks)


def undone_message(blocks: list[Block], line: str, reminder_id: int, deadline: date
                   ) -> Message:
    """A reminder after "Angre": who undid the marking, and its buttons back."""
    made = reply(*_without_buttons(blocks), _delivered_context(line),
                 reminder_actions(reminder_id, deadline))
    return Message(made.text, made.blocks)


def _without_buttons(blocks: list[Block]) -> list[Block]:
    """The message's own blocks, without its buttons and its "Levert" line."""
    return [b for b in blocks if b.get("block_id") not in (DELIVERED_BLOCK, ACTIONS_BLOCK)]


def _delivered_context(line: str) -> Block:
    block = context(line)
    block["block_id"] = DELIVERED_BLOCK
    return block


def deadline_in(blocks: list[Block]) -> date | None:
    """The deadline a delivered reminder's "Levert" button carries, if it has one."""
    for block in blocks:
        if block.get("block_id") != ACTIONS_BLOCK:
            continue
        for element in block.get("elements") or []:
            if element.get("action_id") == LEVERT_ACTION:
                try:
                    return date.fromisoformat(str(element.get("value", "")).partition("|")[2])
                except ValueError:
                    return None
    return None


def undone_line(user_id: str, at: datetime) -> str:
    """``Levert angret av <@U…> 24. november 2026 kl. 10.05; varslene for fristen kommer
    igjen.``"""
    return (f"Levert angret av <@{user_id}> {date_in_words(at.date())} {time_in_words(at)}; "
            "varslene for fristen kommer igjen.")


def snoozed_line(text: str, due: datetime) -> str:
    return f"Ok, jeg minner dere på «{said(text)}» igjen {moment_in_words(due)}."


def already_snoozed(text: str) -> str:
    return f"Du har allerede bedt meg minne dere på «{said(text)}» igjen fra denne meldingen."


def not_allowed(label: str, embete: str | None) -> str:
    """Refusal of a button press by someone who may not change the reminder."""
    who = f"koordinatorene for {embete}" if embete else "koordinatorene"
    return (f"Bare den som lagde påminnelsen, {who} og administratorene kan trykke "
            f"«{label}»; ingenting ble endret.")


GONE = "Den påminnelsen finnes ikke lenger, så det er ingenting å gjøre."
BAD_BUTTON = ("Knappen passer ikke til en påminnelse i denne kanalen, så jeg gjorde ingenting. "
              "`/lhl påminnelser` viser kanalens påminnelser.")
NOT_MARKED = "Fristen er ikke markert som levert, så det er ingenting å angre."


def late_reason(late: timedelta) -> str:
    """Why an occurrence was skipped: ``boten var nede; 7 timer for sent``."""
    return f"boten var nede; {duration_in_words(late)} for sent"


def duration_in_words(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes >= 2 * 24 * 60:
        return f"{minutes // (24 * 60)} dager"
    if minutes >= 60:
        hours = minutes // 60
        return "1 time" if hours == 1 else f"{hours} timer"
    return "1 minutt" if minutes == 1 else f"{minutes} minutter"


_FAILURES: dict[str, tuple[str, str]] = {
    "not_in_channel": (
        "jeg er ikke med i kanalen",
        "Legg meg til med `/invite @lhl` i kanalen, så kommer de neste fram."),
    "channel_not_found": (
        "jeg finner ikke kanalen, eller den er privat uten meg",
        "Er kanalen privat, legg meg til med `/invite @lhl` i den; er den slettet, slett "
        "påminnelsen med `/lhl påminnelse slett {id}`."),
    "is_archived": (
        "kanalen er arkivert",
        "Hent kanalen tilbake fra arkivet, eller slett påminnelsen med "
        "`/lhl påminnelse slett {id}`."),
    "restricted_action": (
        "arbeidsområdet lar meg ikke skrive i kanalen",
        "Be en Slack-administrator om å la lhl skrive der."),
    "ratelimited": (
        "Slack ba meg vente, for mange ganger på rad",
        "Det går som regel over av seg selv; de neste påminnelsene sendes som vanlig."),
    "internal": (
        "noe gikk galt hos meg",
        "Si fra til den som drifter lhl; de neste påminnelsene prøver jeg å sende som vanlig."),
    "connection": (
        "jeg fikk ikke kontakt med Slack",
        "Det går som regel over av seg selv; de neste påminnelsene sendes som vanlig."),
}


def failure_reason(code: str) -> str:
    """Why a delivery failed, short enough for the listing (``/lhl påminnelser``)."""
    known = _FAILURES.get(code)
    return known[0] if known else f"Slack svarte «{code}»"


def failure_dm(reminder: Reminder, due: datetime, code: str, *, tz: ZoneInfo) -> str:
    """The direct message to a reminder's creator when it did not arrive, escaped for
    mrkdwn."""
    reason = failure_reason(code)
    fix = _FAILURES[code][1] if code in _FAILURES else (
        "Sjekk påminnelsen med `/lhl påminnelser` i kanalen; om det skjer igjen, si fra til "
        "den som drifter lhl.")
    return text_only(f"Påminnelsen #{reminder.id} «{said(reminder.text)}» kom ikke fram i "
                     f"<#{reminder.channel_id}> {moment_in_words(due.astimezone(tz))}: {reason}. "
                     f"{fix.format(id=reminder.id)}").text


"""``/lhl status … graf``: the two charts of ``status`` and what they show, counted from the
store, with the same figures in words for whoever cannot see the picture.

* ``landet``: for each embete, the share of its kommuner with each milestone, as ``status
  landet`` counts them (dialogue meetings in the year; networks and plan as of the figures'
  day).
* an embete or a fylke: its kommuner over time, at the end of each month from January 2019 to
  the figures' day: how many had by then been offered and held a dialogue meeting (since
  1 January 2019), been invited to a learning network and had a plan or process, all from each
  kommune's first date in :func:`storage.milestones.milestones`, and how many took part in a
  network that day (:func:`storage.networks.participation_periods`). A handful of queries
  whatever the number of months.

The drawing is :mod:`commands.charts`'; this module only counts and words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from commands.base import Context
from commands.charts import CoverageRow, Line, coverage_png, over_time_png
from commands.parse.dates import FIRST_YEAR
from storage.milestones import milestones
from storage.networks import Period, network_counts_by_embete, participation_periods
from storage.plans import plan_counts_by_embete
from storage.queries import counts_by_embete
from voice.reply import Attachment, Reply, reply
from voice.text import fold
from voice.words import MONTHS, date_in_words, share

WORDS = frozenset({"graf", "diagram", "figur"})
"""The words after the place or year that ask for the chart."""
MEASURES = ("Fått tilbud om dialogmøte", "Gjennomført dialogmøte",
            "Invitert til læringsnettverk", "Deltar i læringsnettverk",
            "Vedtatt plan eller beskrevet prosess")
"""The five milestones, in the words of ``status`` and in the charts' order."""
SHORT = ("fått tilbud", "gjennomført", "invitert", "deltar", "plan eller prosess")
"""The same, as a row of figures names them."""
START = date(FIRST_YEAR, 1, 1)


def split_chart_word(text: str) -> tuple[str, bool]:
    """``text`` without the words that ask for a chart, and whether there was one:
    ``"Agder 2025 graf"`` → ``("Agder 2025", True)``."""
    words = text.split()
    kept = [w for w in words if fold(w) not in WORDS]
    return " ".join(kept), len(kept) < len(words)


# --- what the charts show ---------------------------------------------------------------------


def month_ends(first: date, last: date) -> list[date]:
    """``first``, the last day of each month from ``first``'s to the one before ``last``'s,
    then ``last`` itself: the days a line over time has a value."""
    days: list[date] = [first]
    year, month = first.year, first.month
    while (year, month) < (last.year, last.month):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        days.append(date(year, month, 1) - timedelta(days=1))
    return [d for d in dict.fromkeys(days) if d < last] + [last]


def counted_by(firsts: Iterable[date | None], days: Sequence[date]) -> tuple[int, ...]:
    """For each of ``days``, how many of ``firsts`` (one per kommune, None: never) are on or
    before it."""
    known = sorted(d for d in firsts if d is not None)
    return tuple(bisect_right(known, day) for day in days)


def taking_part_on(periods: Iterable[Period], days: Sequence[date]) -> tuple[int, ...]:
    """For each of ``days``, how many kommuner have a period running that day (a kommune in
    two networks counts once)."""
    by_kommune: dict[str, list[Period]] = {}
    for p in periods:
        by_kommune.setdefault(p.kommune_nummer, []).append(p)
    return tuple(sum(any(p.fra <= day and (p.until is None or p.until > day) for p in mine)
                     for mine in by_kommune.values())
                 for day in days)


@dataclass(frozen=True)
class OverTime:
    days: tuple[date, ...]
    total: int
    lines: tuple[Line, ...]
    """One per measure, in :data:`MEASURES` order."""


def over_time(kommuner: Sequence[str], *, last: date, ctx: Context, session: Session
              ) -> OverTime:
    """``kommuner`` at each month's end from January 2019 to ``last`` (see the module
    docstring)."""
    days = month_ends(START, last)
    found = milestones(kommuner, first=START, last=last, tz=ctx.tz, session=session).values()
    periods = participation_periods(kommuner, last=last, session=session)
    values = (counted_by((m.offered for m in found), days),
              counted_by((m.held for m in found), days),
              counted_by((m.invited for m in found), days),
              taking_part_on(periods, days),
              counted_by((m.plan_first for m in found), days))
    return OverTime(tuple(days), len(kommuner),
                    tuple(Line(label, v) for label, v in zip(MEASURES, values, strict=True)))


def coverage(year: int, *, as_of: date, ctx: Context, session: Session
             ) -> tuple[list[CoverageRow], CoverageRow]:
    """Each embete's kommuner with each milestone (by short name, as ``status landet`` lists
    them) and the country's: the figures of ``status landet``."""
    meetings = counts_by_embete(year, today=ctx.now.date(), tz=ctx.tz, session=session)
    networks = network_counts_by_embete(as_of=as_of, session=session)
    plans = plan_counts_by_embete(as_of=as_of, session=session)
    rows: list[CoverageRow] = []
    for embete in sorted(ctx.geo.embeter.values(), key=lambda e: e.kortnavn):
        m, n = meetings.get(embete.id), networks.get(embete.id)
        rows.append(CoverageRow(
            embete.kortnavn, len(ctx.geo.kommuner_i(embete.id)),
            (m.offered if m else 0, m.held if m else 0, n.invited if n else 0,
             n.participating if n else 0, plans.get(embete.id, 0))))
    total = CoverageRow("Hele landet", sum(r.total for r in rows),
                        tuple(sum(col) for col in zip(*(r.counts for r in rows), strict=True)))
    return rows, total


# --- the replies ------------------------------------------------------------------------------


def landet_reply(year: int, *, as_of: date, ctx: Context, session: Session,
                 notes: Sequence[str] = ()) -> Reply:
    """The coverage chart of every embete, and its figures in words."""
    rows, total = coverage(year, as_of=as_of, ctx=ctx, session=session)
    when = _when(year, as_of, ctx)
    title = f"Hele landet – andel kommuner i hvert embete {when}"
    heading = f"*Hele landet* – andel kommuner i hvert embete {when}"
    networks_day = date_in_words(as_of)
    about = (f"Grafen viser for hvert embete hvor stor andel av kommunene som har fått tilbud "
             f"om og gjennomført dialogmøte i {year}, og som per {networks_day} er invitert "
             "til og deltar i læringsnettverk og har vedtatt plan eller beskrevet prosess.")
    figures = "\n".join(f"• {_row(r)}" for r in rows)
    national = f"*Totalt ({total.total} kommuner):* {_counts(total)}"
    png = coverage_png(rows, MEASURES, title=title, total=total,
                       subtitle=(f"Dialogmøter i {year}. Læringsnettverk og plan per "
                                 f"{networks_day}."))
    return _with_chart(heading, [about, figures, national, *notes], png,
                       filename=f"status-landet-{as_of.isoformat()}.png", title=title)


def area_reply(name: str, kommuner: Sequence[str], *, as_of: date, ctx: Context,
               session: Session, notes: Sequence[str] = ()) -> Reply:
    """The chart over time of an embete or a fylke called ``name`` (``Agder``, ``Akershus
    fylke``) holding ``kommuner``, and its figures in words: as of ``as_of`` and at the end of
    each year before."""
    series = over_time(kommuner, last=as_of, ctx=ctx, session=session)
    n = series.total
    per = date_in_words(as_of)
    title = f"{name} – kommuner per {per}"
    heading = f"*{name}* – kommuner over tid per {per}"
    about = (f"Grafen viser {_how_many(n)} ved utgangen av hver måned fra "
             f"{MONTHS[0]} {FIRST_YEAR} hadde fått tilbud om og gjennomført dialogmøte (møter "
             f"fra {date_in_words(START)}), var invitert til læringsnettverk, deltok i "
             "læringsnettverk og hadde vedtatt plan eller beskrevet prosess.")
    # Not this year's figures (``status`` gives those): the meeting lines count since 2019.
    now = "\n".join([f"Per {per}, med dialogmøter siden {date_in_words(START)}:"]
                    + [f"{line.label}: {share(line.values[-1], n)}" for line in series.lines])
    years = [(i, d) for i, d in enumerate(series.days[:-1]) if d.month == 12 and d.day == 31]
    by_year = "\n".join(["Ved utgangen av hvert år:"] + [
        f"• {d.year}: " + ", ".join(f"{word} {line.values[i]}"
                                    for word, line in zip(SHORT, series.lines, strict=True))
        for i, d in years]) if years else ""
    png = over_time_png(series.days, series.lines, total=n, title=title,
                        total_label=f"Alle {n} kommuner" if n != 1 else "1 kommune",
                        subtitle=(f"Antall kommuner av {n} ved utgangen av hver måned. "
                                  f"Dialogmøter fra {date_in_words(START)}."))
    return _with_chart(heading, [about, now, by_year, *notes], png,
                       filename=f"status-{_slug(name)}-{as_of.isoformat()}.png", title=title)


def _how_many(n: int) -> str:
    """``hvor mange av de 25 kommunene som``; ``om kommunen`` for a fylke of one (Oslo)."""
    return f"hvor mange av de {n} kommunene som" if n != 1 else "om kommunen"


def _when(year: int, as_of: date, ctx: Context) -> str:
    """``per 4. desember 2026`` for this year, ``i 2025`` for one gone by."""
    return f"per {date_in_words(as_of)}" if year >= ctx.now.year else f"i {year}"


def _row(row: CoverageRow) -> str:
    return f"{row.name}: {_counts(row)}"


def _counts(row: CoverageRow) -> str:
    return ", ".join(f"{word} {share(n, row.total)}"
                     for word, n in zip(SHORT, row.counts, strict=True))


def _with_chart(heading: str, parts: Sequence[str], png: bytes, *, filename: str,
                title: str) -> Reply:
    shown = [p for p in parts if p]
    return reply(heading, *shown, text="\n".join([heading, *shown]),
                 files=[Attachment(filename, png, title)])


def _slug(name: str) -> str:
    """``Akershus fylke`` → ``akershus-fylke``; ``Østfold, Buskerud …`` → ``ostfold-buskerud…``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")

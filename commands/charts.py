"""Charts as PNG bytes: plain figures in, a picture out. Knows nothing of the store; the
figures are counted in :mod:`commands.status_graf`.

Drawn on a bare :class:`matplotlib.figure.Figure` with the Agg canvas (no pyplot: no global
figure state, so two requests may draw at once), with every size and colour given per artist
rather than through the global ``rcParams``. matplotlib is imported inside the functions: it
costs about half a second, which neither the bot's start nor any other command should pay.

The look, for Slack (a message shows the image shrunk to about a third): 1200 × 700 px, large
type, the Okabe–Ito palette (readable with every common colour vision deficiency) with one
colour per measure in both charts, labels on the bars and at the lines' ends rather than a
legend, no top or right frame, Norwegian words only (months from :mod:`voice.words`; the time
axis is drawn from plain day numbers, so matplotlib never writes a month itself). Fonts: DejaVu
Sans, which matplotlib brings and which has æ, ø and å.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from voice.words import MONTHS, percent

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

WIDTH_IN, HEIGHT_IN, DPI = 12.0, 7.0, 100
"""1200 × 700 px."""
PALETTE = ("#56B4E9", "#0072B2", "#E69F00", "#D55E00", "#009E73", "#CC79A7", "#000000")
"""Okabe–Ito, in the order the measures are given: offered (sky blue) and held (blue) a pair,
invited (orange) and taking part (vermillion) a pair, plan (bluish green)."""
INK = "#222222"
MUTED = "#666666"
TRACK = "#EBEBEB"
"""The grey behind a bar: the rest of the way to 100 %."""
TITLE_PT, TEXT_PT, SMALL_PT = 19, 14, 12.5


@dataclass(frozen=True)
class CoverageRow:
    """One row of :func:`coverage_png`: a place, its number of kommuner and, for each
    measure in order, how many of them have it."""

    name: str
    total: int
    counts: tuple[int, ...]


@dataclass(frozen=True)
class Line:
    """One line of :func:`over_time_png`: its label and its value on each day."""

    label: str
    values: tuple[int, ...]


def _figure() -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _canvas(fig: Figure) -> FigureCanvasAgg:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    return canvas


def _png(fig: Figure) -> bytes:
    """The figure as a PNG of at most 256 colours: a chart of flat colours loses nothing that
    shows, and the file is a third of the size."""
    from PIL import Image

    canvas = _canvas(fig)
    canvas.draw()
    rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw",
                            "RGBA", 0, 1)
    small = rgba.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.putpalette(_snapped(small.getpalette() or []))
    out = io.BytesIO()
    small.save(out, format="PNG")
    return out.getvalue()


def _snapped(palette: list[int]) -> list[int]:
    """The quantized palette with each entry that is within a few steps of one of our own
    colours (white, the ink, the palette) set to that colour exactly: quantizing averages
    them a little, and a background of 254 grey is not white."""
    ours = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))
            for c in ("#FFFFFF", INK, MUTED, TRACK, *PALETTE)]
    out = list(palette)
    for i in range(0, len(out) - 2, 3):
        entry = out[i:i + 3]
        for colour in ours:
            if max(abs(a - b) for a, b in zip(entry, colour, strict=True)) <= 4:
                out[i:i + 3] = colour
                break
    return out


def _headings(fig: Figure, title: str, subtitle: str) -> None:
    fig.text(0.015, 0.965, title, fontsize=TITLE_PT, fontweight="bold", color=INK,
             ha="left", va="top")
    if subtitle:
        fig.text(0.015, 0.905, subtitle, fontsize=TEXT_PT, color=MUTED, ha="left", va="top")


def _plain(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#999999")
    ax.tick_params(colors=INK, labelsize=SMALL_PT, length=0)


def _ink_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return INK if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


# --- coverage: one bar per place and measure --------------------------------------------------


def coverage_png(rows: Sequence[CoverageRow], measures: Sequence[str], *, title: str,
                 subtitle: str = "", total: CoverageRow | None = None) -> bytes:
    """Small multiples: one panel per measure (its label on top), one bar per row (the
    share of its kommuner, 0–100 %, written beside or inside the bar), the rows in the order
    given from the top and ``total`` below them, set apart.

    Drawn without axes furniture (no ticks, no frame: the bars' grey tracks are the scale) and
    the bars as one collection per panel, which keeps the drawing under a fifth of a second."""
    from matplotlib.collections import PolyCollection

    fig = _figure()
    _headings(fig, title, subtitle)
    places = [*rows, *([total] if total else [])]
    ys = [float(i) for i in range(len(rows))] + ([len(rows) + 0.6] if total else [])
    left, right, bottom, top, space = 0.2, 0.985, 0.055, 0.76, 0.03
    width = (right - left - space * (len(measures) - 1)) / len(measures)
    half = 0.36
    for m, label in enumerate(measures):
        ax = fig.add_axes((left + m * (width + space), bottom, width, top - bottom))
        ax.set_axis_off()
        ax.set_xlim(0, 100)
        ax.set_ylim(max(ys) + 0.55, -0.55)
        colour = PALETTE[m % len(PALETTE)]
        shares = [100 * p.counts[m] / p.total if p.total else 0.0 for p in places]
        for values, fill in (([100.0] * len(places), TRACK), (shares, colour)):
            ax.add_collection(PolyCollection(
                [[(0, y - half), (v, y - half), (v, y + half), (0, y + half)]
                 for y, v in zip(ys, values, strict=True)],
                facecolors=fill, edgecolors="none"))
        for y, value, place in zip(ys, shares, places, strict=True):
            inside = value > 62
            ax.text(value - 2 if inside else value + 2, y, percent(place.counts[m], place.total),
                    va="center", ha="right" if inside else "left", fontsize=SMALL_PT,
                    color=_ink_on(colour) if inside else INK,
                    fontweight="bold" if place is total else "normal")
        ax.text(0, 1.02, "\n".join(textwrap.wrap(label, 16)), transform=ax.transAxes,
                fontsize=TEXT_PT - 1, color=INK, fontweight="bold", ha="left", va="bottom")
        if m == 0:
            names = ax.get_yaxis_transform()  # x in the axes, y in the data
            for y, place in zip(ys, places, strict=True):
                ax.text(-0.06, y, "\n".join(textwrap.wrap(place.name, 22)), transform=names,
                        fontsize=TEXT_PT, color=INK, ha="right", va="center",
                        fontweight="bold" if place is total else "normal")
    return _png(fig)


# --- over time: one line per measure ----------------------------------------------------------


def over_time_png(days: Sequence[date], lines: Sequence[Line], *, total: int, title: str,
                  subtitle: str = "", total_label: str = "") -> bytes:
    """One line per measure over ``days`` (the values of each line on those days), each
    labelled at its right end with its last value; the y axis from 0 to ``total``, drawn as a
    dashed line labelled ``total_label``. Lines of an even place (the first of each pair:
    offered, invited) are dashed and drawn on top, so a pair that runs together shows both."""
    fig = _figure()
    _headings(fig, title, subtitle)
    labels = [f"{line.label}: {line.values[-1]}" for line in lines]
    left, bottom, top = 0.065, 0.09, 0.8
    right = 0.985 - (_widest(fig, labels, TEXT_PT) + 60) / (WIDTH_IN * DPI)
    ax = fig.add_axes((left, bottom, right - left, top - bottom))
    _plain(ax)
    xs = [d.toordinal() for d in days]
    top_value = max(total, max((max(line.values, default=0) for line in lines), default=0), 1)
    ax.set_ylim(0, top_value * 1.06)
    ax.set_xlim(xs[0], xs[-1])
    ax.axhline(total, color=MUTED, linestyle=(0, (5, 4)), linewidth=1.3, zorder=1)
    if total_label:
        ax.text(xs[0] + (xs[-1] - xs[0]) * 0.01, total, total_label, fontsize=SMALL_PT,
                color=MUTED, ha="left", va="bottom")
    for i, line in enumerate(lines):
        style = _style(i, len(lines))
        ax.plot(xs, line.values, color=PALETTE[i % len(PALETTE)], linewidth=2.6,
                linestyle=style, solid_joinstyle="round",
                zorder=(10 if style == "-" else 20) + i, clip_on=False)
    ax.grid(axis="y", color=TRACK, linewidth=1, zorder=0)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ticks, tick_labels = time_ticks(days[0], days[-1])
    ax.set_xticks([t.toordinal() for t in ticks], tick_labels)
    per_px = ax.get_ylim()[1] / ((top - bottom) * HEIGHT_IN * DPI)
    ends = spread([line.values[-1] for line in lines], gap=24 * per_px,
                  high=ax.get_ylim()[1])
    at_end = ax.get_yaxis_transform()  # x in the axes, y in the data
    for i, (label, y) in enumerate(zip(labels, ends, strict=True)):
        ax.plot([1.012, 1.06], [y, y], transform=at_end, clip_on=False, linewidth=2.6,
                color=PALETTE[i % len(PALETTE)], linestyle=_style(i, len(lines)))
        ax.text(1.07, y, label, transform=at_end, fontsize=TEXT_PT, color=INK, va="center",
                ha="left", clip_on=False)
    return _png(fig)


def _style(i: int, n: int) -> str | tuple[int, tuple[int, int]]:
    """Dashed for the first of each pair (offered, invited), solid for the rest."""
    return (0, (4, 2)) if i % 2 == 0 and i < n - 1 else "-"


def _widest(fig: Figure, texts: Sequence[str], size: float) -> float:
    """The width in pixels of the widest of ``texts`` at ``size``."""
    renderer = _canvas(fig).get_renderer()
    widest = 0.0
    for text in texts:
        probe = fig.text(0, 0, text, fontsize=size)
        widest = max(widest, probe.get_window_extent(renderer).width)
        probe.remove()
    return widest


def spread(ys: Sequence[float], *, gap: float, high: float | None = None) -> list[float]:
    """Where to write the labels of values ``ys`` so that no two are closer than ``gap``,
    none is below 0 and (when there is room) none above ``high``, each as near its value as
    that allows: labels that would touch form a group centred on the mean of their values, in
    the values' order (for equal values, the first line's label on top)."""
    order = sorted(range(len(ys)), key=lambda i: (ys[i], -i))
    groups = [[i] for i in order]

    def start(group: list[int]) -> float:
        lowest = sum(ys[i] for i in group) / len(group) - gap * (len(group) - 1) / 2
        if high is not None:
            lowest = min(lowest, high - gap * (len(group) - 1))
        return max(0.0, lowest)

    merged = True
    while merged:
        merged = False
        for j in range(len(groups) - 1):
            if start(groups[j]) + gap * len(groups[j]) > start(groups[j + 1]) + 1e-9:
                groups[j:j + 2] = [groups[j] + groups[j + 1]]
                merged = True
                break
    out = [0.0] * len(ys)
    for group in groups:
        for k, i in enumerate(group):
            out[i] = start(group) + k * gap
    return out


def time_ticks(first: date, last: date) -> tuple[list[date], list[str]]:
    """The time axis: each new year (``2019``) over a long span; over two years or less,
    every third month in Norwegian (``jan. 2025``, ``apr.``, ``juli`` …)."""
    months = (last.year - first.year) * 12 + last.month - first.month
    if months > 24:
        ticks = [date(y, 1, 1) for y in range(first.year, last.year + 1)]
        ticks = [t for t in ticks if first <= t <= last] or [first]
        return ticks, [str(t.year) for t in ticks]
    ticks = [date(y, m, 1) for y in range(first.year, last.year + 1) for m in (1, 4, 7, 10)
             if first <= date(y, m, 1) <= last]
    labels = [f"{_month_short(t.month)} {t.year}" if t.month == 1 or t == ticks[0]
              else _month_short(t.month) for t in ticks]
    return ticks, labels


def _month_short(month: int) -> str:
    """``jan.``, ``apr.``, ``juli``, ``okt.``: the name cut to three letters with a point,
    unless it is no longer than four (``mai``, ``juni``, ``juli``)."""
    name = MONTHS[month - 1]
    return name if len(name) <= 4 else f"{name[:3]}."

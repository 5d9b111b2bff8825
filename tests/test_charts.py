"""``/lhl status … graf``: the figures each chart shows, counted from a hand-built store with
known answers; the PNG that comes with the reply (signature, size, not one colour, the
measures' colours drawn); the reply's words; and the forms ``status`` reads, old and new.

The clock stands at tirsdag 24. november 2026 kl. 10.00 (``tests.support.clock.NOW``).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from datetime import date
from itertools import pairwise

import pytest
from PIL import Image

from bot.runtime import Runtime
from commands.base import Context, UsageError
from commands.charts import (
    PALETTE,
    CoverageRow,
    Line,
    coverage_png,
    over_time_png,
    spread,
    time_ticks,
)
from commands.status import Args
from commands.status import parse as parse_status
from commands.status_graf import (
    MEASURES,
    counted_by,
    coverage,
    month_ends,
    over_time,
    split_chart_word,
    taking_part_on,
)
from storage.networks import Period
from storage.reference import KOMMUNER_CSV, Geography, _read_csv, geography_from_rows
from tests.support.clock import NOW, OSLO
from tests.support.runtime import ADMIN, reply_to, say
from tests.support.slack_limits import assert_reply_within_limits
from voice.words import MONTHS

TODAY = NOW.date()
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 200_000

# Agder's history, each line the real write path; Vestland's Bergen and an undone meeting count
# nowhere in Agder.
STORE = (
    "tilby-møte Lillesand 15. mars 2019",
    "logg-møte Lillesand 10. mai 2020",
    "logg-møte Arendal 3. januar 2021",
    "logg-møte Lillesand 2. februar 2026",
    "planlegg-møte Vennesla 10. desember 2026",
    "logg-møte Bergen 1. mars 2020",
    "planlegg-møte Bergen 1. desember 2026",
    "logg-møte Birkenes 2. mai 2021",
    "angre",
    'nettverk ny "Mat og måltider" fra 1. januar 2020 embete: Agder',
    'nettverk inviter "Mat og måltider" Lillesand 1. februar 2020',
    'nettverk deltar "Mat og måltider" Arendal 1. mars 2020',
    'nettverk forlater "Mat og måltider" Arendal 1. juni 2021',
    'nettverk deltar "Mat og måltider" Grimstad 1. september 2024',
    'nettverk ny "Aktivitet" fra 1. januar 2021 til 30. juni 2022 embete: Agder',
    'nettverk deltar "Aktivitet" Arendal 1. februar 2021',
    "plan Lillesand vedtatt 5. april 2022",
    "plan Arendal prosess 1. februar 2026",
    "plan Bergen vedtatt 1. mars 2020",
)


def build(rt: Runtime) -> None:
    for line in STORE:
        answer = say(rt, line)
        assert answer.startswith(("Lagret", "Angret")), (line, answer)


# What Agder's kommuner had on day d, written out from the store above: the lines of the chart.
KNOWN: dict[str, Callable[[date], int]] = {
    "Fått tilbud om dialogmøte": lambda d: (d >= date(2019, 3, 15)) + (d >= date(2021, 1, 3)),
    "Gjennomført dialogmøte": lambda d: (d >= date(2020, 5, 10)) + (d >= date(2021, 1, 3)),
    "Invitert til læringsnettverk": lambda d: ((d >= date(2020, 2, 1)) + (d >= date(2020, 3, 1))
                                               + (d >= date(2024, 9, 1))),
    # Arendal: Mat from 1 March 2020 until it left on 1 June 2021, Aktivitet from 1 February
    # 2021 to the network's last day, 30 June 2022; Grimstad from 1 September 2024.
    "Deltar i læringsnettverk": lambda d: ((date(2020, 3, 1) <= d <= date(2022, 6, 30))
                                           + (d >= date(2024, 9, 1))),
    "Vedtatt plan eller beskrevet prosess": lambda d: ((d >= date(2022, 4, 5))
                                                       + (d >= date(2026, 2, 1))),
}


@pytest.fixture(scope="module")
def geo() -> Geography:
    return geography_from_rows(_read_csv(KOMMUNER_CSV))


def ctx_for(geo: Geography) -> Context:
    return Context(user_id=ADMIN, is_admin=True, now=NOW, tz=OSLO, geo=geo)


def png_size(content: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    assert content[:8] == PNG_SIGNATURE
    assert content[12:16] == b"IHDR"
    width, height = struct.unpack(">II", content[16:24])
    return width, height


def assert_chart(content: bytes, colours: int = 5) -> None:
    """A PNG of about 1200 × 700 under 200 kB, drawn (not one colour, black text on white)
    with the first ``colours`` measures' colours in it."""
    assert 1000 <= png_size(content)[0] <= 1400 and 600 <= png_size(content)[1] <= 800
    assert len(content) < MAX_PNG_BYTES
    with Image.open(io.BytesIO(content)) as image:
        rgb = image.convert("RGB")
        assert rgb.size == png_size(content)
        found = rgb.getcolors(maxcolors=1 << 16)
    assert found is not None and len(found) > 8
    counts = {c: n for n, c in found}
    assert max(counts, key=lambda c: counts[c]) == (255, 255, 255), "white behind"
    for hex_colour in PALETTE[:colours]:
        want = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        near = sum(n for c, n in counts.items()
                   if sum(abs(a - b) for a, b in zip(c, want, strict=True)) <= 24)
        assert near > 50, f"{hex_colour} drawn"


# --- the forms status reads -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind", "year"), [
    ("landet graf", "landet", 2026),
    ("Agder graf", "embete", 2026),
    ("agder GRAF", "embete", 2026),
    ("Agder diagram", "embete", 2026),
    ("Agder figur", "embete", 2026),
    ("Agder 2025 graf", "embete", 2025),
    ("Agder graf 2025", "embete", 2025),
    ("Agder graf i fjor", "embete", 2025),
    ("Troms graf", "fylke", 2026),
    ("Troms og Finnmark graf", "embete", 2026),
    ("Vestland graf", "embete", 2026),
])
def test_the_chart_word_anywhere_after_the_place(geo: Geography, text: str, kind: str,
                                                 year: int) -> None:
    args = parse_status(text, ctx_for(geo))
    assert args.chart and args.year == year
    assert args.scope is not None and args.scope.kind == kind


def test_the_chart_word_alone_is_the_own_place_and_a_year_stays_a_year(geo: Geography) -> None:
    assert parse_status("graf", ctx_for(geo)) == Args(None, 2026, True)
    assert parse_status("2025 graf", ctx_for(geo)) == Args(None, 2025, True)
    assert split_chart_word("Agder 2025 graf") == ("Agder 2025", True)
    assert split_chart_word("Agder 2025") == ("Agder 2025", False)


@pytest.mark.parametrize("text", ["Lillesand graf", "1002 graf", "Lillesand 2025 diagram"])
def test_a_kommune_has_no_chart(geo: Geography, text: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_status(text, ctx_for(geo))
    assert refused.value.message == (
        "Grafene viser et embete, et fylke eller hele landet, ikke én kommune: skriv for "
        "eksempel `/lhl status Agder graf` eller `/lhl status landet graf`.")


def test_the_old_forms_still_read_as_before(geo: Geography) -> None:
    ctx = ctx_for(geo)
    assert parse_status("Agder 2025", ctx).chart is False
    assert parse_status("1002", ctx).scope.kind == "kommune"  # type: ignore[union-attr]
    assert parse_status("", ctx) == Args(None, 2026)


# --- what the charts show, from the store -----------------------------------------------------


def test_agder_over_time_is_the_known_history(runtime: Runtime) -> None:
    build(runtime)
    agder = [k.nummer for k in runtime.geo.kommuner_i("agder")]
    with runtime.db.read() as session:
        series = over_time(agder, last=TODAY, ctx=ctx_for(runtime.geo), session=session)
    assert series.total == 25
    assert series.days[0] == date(2019, 1, 1)
    assert series.days[1:4] == (date(2019, 1, 31), date(2019, 2, 28), date(2019, 3, 31))
    assert series.days[-2:] == (date(2026, 10, 31), TODAY)
    assert len(series.days) == 1 + 12 * 7 + 10 + 1
    assert [line.label for line in series.lines] == list(MEASURES)
    for line in series.lines:
        assert line.values == tuple(KNOWN[line.label](d) for d in series.days), line.label
    # Spot checks a reader can follow: the day a period ends and a network's last day.
    columns = zip(*(ln.values for ln in series.lines), strict=True)
    on = {d: dict(zip(MEASURES, v, strict=True))
          for d, v in zip(series.days, columns, strict=True)}
    assert on[date(2022, 6, 30)]["Deltar i læringsnettverk"] == 1
    assert on[date(2022, 7, 31)]["Deltar i læringsnettverk"] == 0
    assert on[TODAY] == {"Fått tilbud om dialogmøte": 2, "Gjennomført dialogmøte": 2,
                         "Invitert til læringsnettverk": 3, "Deltar i læringsnettverk": 1,
                         "Vedtatt plan eller beskrevet prosess": 2}


def test_landet_coverage_is_the_figures_of_status_landet(runtime: Runtime) -> None:
    build(runtime)
    with runtime.db.read() as session:
        rows, total = coverage(2026, as_of=TODAY, ctx=ctx_for(runtime.geo), session=session)
        rows_2020, _ = coverage(2020, as_of=date(2020, 12, 31), ctx=ctx_for(runtime.geo),
                                session=session)
    by_name = {r.name: r for r in rows}
    assert len(rows) == 10 and [r.name for r in rows] == sorted(by_name)
    # 2026: Lillesand held, Vennesla planned (a plan ahead counts as offered, as in status).
    assert by_name["Agder"] == CoverageRow("Agder", 25, (2, 1, 3, 1, 2))
    assert by_name["Vestland"] == CoverageRow("Vestland", 43, (1, 0, 0, 0, 1))
    assert by_name["Rogaland"].counts == (0, 0, 0, 0, 0)
    assert total == CoverageRow("Hele landet", 357, (3, 1, 3, 1, 3))
    by_name_2020 = {r.name: r for r in rows_2020}
    assert by_name_2020["Agder"].counts == (1, 1, 2, 1, 0)
    assert by_name_2020["Vestland"].counts == (1, 1, 0, 0, 1)
    status = say(runtime, "status landet")
    assert ("• Agder: fått tilbud 2 av 25 (8 %), gjennomført 1 av 25 (4 %), gjennomført eller "
            "planlagt 2 av 25 (8 %), invitert til læringsnettverk 3 av 25 (12 %), deltar i "
            "læringsnettverk 1 av 25 (4 %)") in status


# --- the replies ------------------------------------------------------------------------------


def test_status_agder_graf_answers_with_the_figures_and_the_picture(runtime: Runtime) -> None:
    build(runtime)
    answer = reply_to(runtime, "status Agder graf")
    assert_reply_within_limits(answer)
    lines = answer.text.splitlines()
    assert lines[0] == "*Agder* – kommuner over tid per 24. november 2026"
    assert lines[1].startswith("Grafen viser hvor mange av de 25 kommunene som ved utgangen av "
                               "hver måned fra januar 2019 hadde fått tilbud om")
    assert lines[2:8] == [
        "Per 24. november 2026, med dialogmøter siden 1. januar 2019:",
        "Fått tilbud om dialogmøte: 2 av 25 (8 %)",
        "Gjennomført dialogmøte: 2 av 25 (8 %)",
        "Invitert til læringsnettverk: 3 av 25 (12 %)",
        "Deltar i læringsnettverk: 1 av 25 (4 %)",
        "Vedtatt plan eller beskrevet prosess: 2 av 25 (8 %)",
    ]
    assert lines[8] == "Ved utgangen av hvert år:"
    assert lines[9:11] == [
        "• 2019: fått tilbud 1, gjennomført 0, invitert 0, deltar 0, plan eller prosess 0",
        "• 2020: fått tilbud 1, gjennomført 1, invitert 2, deltar 1, plan eller prosess 0",
    ]
    assert lines[-1] == (
        "• 2025: fått tilbud 2, gjennomført 2, invitert 3, deltar 1, plan eller prosess 1")
    (chart,) = answer.files
    assert chart.filename == "status-agder-2026-11-24.png"
    assert chart.title == "Agder – kommuner per 24. november 2026"
    assert_chart(chart.content)


def test_status_landet_graf_answers_with_a_row_per_embete_and_the_picture(
        runtime: Runtime) -> None:
    build(runtime)
    answer = reply_to(runtime, "status landet graf")
    assert_reply_within_limits(answer)
    lines = answer.text.splitlines()
    assert lines[0] == "*Hele landet* – andel kommuner i hvert embete per 24. november 2026"
    assert lines[1].startswith("Grafen viser for hvert embete hvor stor andel av kommunene")
    assert lines[2] == ("• Agder: fått tilbud 2 av 25 (8 %), gjennomført 1 av 25 (4 %), "
                        "invitert 3 av 25 (12 %), deltar 1 av 25 (4 %), plan eller prosess "
                        "2 av 25 (8 %)")
    assert len([line for line in lines if line.startswith("• ")]) == 10
    assert lines[-1] == ("*Totalt (357 kommuner):* fått tilbud 3 av 357 (1 %), "
                         "gjennomført 1 av 357 (under 1 %), invitert 3 av 357 (1 %), "
                         "deltar 1 av 357 (under 1 %), plan eller prosess 3 av 357 (1 %)")
    (chart,) = answer.files
    assert chart.filename == "status-landet-2026-11-24.png"
    assert chart.title == "Hele landet – andel kommuner i hvert embete per 24. november 2026"
    assert_chart(chart.content)


def test_an_earlier_year_a_fylke_and_the_own_embete(runtime: Runtime) -> None:
    build(runtime)
    earlier = reply_to(runtime, "status Agder 2020 graf")
    assert earlier.text.splitlines()[:4] == [
        "*Agder* – kommuner over tid per 31. desember 2020",
        earlier.text.splitlines()[1],
        "Per 31. desember 2020, med dialogmøter siden 1. januar 2019:",
        "Fått tilbud om dialogmøte: 1 av 25 (4 %)",
    ]
    assert earlier.text.splitlines()[-1] == "Tallene er regnet på dagens kommunekart."
    assert earlier.files[0].filename == "status-agder-2020-12-31.png"
    landet = reply_to(runtime, "status landet 2020 graf")
    assert landet.text.splitlines()[0] == (
        "*Hele landet* – andel kommuner i hvert embete i 2020")
    assert "• Vestland: fått tilbud 1 av 43 (2 %), gjennomført 1 av 43 (2 %)" in landet.text
    fylke = reply_to(runtime, "status Akershus graf")
    assert fylke.text.splitlines()[0] == (
        "*Akershus fylke* – kommuner over tid per 24. november 2026")
    assert fylke.files[0].title == "Akershus fylke – kommuner per 24. november 2026"
    assert_chart(fylke.files[0].content, colours=0)
    say(runtime, "tilgang gi <@UKARI01|kari> Agder koordinator")
    own = reply_to(runtime, "status graf", "UKARI01")
    assert own.text.splitlines()[0] == "*Agder* – kommuner over tid per 24. november 2026"
    admin = reply_to(runtime, "status graf")
    assert admin.text.splitlines()[0].startswith("*Hele landet*")
    shared = reply_to(runtime, "status Agder graf vis alle")
    assert shared.in_channel and len(shared.files) == 1


def test_an_empty_store_still_draws(runtime: Runtime) -> None:
    for line in ("status landet graf", "status Agder graf", "status Oslo graf"):
        answer = reply_to(runtime, line)
        assert len(answer.files) == 1, line
        png_size(answer.files[0].content)
    assert "Fått tilbud om dialogmøte: 0 av 25 (0 %)" in say(runtime, "status Agder graf")
    assert "Grafen viser om kommunen ved utgangen" in say(runtime, "status Oslo graf")


def test_a_kommune_is_refused_in_a_sentence_and_the_card_is_unchanged(
        runtime: Runtime) -> None:
    refused = reply_to(runtime, "status Lillesand graf")
    assert refused.files == ()
    assert refused.text == (
        "Grafene viser et embete, et fylke eller hele landet, ikke én kommune: skriv for "
        "eksempel `/lhl status Agder graf` eller `/lhl status landet graf`.")
    assert say(runtime, "status Asker graf").startswith(
        "Grafene viser et embete, et fylke eller hele landet, ikke én kommune: skriv for "
        "eksempel `/lhl status Akershus graf`")
    assert say(runtime, "status Lillesand").startswith("*Lillesand* (4215, Agder)")


def test_the_chart_and_the_figures_are_cached_apart(runtime: Runtime) -> None:
    build(runtime)
    for _ in range(2):
        assert reply_to(runtime, "status Agder").files == ()
        assert len(reply_to(runtime, "status Agder graf").files) == 1
    before = reply_to(runtime, "status Agder graf").text
    say(runtime, "logg-møte Iveland i går")
    after = reply_to(runtime, "status Agder graf").text
    assert "Gjennomført dialogmøte: 2 av 25 (8 %)" in before
    assert "Gjennomført dialogmøte: 3 av 25 (12 %)" in after


def test_a_chart_is_drawn_anew_and_never_kept_in_the_reply_cache(runtime: Runtime) -> None:
    build(runtime)
    first = reply_to(runtime, "status Agder graf")
    second = reply_to(runtime, "status Agder graf")
    assert first.files == second.files and first.files[0] is not second.files[0]
    assert reply_to(runtime, "status Agder") is reply_to(runtime, "status Agder")


def test_help_names_the_chart(runtime: Runtime) -> None:
    assert "status landet graf" in say(runtime, "hjelp status")


# --- the counting and the drawing on their own ------------------------------------------------


def test_month_ends_run_from_the_first_day_to_the_last() -> None:
    assert month_ends(date(2019, 1, 1), date(2019, 3, 10)) == [
        date(2019, 1, 1), date(2019, 1, 31), date(2019, 2, 28), date(2019, 3, 10)]
    assert month_ends(date(2019, 1, 1), date(2020, 2, 29))[-3:] == [
        date(2019, 12, 31), date(2020, 1, 31), date(2020, 2, 29)]
    assert month_ends(date(2019, 1, 1), date(2019, 1, 31)) == [
        date(2019, 1, 1), date(2019, 1, 31)]


def test_counted_by_and_taking_part_on() -> None:
    days = [date(2020, 1, 31), date(2020, 2, 29), date(2020, 3, 31)]
    assert counted_by([date(2020, 2, 29), None, date(2020, 1, 1), date(2021, 1, 1)], days) == (
        1, 2, 2)
    periods = [Period("4215", date(2020, 2, 1), date(2020, 3, 1)),
               Period("4215", date(2020, 2, 15), None),
               Period("4203", date(2020, 3, 31), date(2020, 3, 31))]
    assert taking_part_on(periods, days) == (0, 1, 1)


def test_labels_at_the_lines_ends_never_touch() -> None:
    assert spread([25, 25, 25, 14, 21], gap=1.5) == [26.5, 25.0, 23.5, 14.0, 21.0]
    assert spread([0, 0, 10], gap=2) == [2.0, 0.0, 10.0]
    placed = spread([1, 1, 1, 1, 1], gap=0.1, high=1.06)
    assert max(placed) <= 1.06 + 1e-9
    ordered = sorted(placed)
    assert min(b - a for a, b in pairwise(ordered)) >= 0.1 - 1e-9


def test_the_time_axis_speaks_norwegian() -> None:
    ticks, labels = time_ticks(date(2019, 1, 1), date(2026, 11, 24))
    assert labels == [str(y) for y in range(2019, 2027)]
    assert ticks[0] == date(2019, 1, 1) and ticks[-1] == date(2026, 1, 1)
    ticks, labels = time_ticks(date(2019, 1, 1), date(2019, 12, 31))
    assert ticks == [date(2019, 1, 1), date(2019, 4, 1), date(2019, 7, 1), date(2019, 10, 1)]
    assert labels == ["jan. 2019", "apr.", "juli", "okt."]
    assert all(label.split()[0].rstrip(".") in {m[:3] for m in MONTHS} | {"juli"}
               for label in labels)


def test_the_renderers_take_plain_figures() -> None:
    rows = [CoverageRow(f"Embete {i}", 20, (i, 2 * i, 20, 1, 20 - i)) for i in range(10)]
    total = CoverageRow("Hele landet", 200, (45, 90, 200, 10, 155))
    assert_chart(coverage_png(rows, MEASURES, title="Hele landet – andel", total=total))
    days = month_ends(date(2019, 1, 1), TODAY)
    lines = [Line(label, tuple(min(20, i // (k + 2)) for i in range(len(days))))
             for k, label in enumerate(MEASURES)]
    assert_chart(over_time_png(days, lines, total=20, title="Agder – kommuner"))

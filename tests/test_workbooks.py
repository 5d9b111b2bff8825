"""``commands/workbooks.py``: sheets of typed cells written as ``.xlsx`` and CSV and read back
(openpyxl, ``csv``): what each type becomes, the table's header, and user text that must never
run as a formula. And ``/lhl arrangementer … --xlsx|--csv``, which writes its rows with it."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from bot.runtime import Runtime
from commands.workbooks import (
    Percent,
    Sheet,
    Strong,
    csv_bytes,
    file_kind_asked,
    file_name,
    percent,
    workbook_bytes,
)
from tests.support.clock import at
from tests.support.runtime import grant, reply_to, say
from tests.support.store import set_clock

KARI = "UKARI01"


def sheet() -> Sheet:
    return Sheet("Kommuner", ("Nr", "Navn", "Dato", "Andel", "Antall", "Snitt", "Ja"), [
        ("0301", "Oslo", date(2027, 5, 1), Percent(0.48), 12, 2.5, True),
        ("4215", "=HYPERLINK(\"http://x\")", None, percent(1, 3), 0, 0.25, False),
        ("4216", "Birkenes\x07", date(2026, 12, 24), percent(0, 0), None, None, None),
    ])


def test_each_type_of_cell_in_the_workbook() -> None:
    book = load_workbook(io.BytesIO(workbook_bytes([sheet()])))
    ws = book["Kommuner"]
    assert [c.value for c in ws[1]] == ["Nr", "Navn", "Dato", "Andel", "Antall", "Snitt", "Ja"]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G4"
    oslo = ws[2]
    assert (oslo[0].value, oslo[0].data_type) == ("0301", "s")  # the leading zero kept
    assert oslo[2].is_date and oslo[2].value == datetime(2027, 5, 1)
    assert oslo[2].number_format == "dd.mm.yyyy"
    assert (oslo[3].value, oslo[3].number_format) == (0.48, "0 %")
    assert (oslo[4].value, oslo[4].data_type) == (12, "n")
    assert oslo[5].value == 2.5 and oslo[6].value == "ja"
    formula = ws[3][1]
    assert (formula.value, formula.data_type) == ('=HYPERLINK("http://x")', "s")
    assert ws[3][3].value == pytest.approx(1 / 3) and ws[3][6].value == "nei"
    assert ws[4][1].value == "Birkenes"  # a control character a workbook cannot hold
    assert ws[4][3].value == 0 and ws[4][4].value is None
    assert ws.column_dimensions["B"].width == len('=HYPERLINK("http://x")') + 2


def test_a_free_sheet_and_titles_excel_accepts() -> None:
    summary = Sheet("Sammendrag: 1/2 [utkast]", (), [(Strong("Tall"), 3), (), ("Tekst",)],
                    table=False, widths=(40, 10), wrap_columns=(0,))
    book = load_workbook(io.BytesIO(workbook_bytes([summary, sheet(), sheet()])))
    assert book.sheetnames == ["Sammendrag  1 2  utkast", "Kommuner", "Kommuner (2)"]
    ws = book.worksheets[0]
    assert ws.freeze_panes is None and ws.auto_filter.ref is None
    assert ws["A1"].font.b and ws["A1"].value == "Tall" and ws["B1"].value == 3
    assert ws["A3"].alignment.wrap_text
    assert ws.column_dimensions["A"].width == 40


def test_the_csv_opens_in_norwegian_excel_and_reads_back() -> None:
    content = csv_bytes(sheet())
    assert content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Nr", "Navn", "Dato", "Andel", "Antall", "Snitt", "Ja"],
        ["0301", "Oslo", "2027-05-01", "48", "12", "2,5", "ja"],
        ["4215", "'=HYPERLINK(\"http://x\")", "", "33", "0", "0,25", "nei"],
        ["4216", "Birkenes\x07", "2026-12-24", "0", "", "", ""],
    ]


def test_file_names_are_ascii() -> None:
    assert file_name("lhl-rapport", "Østfold, Buskerud, Oslo og Akershus", date(2027, 5, 1),
                     extension="xlsx") == (
        "lhl-rapport-ostfold-buskerud-oslo-og-akershus-2027-05-01.xlsx")
    assert file_name("lhl-rapport", "Møre og Romsdal", date(2027, 11, 1), extension="csv") == (
        "lhl-rapport-more-og-romsdal-2027-11-01.csv")


@pytest.mark.parametrize(("text", "rest", "kind"), [
    ("Agder --csv", "Agder", "csv"),
    ("Agder -csv", "Agder", "csv"),
    ("csv Agder 2026", "Agder 2026", "csv"),
    ("Agder XLSX", "Agder", "xlsx"),
    ("Agder excel", "Agder", "xlsx"),
    ("Agder", "Agder", None),
])
def test_the_words_asking_for_a_file(text: str, rest: str, kind: str | None) -> None:
    assert file_kind_asked(text) == (rest, kind)


# --- the events overview as a file ------------------------------------------------------------


def events(rt: Runtime) -> None:
    grant(rt, KARI, "Agder")
    set_clock(rt, at(2027, 3, 1))
    for line in ('arrangement ny seminar "=1+1" i går målgruppe: kjøkkenledere hovedtema: '
                 "mat og måltider",
                 'arrangement ny konferanse "Leve hele livet i Agder" 12. mai målgruppe: ledere '
                 "og politikere hovedtema: aktivitet ønsker: hdir, hod"):
        assert say(rt, line, KARI).startswith("Lagret"), line
    assert say(rt, 'arrangement ny webinar "Vest" 3. mai målgruppe: alle hovedtema: x '
                   "embete: Vestland").startswith("Lagret")


def test_the_overview_as_a_workbook_has_a_row_per_event(runtime: Runtime) -> None:
    events(runtime)
    reply = reply_to(runtime, "arrangementer Agder 2027 --xlsx", KARI)
    (file,) = reply.files
    assert file.filename == "lhl-arrangementer-agder-2027.xlsx"
    assert reply.text.splitlines()[0] == "*Arrangementer for Statsforvalteren i Agder i 2027* (2)"
    ws = load_workbook(io.BytesIO(file.content))["Arrangementer"]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == ("Nr", "Dato", "Holdt eller planlagt", "Type", "Tittel", "Målgruppe",
                       "Hovedtema", "Innsatsområder", "Embete", "Ønsker Hdir",
                       "Ønsker HOD/politisk ledelse", "Ført")
    assert rows[1:] == [
        (1, datetime(2027, 2, 28), "holdt", "seminar", "=1+1", "kjøkkenledere",
         "mat og måltider", "Mat og måltider", "Statsforvalteren i Agder", "nei", "nei",
         datetime(2027, 3, 1)),
        (2, datetime(2027, 5, 12), "planlagt", "konferanse", "Leve hele livet i Agder",
         "ledere og politikere", "aktivitet", "Aktivitet og fellesskap",
         "Statsforvalteren i Agder", "ja", "ja", datetime(2027, 3, 1)),
    ]
    assert ws["E2"].data_type == "s"  # the title is text, never a formula


def test_the_overview_as_csv_and_for_the_whole_country(runtime: Runtime) -> None:
    events(runtime)
    reply = reply_to(runtime, "arrangementer landet kommende csv")
    (file,) = reply.files
    assert file.filename == "lhl-arrangementer-landet-kommende.csv"
    rows = list(csv.reader(io.StringIO(file.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[1:5] for r in rows[1:]] == [
        ["2027-05-03", "planlagt", "webinar", "Vest"],
        ["2027-05-12", "planlagt", "konferanse", "Leve hele livet i Agder"]]
    assert rows[1][8] == "Statsforvalteren i Vestland"
    listing = say(runtime, "arrangementer landet kommende")
    assert "«Vest»" in listing and reply_to(runtime, "arrangementer landet kommende").files == ()
    assert say(runtime, "arrangementer Rogaland --xlsx").startswith(
        "Ingen arrangementer er ført for Statsforvalteren i Rogaland")

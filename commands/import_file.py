"""A spreadsheet as ``/lhl import`` reads it: the header row found, each column named by what it
holds, and the rows under it with their numbers as the user sees them in Excel.

A workbook (``.xlsx``) is read with openpyxl, values only (a formula gives the value Excel last
computed), each sheet in turn until one has a header row; a CSV file (``.csv``) may be separated
by ``;`` (what Excel writes in Norway), ``,`` or tabs, in UTF-8 with or without a byte order mark,
or in Windows-1252 (what older Excel writes).

A header is matched loosely: case, æøå, punctuation and a parenthesis (``Dialogmøte holdt
(dato)``) do not matter, and each field has its synonyms (:data:`HEADERS`). The header row is the
first of the first :data:`HEADER_ROWS` rows that has a kommune column; a title above it is fine.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from commands.base import FileIn, UsageError, check_file
from commands.parse.places import key
from voice.words import echo, join_names

Cell = str | int | float | date | datetime | bool | None
"""What a cell holds: text, a number, a date cell, or nothing."""

HEADER_ROWS = 10
"""The header row is looked for among this many rows at the top of a sheet."""
HELP_SHEET = "Slik fyller du ut"
"""The template's sheet of explanations (``commands.import_template``): never read."""
MOST_ROWS = 5000
"""Rows under the header a file may have (every kommune, with room for a row per meeting)."""

HEADERS: dict[str, tuple[str, ...]] = {
    "kommune": ("Kommune", "Kommunenavn", "Kommune navn"),
    "kommunenr": ("Kommunenr", "Kommunenummer", "Kommune nr", "Knr"),
    "tilbud": ("Tilbud om dialogmøte", "Tilbudt dialogmøte", "Fått tilbud om dialogmøte",
               "Dialogmøte tilbudt", "Tilbud", "Tilbudt", "Dato tilbud"),
    "holdt": ("Dialogmøte holdt", "Gjennomført dialogmøte", "Dialogmøte gjennomført",
              "Holdt", "Gjennomført", "Dialogmøte", "Møtedato", "Dato dialogmøte", "Dato"),
    "tema": ("Tema",),
    "med": ("Med", "Sammen med"),
    "notat": ("Notat", "Referat", "Notat fra møtet"),
    "invitert": ("Invitert til læringsnettverk", "Invitert", "Invitert til nettverk",
                 "Invitasjon", "Dato invitert"),
    "deltar": ("Deltar i læringsnettverk", "Deltar", "Deltar fra", "Deltar i nettverk",
               "Deltakelse"),
    "nettverk": ("Læringsnettverk", "Nettverk", "Navn på nettverk", "Navn på læringsnettverk"),
    "plan": ("Plan", "Planstatus", "Status plan", "Vedtatt plan eller beskrevet prosess",
             "Plan eller prosess"),
    "plandato": ("Plandato", "Dato plan", "Plan dato", "Dato for plan"),
    "vedtatt": ("Plan vedtatt", "Vedtatt plan", "Vedtatt"),
    "prosess": ("Prosess beskrevet", "Beskrevet prosess", "Prosess"),
    "fase": ("Fase", "Fase i reformen", "Reformfase"),
    "fasedato": ("Fasedato", "Fase dato", "Fase fra", "Dato fase"),
}
"""Each field the import reads, and the headers that name it (the first is the template's)."""
DATE_FIELDS = ("tilbud", "holdt", "invitert", "deltar", "plandato", "vedtatt", "prosess",
               "fasedato")
KOMMUNE_FIELDS = ("kommune", "kommunenr")
_BY_KEY = {key(h): f for f, names in HEADERS.items() for h in names}
_PARENTHESIS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def field_of(header: str) -> str | None:
    """The field a header names (``Dialogmøte holdt (dato)`` → ``holdt``), or None. A header
    one letter off a known one (``Dialogmøte hold``) counts too; more is not guessed."""
    wanted = key(_PARENTHESIS.sub(" ", header))
    if not wanted:
        return None
    found = _BY_KEY.get(wanted)
    if found is None:
        close = difflib.get_close_matches(wanted, list(_BY_KEY), n=1, cutoff=0.9)
        found = _BY_KEY[close[0]] if close else None
    return found


@dataclass(frozen=True)
class Table:
    """The rows of a file under its header row: ``columns`` says which column (index) holds
    each field, ``headers`` the header as written."""

    name: str
    """The file's name."""
    sheet: str | None
    """The sheet read (a workbook), None for a CSV file."""
    columns: dict[str, int]
    headers: dict[str, str]
    unknown: tuple[str, ...]
    """Headers no field has: not read."""
    repeated: tuple[tuple[str, str], ...]
    """A field's second column and the header of the first, which is read: the second is
    not."""
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    """Each row under the header that is not empty, with its number (1 = the sheet's first)."""

    def cell(self, cells: Sequence[Cell], field: str) -> Cell:
        """What a row holds for ``field`` (None when the file has no such column)."""
        at = self.columns.get(field)
        if at is None or at >= len(cells):
            return None
        return cells[at]


def read_table(file: FileIn) -> Table:
    """The table a file holds; UsageError with one sentence when it cannot be read or has no
    kommune column."""
    check_file(file.name, len(file.content))
    sheets: list[tuple[str | None, Iterable[Sequence[Cell]]]] = (
        [(None, _csv_rows(file))] if file.name.lower().endswith(".csv")
        else _workbook_sheets(file))
    for sheet, rows in sheets:
        table = _table(file.name, sheet, rows)
        if table is not None:
            return table
    raise UsageError(
        f"Jeg fant ingen kolonne for kommunen i «{echo(file.name)}»: en av de første "
        f"{HEADER_ROWS} radene skal ha overskrifter, blant dem «Kommune» eller «Kommunenr». "
        "Hent en mal med `/lhl import mal`.")


def _table(name: str, sheet: str | None, rows: Iterable[Sequence[Cell]]) -> Table | None:
    found: tuple[int, Sequence[Cell]] | None = None
    data: list[tuple[int, tuple[Cell, ...]]] = []
    for number, cells in enumerate(rows, 1):
        if found is None:
            if number > HEADER_ROWS:
                return None
            if any(field_of(str(c)) in KOMMUNE_FIELDS for c in cells if _text(c)):
                found = (number, cells)
            continue
        if any(_text(c) for c in cells):
            if len(data) >= MOST_ROWS:
                raise UsageError(f"«{echo(name)}» har over {MOST_ROWS} rader under "
                                 "overskriftene; del den opp i flere filer.")
            data.append((number, tuple(cells)))
    if found is None:
        return None
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    repeated: list[tuple[str, str]] = []
    for at, cell in enumerate(found[1]):
        header = _text(cell)
        if not header:
            continue
        field = field_of(header)
        if field is None:
            unknown.append(header)
            continue
        if field in columns:
            repeated.append((header, headers[field]))
            continue
        columns[field], headers[field] = at, header
    if not set(columns) - set(KOMMUNE_FIELDS):
        raise UsageError(
            f"«{echo(name)}» har ingen kolonner jeg kan importere, bare kommunen; skriv for "
            f"eksempel {_known_headers()} i overskriftsraden, eller hent en mal med "
            "`/lhl import mal`.")
    return Table(name, sheet, columns, headers, tuple(unknown), tuple(repeated), tuple(data))


def _known_headers() -> str:
    return join_names([f"«{HEADERS[f][0]}»" for f in ("tilbud", "holdt", "invitert", "plan")])


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip()


# --- the two kinds of file --------------------------------------------------------------------


def _workbook_sheets(file: FileIn) -> list[tuple[str | None, Iterable[Sequence[Cell]]]]:
    from openpyxl import load_workbook  # 0.2–0.3 s to import the first time: only here

    try:
        book = load_workbook(io.BytesIO(file.content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise UsageError(
            f"«{echo(file.name)}» kan ikke leses som en Excel-arbeidsbok; lagre den på nytt som "
            ".xlsx (Excel-arbeidsbok) eller .csv og prøv igjen.") from None
    sheets: list[tuple[str | None, Iterable[Sequence[Cell]]]] = []
    for sheet in book.worksheets:
        if sheet.title == HELP_SHEET:
            continue
        reset = getattr(sheet, "reset_dimensions", None)
        if reset is not None:  # a read-only sheet: its stored size may be wrong
            reset()
        sheets.append((sheet.title, _values(sheet.iter_rows(min_row=1, values_only=True))))
    return sheets


def _values(rows: Iterable[Sequence[Any]]) -> Iterable[Sequence[Cell]]:
    for row in rows:
        yield tuple(c if isinstance(c, str | int | float | date | bool) or c is None else str(c)
                    for c in row)


def _csv_rows(file: FileIn) -> list[list[str]]:
    try:
        text = file.content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = file.content.decode("cp1252", errors="replace")
    top = [line for line in text.splitlines()[:HEADER_ROWS] if line.strip()]
    delimiter = max((";", ",", "\t"), key=lambda d: max((line.count(d) for line in top),
                                                       default=0))
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))

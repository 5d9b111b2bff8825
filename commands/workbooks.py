"""Spreadsheets out of rows: an ``.xlsx`` workbook or a CSV file, as bytes to attach to a reply.

Knows nothing of what the rows are (the report, the events overview, the import template use
it alike). A :class:`Sheet` is a title, a header and rows of typed cells; the cell's Python type
decides how it is written:

=================  ==========================================  ===============================
cell               in the workbook                             in the CSV
=================  ==========================================  ===============================
``str``            text (never a formula, even ``=SUM(…)``)    as is (``'`` before ``= + - @``)
``int``/``float``  a number                                    ``12`` / ``12,5`` (decimal comma)
``date``           a date cell shown ``dd.mm.yyyy``            ISO ``2027-05-01``
``bool``           ``ja``/``nei``                              ``ja``/``nei``
:class:`Percent`   a number shown ``48 %`` (the cell holds     ``48`` (whole per cent)
                   the fraction 0,48)
:class:`Strong`    bold text (a heading inside a sheet)        the text
``None``           an empty cell                               empty
=================  ==========================================  ===============================

A *table* sheet (the default) has its header row bold and frozen and an autofilter over the
rows; column widths follow the longest value (within bounds). The CSV is the rows of one sheet,
UTF-8 with a byte-order mark and ``;`` between fields, which Excel in Norwegian opens as
columns without an import dialogue.

A string that starts with ``=`` would be a formula to openpyxl and to Excel; user text (an
event's title) must never run as one, so it is stored as text in the workbook and quoted with
``'`` in the CSV (the usual guard against formula injection).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as WrittenCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from voice.text import fold

XLSX = "xlsx"
CSV = "csv"
DATE_FORMAT = "dd.mm.yyyy"
"""How a date cell is shown: ``01.05.2027``, as dates are written in Norway."""
PERCENT_FORMAT = "0 %"
MIN_WIDTH = 6
MAX_WIDTH = 60
HEADER_WIDTH = 24
"""A header longer than this wraps onto more lines rather than widen its column."""
SHEET_TITLE_CHARS = 31
"""Excel's limit on a sheet's name."""
CELL_CHARS = 32_767
"""Excel's limit on the text of one cell."""
_NOT_IN_TITLE = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Percent:
    """A share as a fraction (0.48), written ``48 %``."""

    fraction: float


@dataclass(frozen=True)
class Strong:
    """Text shown bold: a heading line inside a sheet such as a summary."""

    text: str


Cell = str | int | float | date | bool | Percent | Strong | None


@dataclass(frozen=True)
class Sheet:
    """One sheet: ``header`` (may be empty) and ``rows`` of cells. ``table``: the header is
    bold and frozen and the rows get an autofilter; otherwise the sheet is free text and
    numbers (a summary). ``widths`` overrides the computed column widths (characters)."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    table: bool = True
    widths: Sequence[int] | None = None
    wrap_columns: Sequence[int] = ()
    """Columns (0-based) whose text wraps within its width (a long draft text)."""


FORMAT_WORDS = {"csv": CSV, "-csv": CSV, "--csv": CSV, "xlsx": XLSX, "-xlsx": XLSX,
                "--xlsx": XLSX, "excel": XLSX}
"""How a command is asked for a file: ``--csv``, ``csv``, ``--xlsx``, ``xlsx``, ``excel``
(Slack may turn ``--`` into a dash, which ``voice.text.normalize`` makes ``-`` again)."""


def file_kind_asked(text: str) -> tuple[str, str | None]:
    """``text`` without the words asking for a file, and the kind asked for (the last one
    written; None when none is)."""
    kind = None
    kept = []
    for word in text.split():
        if fold(word) in FORMAT_WORDS:
            kind = FORMAT_WORDS[fold(word)]
        else:
            kept.append(word)
    return " ".join(kept), kind


def percent(n: int, total: int) -> Percent:
    """``n`` of ``total`` as a :class:`Percent` (0 when there is no total)."""
    return Percent(n / total if total else 0.0)


def file_name(*parts: str | date, extension: str) -> str:
    """``lhl-rapport-agder-2027-05-01.xlsx``: the parts folded to ASCII, lower case, joined
    with ``-``."""
    words = [p.isoformat() if isinstance(p, date) else _ascii(p) for p in parts]
    return "-".join(w for w in words if w) + f".{extension}"


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


# --- the workbook -----------------------------------------------------------------------------


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An ``.xlsx`` file of ``sheets``, in order."""
    book = Workbook(write_only=True)
    titles: set[str] = set()
    for sheet in sheets:
        ws = book.create_sheet(_title(sheet.title, titles))
        _write_sheet(ws, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _title(wanted: str, taken: set[str]) -> str:
    base = _NOT_IN_TITLE.sub(" ", wanted).strip()[:SHEET_TITLE_CHARS] or "Ark"
    title, n = base, 2
    while title.lower() in taken:
        tail = f" ({n})"
        title, n = base[: SHEET_TITLE_CHARS - len(tail)] + tail, n + 1
    taken.add(title.lower())
    return title


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    columns = max([len(sheet.header), *(len(r) for r in sheet.rows)], default=0)
    widths = list(sheet.widths) if sheet.widths is not None else _widths(sheet, columns)
    for i, width in enumerate(widths[:columns], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    if sheet.table and sheet.header:
        ws.freeze_panes = "A2"
        last = get_column_letter(max(columns, 1))
        ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
    if sheet.header:
        ws.append([_cell(ws, Strong(h), wrap=len(h) > HEADER_WIDTH) for h in sheet.header])
    wrap = frozenset(sheet.wrap_columns)
    for row in sheet.rows:
        ws.append([_cell(ws, value, wrap=i in wrap) for i, value in enumerate(row)])


def _cell(ws: Worksheet, value: Cell, *, wrap: bool = False) -> WrittenCell:
    if isinstance(value, Strong):
        cell = WriteOnlyCell(ws, _clean(value.text))
        cell.font = _BOLD
        cell.data_type = "s"
    elif isinstance(value, Percent):
        cell = WriteOnlyCell(ws, value.fraction)
        cell.number_format = PERCENT_FORMAT
    elif isinstance(value, bool):
        cell = WriteOnlyCell(ws, "ja" if value else "nei")
    elif isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value.replace(tzinfo=None))
        cell.number_format = f"{DATE_FORMAT} hh:mm"
    elif isinstance(value, date):
        cell = WriteOnlyCell(ws, datetime.combine(value, time()))
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        cell = WriteOnlyCell(ws, _clean(value))
        cell.data_type = "s"  # text, never a formula
    else:
        cell = WriteOnlyCell(ws, value)
    if wrap:
        cell.alignment = _WRAP
    return cell


def _clean(text: str) -> str:
    """Without the control characters a workbook cannot hold, within a cell's length."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:CELL_CHARS]


def _widths(sheet: Sheet, columns: int) -> list[int]:
    widths = [MIN_WIDTH] * columns
    for i, h in enumerate(sheet.header):
        widths[i] = max(widths[i], min(len(h), HEADER_WIDTH) + 2)
    for row in sheet.rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], _shown_length(value) + 2)
    return [min(w, MAX_WIDTH) for w in widths]


def _shown_length(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, Strong):
        return len(value.text) + 1
    if isinstance(value, Percent):
        return 5
    if isinstance(value, bool):
        return 3
    if isinstance(value, date):
        return 10
    return len(str(value))


# --- the CSV ----------------------------------------------------------------------------------


def csv_bytes(sheet: Sheet) -> bytes:
    """The header and rows of ``sheet`` as CSV: UTF-8 with BOM, ``;``, ISO dates."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    if sheet.header:
        writer.writerow([_csv_text(h) for h in sheet.header])
    for row in sheet.rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Strong):
        return _csv_text(value.text)
    if isinstance(value, Percent):
        return str(round(value.fraction * 100))
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return _csv_text(value)


def _csv_text(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_START) else text

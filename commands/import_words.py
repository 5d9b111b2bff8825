"""How ``/lhl import`` says what a file holds and what an import added, in the dry run, in its
answer and in ``/lhl logg`` alike: ``19 dialogmøter holdt, 4 tilbud om dialogmøte, 12
invitasjoner til læringsnettverk``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from commands.import_rows import HELD, INVITED, JOINED, KINDS, OFFERED, PHASE, PLAN
from voice.words import echo, join_names

FILE_CHARS = 60
"""A file's name is shown at most this long."""
_NOUNS = {
    HELD: ("dialogmøte holdt", "dialogmøter holdt"),
    OFFERED: ("tilbud om dialogmøte", "tilbud om dialogmøte"),
    INVITED: ("invitasjon til læringsnettverk", "invitasjoner til læringsnettverk"),
    JOINED: ("deltakelse i læringsnettverk", "deltakelser i læringsnettverk"),
    PLAN: ("plan eller prosess", "planer eller prosesser"),
    PHASE: ("fase", "faser"),
}


def counted(n: int, one: str, many: str) -> str:
    """``1 rad``, ``23 rader``."""
    return f"{n} {one if n == 1 else many}"


def counts_in_words(counts: Mapping[str, int]) -> str:
    """``19 dialogmøter holdt, 4 tilbud om dialogmøte og 8 faser`` (kinds with none left
    out)."""
    return join_names([counted(counts[k], *_NOUNS[k]) for k in KINDS if counts.get(k)])


def file_name(name: str) -> str:
    return f"«{echo(name, FILE_CHARS)}»"


def import_in_words(state: Mapping[str, Any]) -> str:
    """An import as ``/lhl logg`` lists it: ``import av «dialogmøter.xlsx»: 23 rader (19
    dialogmøter holdt, 4 tilbud om dialogmøte)``."""
    what = counts_in_words(state.get("counts") or {})
    rows = counted(int(state.get("rows") or 0), "rad", "rader")
    return f"import av {file_name(str(state['file']))}: {rows}" + (f" ({what})" if what else "")

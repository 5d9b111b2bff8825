"""Labelled parts of a command (``tema: …``, ``med: …``, ``notat: …``) and checks on free text."""

from __future__ import annotations

import re

from commands.base import UsageError
from voice.reply import said
from voice.text import fold
from voice.words import echo, join_names

# Eleven digits, optionally written 6+5 with a space, dot or dash: the form of a Norwegian
# national identity number (fødselsnummer or D-nummer).
_IDENTITY_NUMBER = re.compile(r"(?<!\d)\d{6}[ .-]?\d{5}(?!\d)")
# A word and a colon (``sted: Oslo``), but not a time (``10:30``) or a link (``https://``).
_LABEL_LIKE = re.compile(r"(?:^|\s)([^\W\d_][\w-]*)\s*:(?!//)")


_NUMBER = re.compile(r"^#?\s*(\d{1,9})$")


def number(text: str, refusal: str) -> int:
    """The number of a record (``12`` or ``#12``) that a command acts on, or UsageError with
    ``refusal`` (the sentence saying what number, and where the numbers are shown)."""
    found = _NUMBER.match(text.strip())
    if found is None:
        raise UsageError(refusal)
    return int(found[1])


def split_labels(text: str, labels: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """``"Lillesand i går tema: mat med: KS"`` → ``("Lillesand i går", {"tema": "mat",
    "med": "KS"})``. Each label runs to the next one; a label given twice is an error."""
    pattern = re.compile(r"(?:^|\s)(" + "|".join(map(re.escape, labels)) + r")\s*:", re.I)
    matches = list(pattern.finditer(text))
    head = text[: matches[0].start()].strip() if matches else text.strip()
    values: dict[str, str] = {}
    for i, m in enumerate(matches):
        label = m.group(1).lower()
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        if label in values:
            raise UsageError(f"Du har skrevet «{label}:» to ganger; skriv det én gang, "
                             f"for eksempel `{label}: {example_value(label)}`.")
        values[label] = text[m.end():end].strip()
    return head, values


def refuse_empty_labels(labels: dict[str, str], optional: tuple[str, ...]) -> None:
    """Refuse an optional field written with nothing after its colon (``tema:``), which would
    otherwise be stored as no field without a word."""
    for label in optional:
        if label in labels and not labels[label]:
            raise UsageError(f"«{label}:» står uten noe etter seg; skriv det etter kolon, for "
                             f"eksempel `{label}: {example_value(label)}`, eller ta feltet "
                             "bort.", field=label)


_EXAMPLE_VALUE = {"tema": "mat og måltider", "hovedtema": "mat og måltider",
                  "med": "KS og USHT", "notat": "ringer tilbake i januar",
                  "deltakere": "Lillesand og Vennesla", "omrade": "mat", "omrader": "mat",
                  "omraade": "mat", "omraader": "mat",
                  "lenke": "https://www.grimstad.kommune.no/mat",
                  "link": "https://www.grimstad.kommune.no/mat",
                  "url": "https://www.grimstad.kommune.no/mat"}
"""What a refusal about a field shows after its label, by the label folded (``område`` →
``omrade``)."""


def example_value(label: str) -> str:
    """A value that fits ``label`` (``lenke`` → an address), for a refusal's example; a
    theme for a label not listed."""
    return _EXAMPLE_VALUE.get(fold(label), "mat og måltider")


def refuse_unknown_labels(head: str, labels: tuple[str, ...], *, command: str, example: str
                          ) -> None:
    """Refuse a field that ``command`` does not have (``sted: Oslo``) in ``head``, the text
    before its known fields, naming it and the fields there are."""
    m = _LABEL_LIKE.search(head)
    if m is None:
        return
    known = join_names([f"`{label}:`" for label in labels])
    raise UsageError(f"Feltet «{said(echo(m[1]))}:» kjenner jeg ikke; {command} har feltene "
                     f"{known}, for eksempel `/lhl {example}`.")


_THE_FIELD = {"tema": "Temaet", "notat": "Notatet", "med": "«med:»", "navn": "Navnet",
              "tittel": "Tittelen", "malgruppe": "Målgruppen", "hovedtema": "Hovedtemaet",
              "tekst": "Teksten", "begrunnelse": "Begrunnelsen", "lenke": "Lenken"}
"""How a sentence names a field: bokmål wants the definite form (``Notatet er …``)."""


def _the(field: str) -> str:
    return _THE_FIELD.get(field, f"«{field}:»")


IDENTITY_NUMBER = "identity_number"
"""The ``reason`` of :func:`refuse_identity_numbers`' refusal."""


def refuse_identity_numbers(text: str, field: str) -> None:
    """Refuse free text that looks like it holds a national identity number."""
    if _IDENTITY_NUMBER.search(text):
        raise UsageError(
            f"{_the(field)} ser ut til å inneholde et fødselsnummer (11 sifre), så "
            "ingenting ble lagret: lhl fører arbeidet med kommunene, ikke personopplysninger. "
            "Skriv det uten nummeret.", field=field, reason=IDENTITY_NUMBER,
        )


def check_length(text: str, field: str, limit: int) -> None:
    if len(text) > limit:
        raise UsageError(
            f"{_the(field)} er {len(text)} tegn, men kan være høyst {limit}; "
            "skriv det kortere.", field=field,
        )

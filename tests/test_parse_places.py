"""Kommuner, embeter and status scopes from what coordinators type."""

from __future__ import annotations

import dataclasses
import time

import pytest

from commands.base import UsageError
from commands.parse.places import resolve_embete, resolve_kommune, resolve_kommuner, resolve_scope
from storage.reference import KOMMUNER_CSV, Geography, _read_csv, geography_from_rows

OBOA = "ostfold-buskerud-oslo-og-akershus"
STATUS_FORM = "`/lhl status [embete|fylke|kommune|landet] [år]`"


@pytest.fixture(scope="module")
def geo() -> Geography:
    return geography_from_rows(_read_csv(KOMMUNER_CSV))


def _error(call: object) -> str:
    assert callable(call)
    with pytest.raises(UsageError) as raised:
        call()
    return str(raised.value)


# --- one kommune ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "nummer"), [
    ("Bærum", "3201"),
    ("baerum", "3201"),
    ("BÆRUM", "3201"),
    ("  Bærum kommune ", "3201"),
    ("aalesund", "1508"),
    ("Ålesund", "1508"),
    ("tromso", "5501"),
    ("Tromsø", "5501"),
    ("4204", "4204"),
    ("0301", "0301"),
    ("Oslo", "0301"),
    ("Nord-Fron", "3436"),
    ("nord fron", "3436"),
    ("Nord-Aurdal", "3451"),
    ("Indre Østfold", "3118"),
    ("indre ostfold", "3118"),
    ("Evje og Hornnes", "4219"),
    ("Aurskog-Høland", "3226"),
    ("Herøy (Nordland)", "1818"),
    ("Herøy Nordland", "1818"),
    ("Herøy i Nordland", "1818"),
    ("herøy i møre og romsdal", "1515"),
    ("Herøy (Møre og Romsdal)", "1515"),
    ("Herøy Møre", "1515"),
    ("1818", "1818"),
    ("Våler (Østfold)", "3114"),
    ("Våler i Innlandet", "3419"),
    ("Våler Hedmark", "3419"),
    ("valer ostfold", "3114"),
])
def test_kommune_by_name_or_number(geo: Geography, text: str, nummer: str) -> None:
    assert resolve_kommune(text, geo).kommune.nummer == nummer


@pytest.mark.parametrize(("text", "navn", "nummer"), [
    ("Herøy", ("Herøy (Møre og Romsdal)", "Herøy (Nordland)"), "1818"),
    ("heroy", ("Herøy (Møre og Romsdal)", "Herøy (Nordland)"), "1818"),
    ("Herøy i Agder", ("Herøy (Møre og Romsdal)", "Herøy (Nordland)"), "1818"),
    ("Våler", ("Våler (Østfold)", "Våler (Innlandet)"), "3419"),
])
def test_shared_name_is_never_guessed(
    geo: Geography, text: str, navn: tuple[str, str], nummer: str
) -> None:
    message = _error(lambda: resolve_kommune(text, geo))
    base = navn[0].split(" (")[0]
    assert message.startswith(f"Det finnes to kommuner som heter {base}: ")
    assert f"{navn[0]} og {navn[1]}" in message
    assert f"«{navn[1]}»" in message
    assert f"kommunenummeret {nummer}" in message


def test_shared_name_message_in_full(geo: Geography) -> None:
    assert _error(lambda: resolve_kommune("Herøy", geo)) == (
        "Det finnes to kommuner som heter Herøy: Herøy (Møre og Romsdal) og Herøy (Nordland). "
        "Skriv for eksempel «Herøy (Nordland)» eller kommunenummeret 1818."
    )


@pytest.mark.parametrize(("text", "suggested"), [
    ("Kristiansnd", "Kristiansand"),
    ("Lilesand", "Lillesand"),
    ("Vennsla", "Vennesla"),
    ("Fredrikstadt", "Fredrikstad"),
    ("Evje og Hornes", "Evje og Hornnes"),
])
def test_typo_names_the_closest_kommune(geo: Geography, text: str, suggested: str) -> None:
    message = _error(lambda: resolve_kommune(text, geo))
    assert message.startswith(f"Jeg finner ingen kommune som heter «{text}». Mente du ")
    assert suggested in message


@pytest.mark.parametrize(("text", "suggested"), [
    ("Evje", "Evje og Hornnes?"),
    ("evje kommune", "Evje og Hornnes?"),
    ("Hornnes", "Evje og Hornnes?"),
    ("Aurskog", "Aurskog-Høland, Ørskog (nå Ålesund) eller Rømskog (nå Aurskog-Høland)?"),
    ("Høland", "Aurskog-Høland, "),
    ("Uvdal", "Nore og Uvdal, "),
    ("Elvdal", "Stor-Elvdal, "),
    ("Varanger", "Sør-Varanger eller Levanger?"),
    ("Midt", "Midt-Telemark?"),
    ("Nordre", "Nordreisa"),  # Nordre Follo and Nordre Land: neither is put first
    ("Fron", "Frogn?"),  # Nord-Fron and Sør-Fron
])
def test_the_start_or_a_part_of_one_kommunes_name_suggests_it_first(
        geo: Geography, text: str, suggested: str) -> None:
    """Suggested, never read as that kommune: nothing is stored on a guess."""
    message = _error(lambda: resolve_kommune(text, geo))
    assert message.startswith("Jeg finner ingen kommune som heter «")
    assert message.split(". Mente du ", 1)[1].startswith(suggested)


def test_the_start_of_a_kommunes_name_is_suggested_for_a_status_too(geo: Geography) -> None:
    assert "«Evje». Mente du Evje og Hornnes? Skriv " in _error(
        lambda: resolve_scope("Evje", geo))


def test_typo_close_to_a_shared_name_suggests_both(geo: Geography) -> None:
    message = _error(lambda: resolve_kommune("Herøyy", geo))
    assert "Herøy (Møre og Romsdal)" in message
    assert "Herøy (Nordland)" in message


@pytest.mark.parametrize("text", ["xyzzy", "301"])
def test_unknown_kommune_shows_the_right_form(geo: Geography, text: str) -> None:
    message = _error(lambda: resolve_kommune(text, geo))
    assert f"«{text}»" in message
    assert "«4204»" in message


def test_unknown_kommunenummer(geo: Geography) -> None:
    message = _error(lambda: resolve_kommune("9999", geo))
    assert message.startswith("Jeg finner ingen kommune med kommunenummer «9999».")


def test_empty_kommune(geo: Geography) -> None:
    assert "Skriv hvilken kommune" in _error(lambda: resolve_kommune("  ", geo))


# --- several kommuner ------------------------------------------------------------------


@pytest.mark.parametrize(("text", "numre"), [
    ("Vennesla", ["4223"]),
    ("Vennesla, Lillesand", ["4223", "4215"]),
    ("Vennesla og Lillesand", ["4223", "4215"]),
    ("Vennesla, Lillesand og Birkenes", ["4223", "4215", "4216"]),
    ("Vennesla, Lillesand, og Birkenes", ["4223", "4215", "4216"]),
    ("Vennesla,Lillesand;Birkenes", ["4223", "4215", "4216"]),
    ("Vennesla OG Lillesand", ["4223", "4215"]),
    ("Evje og Hornnes", ["4219"]),
    ("Evje og Hornnes og Vennesla", ["4219", "4223"]),
    ("Vennesla og Evje og Hornnes", ["4223", "4219"]),
    ("Vennesla, Evje og Hornnes, Lillesand", ["4223", "4219", "4215"]),
    ("Nore og Uvdal og Flesberg", ["3338", "3334"]),
    ("Nord-Fron og Sel", ["3436", "3437"]),
    ("Indre Østfold, Nord-Aurdal og Sør-Fron", ["3118", "3451", "3438"]),
    ("Herøy i Møre og Romsdal og Ulstein", ["1515", "1516"]),
    ("Herøy (Nordland), Våler (Østfold)", ["1818", "3114"]),
    ("4204 og 4223", ["4204", "4223"]),
    ("Vennesla, vennesla og 4223", ["4223"]),
    ("Lillesand, Vennesla, Lillesand", ["4215", "4223"]),
    ("Vennesla og", ["4223"]),
])
def test_kommune_lists(geo: Geography, text: str, numre: list[str]) -> None:
    assert [k.nummer for k in resolve_kommuner(text, geo).kommuner] == numre


@pytest.mark.parametrize(("text", "expected"), [
    ("Herøy og Sel", "Det finnes to kommuner som heter Herøy"),
    ("Vennesla, Våler", "Det finnes to kommuner som heter Våler"),
    ("Sel og Kristiansnd", "«Kristiansnd». Mente du"),
    ("Vennesla, Xyzzy og Sel", "«Xyzzy»"),
    ("", "Skriv minst én kommune"),
    (" , og ", "Skriv minst én kommune"),
])
def test_kommune_list_errors(geo: Geography, text: str, expected: str) -> None:
    assert expected in _error(lambda: resolve_kommuner(text, geo))


# --- embeter -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "embete_id"), [
    ("Statsforvalteren i Agder", "agder"),
    ("statsforvalteren agder", "agder"),
    ("Agder", "agder"),
    ("Aust-Agder", "agder"),
    ("vest agder", "agder"),
    ("Fylkesmannen i Aust-Agder", "agder"),
    ("SF Agder", "agder"),
    ("sfag", "agder"),
    ("Akershus", OBOA),
    ("Buskerud", OBOA),
    ("Oslo", OBOA),
    ("Østfold", OBOA),
    ("ostfold", OBOA),
    ("Viken", OBOA),
    ("Oslo og Viken", OBOA),
    ("Fylkesmannen i Oslo og Viken", OBOA),
    ("Oslo og Akershus", OBOA),
    ("OBOA", OBOA),
    ("sfoboa", OBOA),
    ("SF OBOA", OBOA),
    ("Statsforvalteren i Østfold, Buskerud, Oslo og Akershus", OBOA),
    ("Østfold, Buskerud, Oslo og Akershus", OBOA),
    ("Vestfold", "vestfold-og-telemark"),
    ("Telemark", "vestfold-og-telemark"),
    ("Vestfold og Telemark", "vestfold-og-telemark"),
    ("VT", "vestfold-og-telemark"),
    ("Troms", "troms-og-finnmark"),
    ("Finnmark", "troms-og-finnmark"),
    ("Troms og Finnmark", "troms-og-finnmark"),
    ("TF", "troms-og-finnmark"),
    ("Møre og Romsdal", "more-og-romsdal"),
    ("Møre", "more-og-romsdal"),
    ("MR", "more-og-romsdal"),
    ("Hordaland", "vestland"),
    ("Sogn og Fjordane", "vestland"),
    ("Fylkesmannen i Hordaland", "vestland"),
    ("Vestland", "vestland"),
    ("Hedmark", "innlandet"),
    ("Oppland", "innlandet"),
    ("Innlandet", "innlandet"),
    ("Sør-Trøndelag", "trondelag"),
    ("Nord-Trøndelag", "trondelag"),
    ("Trøndelag", "trondelag"),
    ("trondelag", "trondelag"),
    ("Rogaland", "rogaland"),
    ("Nordland", "nordland"),
    ("sfno", "nordland"),
])
def test_embete_aliases(geo: Geography, text: str, embete_id: str) -> None:
    assert resolve_embete(text, geo).id == embete_id


@pytest.mark.parametrize("text", ["Blah", "no", ""])
def test_unknown_embete_lists_the_ten(geo: Geography, text: str) -> None:
    message = _error(lambda: resolve_embete(text, geo))
    assert message.startswith(f"Jeg kjenner ikke noe embete som heter «{text}».")
    for label in ("Agder", "Innlandet", "Møre og Romsdal", "Nordland", "OBOA", "Rogaland",
                  "Troms og Finnmark", "Trøndelag", "Vestfold og Telemark", "Vestland"):
        assert label in message
    assert "for eksempel «Agder»" in message


# --- status scope --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["landet", "Landet", "hele landet", "Norge", "alle",
                                  "nasjonalt"])
def test_scope_whole_country(geo: Geography, text: str) -> None:
    assert resolve_scope(text, geo).kind == "landet"


@pytest.mark.parametrize(("text", "embete_id"), [
    ("Agder", "agder"),
    ("Statsforvalteren i Agder", "agder"),
    ("Rogaland", "rogaland"),
    ("Vestland", "vestland"),
    ("Hordaland", "vestland"),
    ("Viken", OBOA),
    ("OBOA", OBOA),
    ("Statsforvalteren i Troms", "troms-og-finnmark"),
    ("Troms og Finnmark", "troms-og-finnmark"),
    ("VT", "vestfold-og-telemark"),
    ("Trøndelag", "trondelag"),
    ("Møre og Romsdal", "more-og-romsdal"),
])
def test_scope_embete(geo: Geography, text: str, embete_id: str) -> None:
    scope = resolve_scope(text, geo)
    assert scope.kind == "embete"
    assert scope.embete is not None and scope.embete.id == embete_id


@pytest.mark.parametrize(("text", "fylke", "embete_id"), [
    ("Troms", "55", "troms-og-finnmark"),
    ("Finnmark", "56", "troms-og-finnmark"),
    ("Vestfold", "39", "vestfold-og-telemark"),
    ("Telemark", "40", "vestfold-og-telemark"),
    ("Østfold", "31", OBOA),
    ("Akershus", "32", OBOA),
    ("Buskerud", "33", OBOA),
    ("Oslo", "03", OBOA),
    ("Troms fylke", "55", "troms-og-finnmark"),
])
def test_scope_fylke(geo: Geography, text: str, fylke: str, embete_id: str) -> None:
    scope = resolve_scope(text, geo)
    assert scope.kind == "fylke"
    assert scope.fylke is not None and scope.fylke.nummer == fylke
    assert scope.embete is not None and scope.embete.id == embete_id


@pytest.mark.parametrize(("text", "nummer", "embete_id"), [
    ("Bærum", "3201", OBOA),
    ("Fjord", "1578", "more-og-romsdal"),
    ("Indre Østfold", "3118", OBOA),
    ("Herøy (Nordland)", "1818", "nordland"),
    ("4204", "4204", "agder"),
])
def test_scope_kommune(geo: Geography, text: str, nummer: str, embete_id: str) -> None:
    scope = resolve_scope(text, geo)
    assert scope.kind == "kommune"
    assert scope.kommune is not None and scope.kommune.nummer == nummer
    assert scope.embete is not None and scope.embete.id == embete_id


@pytest.mark.parametrize(("text", "suggested"), [
    ("Kristiansnd", "Kristiansand"),
    ("Agdr", "Agder"),
    ("Finmark", "Finnmark"),
    ("xyzzy", None),
])
def test_scope_unknown(geo: Geography, text: str, suggested: str | None) -> None:
    message = _error(lambda: resolve_scope(text, geo))
    assert message.startswith(
        f"Jeg kjenner ikke noe embete, fylke eller kommune som heter «{text}».")
    if suggested:
        assert f"Mente du {suggested}" in message
    assert STATUS_FORM in message
    assert "`/lhl status Agder 2025`" in message


def test_scope_shared_kommune_name(geo: Geography) -> None:
    message = _error(lambda: resolve_scope("Våler", geo))
    assert "Våler (Østfold) og Våler (Innlandet)" in message


# --- reference data and speed -------------------------------------------------------------


def test_a_new_register_is_used_at_once(geo: Geography) -> None:
    rows = [dataclasses.replace(r, navn="Kristiansand by") if r.nummer == "4204" else r
            for r in _read_csv(KOMMUNER_CSV)]
    renamed = geography_from_rows(rows)
    assert resolve_kommune("Kristiansand by", renamed).kommune.nummer == "4204"
    assert resolve_kommune("Kristiansand", geo).kommune.nummer == "4204"


def test_lookups_are_fast(geo: Geography) -> None:
    resolve_kommune("Bærum", geo)
    start = time.perf_counter()
    for _ in range(1000):
        resolve_kommuner("Vennesla, Lillesand og Evje og Hornnes", geo)
        resolve_scope("Troms", geo)
    assert time.perf_counter() - start < 0.5

"""Kommune names past and present: former names and numbers since 2019, the Sami and Kven
parallel names, names several kommuner have or had, and what the commands say about them."""

from __future__ import annotations

import csv
import dataclasses
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.runtime import Runtime
from commands.base import UsageError
from commands.parse.places import Found, resolve_kommune, resolve_kommuner, resolve_scope
from storage.reference import (
    KOMMUNER_CSV,
    PARALLELL_CSV,
    TIDLIGERE_CSV,
    Geography,
    _read_csv,
    geography_from_rows,
)
from tests.support.runtime import ADMIN, logged

KOMMUNER_2019 = Path(__file__).with_name("data") / "kommuner_2019.csv"
"""The 422 kommuner of 1 January 2019 as SSB names them (Klass 131 version 1102, via
``opisthokonta/kommuneendringer``): independent of the register, so a kommune the register
forgot fails here."""
OBOA = "ostfold-buskerud-oslo-og-akershus"
VT = "vestfold-og-telemark"
KARI = "UKARI01"


@pytest.fixture(scope="module")
def geo() -> Geography:
    return geography_from_rows(_read_csv(KOMMUNER_CSV))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _error(call: Callable[[], object]) -> str:
    with pytest.raises(UsageError) as raised:
        call()
    return raised.value.message


def _home(embete_id: str | None) -> Callable[[], str | None]:
    return lambda: embete_id


def _never() -> str | None:
    raise AssertionError("the user's embete was looked up for a name that needs no choice")


def _read(found: Found) -> tuple[str, list[str]]:
    return found.kommune.nummer, [n.sentence for n in found.notes]


# --- every kommune of 1 January 2019 -----------------------------------------------------


def _successors() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for r in _rows(TIDLIGERE_CSV):
        out.setdefault(r["kommunenummer"], tuple(r["etterfolgere"].split()))
    return out


def _cases_2019() -> list[tuple[str, str]]:
    """(what a user types, the 2019 kommunenummer): the number and each of its names."""
    cases = []
    for r in _rows(KOMMUNER_2019):
        cases.append((r["kommunenummer"], r["kommunenummer"]))
        cases += [(name, r["kommunenummer"]) for name in r["kommunenavn"].split(" - ")]
    return cases


def test_the_2019_list_is_whole() -> None:
    assert len(_rows(KOMMUNER_2019)) == 422


@pytest.mark.parametrize(("text", "nummer_2019"), _cases_2019())
def test_every_kommune_of_2019_resolves(geo: Geography, text: str, nummer_2019: str) -> None:
    """To its one successor today, or to a question naming every successor of a split."""
    after = _successors().get(nummer_2019, (nummer_2019,))
    assert all(n in geo.kommuner for n in after), f"{text}: {after} is no kommune today"
    if len(after) == 1:
        assert resolve_kommune(text, geo, home=_never).kommune.nummer == after[0]
        return
    message = _error(lambda: resolve_kommune(text, geo))
    assert " ble delt mellom " in message
    for n in after:
        assert geo.kommuner[n].navn in message


# --- former names and numbers --------------------------------------------------------------


@pytest.mark.parametrize(("text", "nummer", "note"), [
    ("Mandal", "4205", "Mandal er en del av Lindesnes siden 2020."),
    ("mandal kommune", "4205", "Mandal er en del av Lindesnes siden 2020."),
    ("Marnardal", "4205", "Marnardal er en del av Lindesnes siden 2020."),
    ("Førde", "4647", "Førde er en del av Sunnfjord siden 2020."),
    ("forde", "4647", "Førde er en del av Sunnfjord siden 2020."),
    ("Lindås", "4631", "Lindås er en del av Alver siden 2020."),
    ("Lindaas kommune", "4631", "Lindås er en del av Alver siden 2020."),
    ("Klæbu", "5001", "Klæbu er en del av Trondheim siden 2020."),
    ("Ørskog", "1508", "Ørskog er en del av Ålesund siden 2020."),
    ("Ballangen", "1806", "Ballangen er en del av Narvik siden 2020."),
    ("Halsa", "5055", "Halsa er en del av Heim siden 2020."),
    ("Nes (Buskerud)", "3322", "Nes (Buskerud) heter Nesbyen siden 2020."),
    ("Nes i Buskerud", "3322", "Nes (Buskerud) heter Nesbyen siden 2020."),
    ("Os (Hordaland)", "4624", "Os (Vestland) er en del av Bjørnafjorden siden 2020."),
    ("Os i Hordaland", "4624", "Os (Vestland) er en del av Bjørnafjorden siden 2020."),
    ("Bø (Telemark)", "4020", "Bø (Telemark) er en del av Midt-Telemark siden 2020."),
    ("Sande (Vestfold)", "3903", "Sande (Vestfold) er en del av Holmestrand siden 2020."),
    ("1002", "4205", "1002 Mandal er en del av Lindesnes siden 2020."),
    ("0616", "3322", "0616 Nes (Buskerud) heter Nesbyen siden 2020."),
    ("1001", "4204", "1001 er et tidligere kommunenummer for Kristiansand, som nå har 4204."),
    ("3001", "3101", "3001 er et tidligere kommunenummer for Halden, som nå har 3101."),
    ("1534", "1580", "1534 er et tidligere kommunenummer for Haram, som nå har 1580."),
    ("5430", "5612", "5430 er et tidligere kommunenummer for Kautokeino, som nå har 5612."),
])
def test_former_name_leads_to_today_and_says_so(
    geo: Geography, text: str, nummer: str, note: str
) -> None:
    assert _read(resolve_kommune(text, geo, home=_never)) == (nummer, [note])


@pytest.mark.parametrize(("text", "nummer"), [
    ("Ålesund", "1508"),      # today's Ålesund, not the Ålesund of 2020–2023 that was split
    ("Haram", "1580"),
    ("Kristiansand", "4204"),
    ("Halden", "3101"),
    ("Nes (Akershus)", "3228"),
    ("Sande (Møre og Romsdal)", "1514"),
    ("Bø (Nordland)", "1867"),
    ("Hárstták", "5503"),
])
def test_a_name_that_is_still_the_kommunes_own_needs_no_note(
    geo: Geography, text: str, nummer: str
) -> None:
    assert _read(resolve_kommune(text, geo, home=_never)) == (nummer, [])


@pytest.mark.parametrize(("text", "message"), [
    ("Snillfjord", "Snillfjord ble delt mellom Heim, Hitra og Orkland i 2020: skriv hvilken "
                   "av dem det gjelder, for eksempel «Orkland»."),
    ("Tysfjord", "Tysfjord ble delt mellom Narvik og Hamarøy i 2020: skriv hvilken av dem "
                 "det gjelder, for eksempel «Hamarøy»."),
    ("Divtasvuodna", "Divtasvuodna ble delt mellom Narvik og Hamarøy i 2020: skriv hvilken "
                     "av dem det gjelder, for eksempel «Hamarøy»."),
    ("1850", "1850 Tysfjord ble delt mellom Narvik og Hamarøy i 2020: skriv hvilken av dem "
             "det gjelder, for eksempel «Hamarøy»."),
    ("1507", "1507 Ålesund ble delt mellom Ålesund og Haram i 2024: skriv hvilken av dem det "
             "gjelder, for eksempel «Haram»."),
])
def test_a_split_kommune_is_never_guessed(geo: Geography, text: str, message: str) -> None:
    assert _error(lambda: resolve_kommune(text, geo, home=_home("trondelag"))) == message


def test_a_list_with_former_names_keeps_each_kommune_once_and_every_note(geo: Geography) -> None:
    found = resolve_kommuner("Mandal, Marnardal og Vennesla", geo, home=_never)
    assert [k.nummer for k in found.kommuner] == ["4205", "4223"]
    assert [n.sentence for n in found.notes] == [
        "Mandal er en del av Lindesnes siden 2020.",
        "Marnardal er en del av Lindesnes siden 2020.",
    ]


def test_a_split_kommune_in_a_list_stops_the_list(geo: Geography) -> None:
    assert _error(lambda: resolve_kommuner("Vennesla og Snillfjord", geo)).startswith(
        "Snillfjord ble delt mellom Heim, Hitra og Orkland i 2020")


# --- parallel names -------------------------------------------------------------------------


def _plain(text: str) -> str:
    """``Kárášjohka`` as typed on a keyboard without Sami letters: ``Karasjohka``."""
    text = text.replace("ŋ", "n")
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


@pytest.mark.parametrize(("text", "nummer"), [
    (variant, r["kommunenummer"])
    for r in _rows(PARALLELL_CSV)
    for variant in dict.fromkeys([r["navn"], _plain(r["navn"]), r["navn"].upper()])
])
def test_every_parallel_name_resolves(geo: Geography, text: str, nummer: str) -> None:
    assert _read(resolve_kommune(text, geo, home=_never)) == (nummer, [])


@pytest.mark.parametrize(("text", "navn"), [
    ("Guovdageaidnu", "Kautokeino"),
    ("Kárášjohka", "Karasjok"),
    ("karasjohka", "Karasjok"),
    ("Porsángu", "Porsanger"),
    ("Porsáŋgu", "Porsanger"),
    ("Porsangu", "Porsanger"),
    ("Deatnu", "Tana"),
    ("Unjárga", "Nesseby"),
    ("Gáivuotna", "Kåfjord"),
    ("Snåase", "Snåsa"),
    ("Snaase", "Snåsa"),
    ("Raarvihke", "Røyrvik"),
    ("Oslove", "Oslo"),
    ("Stïentje", "Steinkjer"),
    ("Ivgu", "Lyngen"),
    ("Yykeä", "Lyngen"),
])
def test_parallel_names(geo: Geography, text: str, navn: str) -> None:
    assert resolve_kommune(text, geo).kommune.navn == navn


def test_a_parallel_name_in_a_list(geo: Geography) -> None:
    found = resolve_kommuner("Guovdageaidnu, Kárášjohka og Deatnu", geo)
    assert [k.navn for k in found.kommuner] == ["Kautokeino", "Karasjok", "Tana"]


# --- names several kommuner have or had ------------------------------------------------------


@pytest.mark.parametrize(("text", "home", "nummer", "note"), [
    ("Os", "vestland", "4624", "Os (Vestland) er en del av Bjørnafjorden siden 2020."),
    ("Os", "innlandet", "3430", "Jeg leste Os som Os (Innlandet), som ligger i ditt embete."),
    ("Bø", "nordland", "1867", "Jeg leste Bø som Bø (Nordland), som ligger i ditt embete."),
    ("Bø", VT, "4020", "Bø (Telemark) er en del av Midt-Telemark siden 2020."),
    ("Sande", "more-og-romsdal", "1514",
     "Jeg leste Sande som Sande (Møre og Romsdal), som ligger i ditt embete."),
    ("Sande", VT, "3903", "Sande (Vestfold) er en del av Holmestrand siden 2020."),
    ("Herøy", "nordland", "1818",
     "Jeg leste Herøy som Herøy (Nordland), som ligger i ditt embete."),
    ("heroy", "more-og-romsdal", "1515",
     "Jeg leste Herøy som Herøy (Møre og Romsdal), som ligger i ditt embete."),
    ("Våler", OBOA, "3114", "Jeg leste Våler som Våler (Østfold), som ligger i ditt embete."),
    ("Våler", "innlandet", "3419",
     "Jeg leste Våler som Våler (Innlandet), som ligger i ditt embete."),
])
def test_a_shared_name_is_settled_by_the_users_embete(
    geo: Geography, text: str, home: str, nummer: str, note: str
) -> None:
    assert _read(resolve_kommune(text, geo, home=_home(home))) == (nummer, [note])


@pytest.mark.parametrize(("text", "home", "message"), [
    ("Os", None, "Os kan være to kommuner: Os (Innlandet) og Os (Vestland), nå en del av "
                 "Bjørnafjorden. Skriv for eksempel «Os (Innlandet)» eller «Bjørnafjorden»."),
    ("Os", "agder", "Os kan være to kommuner: Os (Innlandet) og Os (Vestland), nå en del av "
                    "Bjørnafjorden. Skriv for eksempel «Os (Innlandet)» eller «Bjørnafjorden»."),
    ("Bø", None, "Bø kan være to kommuner: Bø (Nordland) og Bø (Telemark), nå en del av "
                 "Midt-Telemark. Skriv for eksempel «Bø (Nordland)» eller «Midt-Telemark»."),
    ("Sande", "rogaland", "Sande kan være to kommuner: Sande (Møre og Romsdal) og Sande "
                          "(Vestfold), nå en del av Holmestrand. Skriv for eksempel «Sande "
                          "(Møre og Romsdal)» eller «Holmestrand»."),
    # Both lie in OBOA, so the embete cannot settle it.
    ("Nes", OBOA, "Nes kan være to kommuner: Nes (Akershus) og Nes (Buskerud), nå Nesbyen. "
                  "Skriv for eksempel «Nes (Akershus)» eller «Nesbyen»."),
    ("Herøy i Agder", "nordland", "Det finnes to kommuner som heter Herøy: Herøy (Møre og "
                                  "Romsdal) og Herøy (Nordland). Skriv for eksempel «Herøy "
                                  "(Nordland)» eller kommunenummeret 1818."),
    ("Herøy", None, "Det finnes to kommuner som heter Herøy: Herøy (Møre og Romsdal) og "
                    "Herøy (Nordland). Skriv for eksempel «Herøy (Nordland)» eller "
                    "kommunenummeret 1818."),
])
def test_a_shared_name_is_asked_about_otherwise(
    geo: Geography, text: str, home: str | None, message: str
) -> None:
    assert _error(lambda: resolve_kommune(text, geo, home=_home(home))) == message


@pytest.mark.parametrize(("text", "nummer"), [
    ("Os (Innlandet)", "3430"),
    ("Os i Innlandet", "3430"),
    ("Os Hedmark", "3430"),
    ("Os (Vestland)", "4624"),
    ("Bjørnafjorden", "4624"),
    ("Nes i Akershus", "3228"),
    ("Nesbyen", "3322"),
    ("Bø i Nordland", "1867"),
    ("Midt-Telemark", "4020"),
])
def test_the_forms_the_question_offers_resolve(geo: Geography, text: str, nummer: str) -> None:
    assert resolve_kommune(text, geo, home=_never).kommune.nummer == nummer


def test_the_users_embete_is_asked_once_and_only_when_needed(geo: Geography) -> None:
    asked: list[int] = []

    def home() -> str | None:
        asked.append(1)
        return "vestland"

    resolve_kommuner("Mandal, Bergen og Guovdageaidnu", geo, home=home)
    assert asked == []
    found = resolve_kommuner("Os, Bergen og Os", geo, home=home)
    assert [k.navn for k in found.kommuner] == ["Bjørnafjorden", "Bergen"]
    assert asked == [1]


def test_status_scope_with_former_and_shared_names(geo: Geography) -> None:
    scope = resolve_scope("Mandal", geo, home=_never)
    assert scope.kommune is not None and scope.kommune.nummer == "4205"
    assert [n.sentence for n in scope.notes] == ["Mandal er en del av Lindesnes siden 2020."]
    scope = resolve_scope("Os", geo, home=_home("vestland"))
    assert scope.kommune is not None and scope.kommune.nummer == "4624"
    assert "Os kan være to kommuner" in _error(lambda: resolve_scope("Os", geo))


# --- typos -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "suggestion"), [
    ("Mandl", "Mandal (nå Lindesnes)"),
    ("Mandall", "Mandal (nå Lindesnes)"),
    ("Lndås kommune", "Lindås (nå Alver)"),
    ("Snilfjord", "Snillfjord (nå delt)"),
    ("Guovdagaeidnu", "Guovdageaidnu (Kautokeino)"),
    ("Kristiansnd", "Kristiansand"),
])
def test_typos_reach_former_and_parallel_names(
    geo: Geography, text: str, suggestion: str
) -> None:
    message = _error(lambda: resolve_kommune(text, geo))
    assert message.startswith(f"Jeg finner ingen kommune som heter «{text}». Mente du ")
    assert suggestion in message


def test_mandl_suggests_mandal_and_nothing_else(geo: Geography) -> None:
    assert _error(lambda: resolve_kommune("Mandl", geo)) == (
        "Jeg finner ingen kommune som heter «Mandl». Mente du Mandal (nå Lindesnes)?")


def test_status_typo_reaches_a_former_name(geo: Geography) -> None:
    assert "Mente du Mandal (nå Lindesnes)?" in _error(lambda: resolve_scope("Mandl", geo))


# --- the register ----------------------------------------------------------------------------


def test_a_register_without_a_successor_stops_the_start() -> None:
    rows = [r for r in _read_csv(KOMMUNER_CSV) if r.nummer != "4205"]
    with pytest.raises(ValueError, match="4205"):
        geography_from_rows(rows)


def test_a_renamed_kommune_keeps_its_former_names(geo: Geography) -> None:
    rows = [dataclasses.replace(r, navn="Sør-Lindesnes") if r.nummer == "4205" else r
            for r in _read_csv(KOMMUNER_CSV)]
    renamed = geography_from_rows(rows)
    assert _read(resolve_kommune("Mandal", renamed)) == (
        "4205", ["Mandal er en del av Sør-Lindesnes siden 2020."])


# --- through the bot ---------------------------------------------------------------------------


def say(rt: Runtime, line: str, user: str = ADMIN) -> str:
    return rt.handle(line, user, "C1").text


def test_logging_with_a_former_name_stores_on_today_and_names_both(runtime: Runtime) -> None:
    assert logged(runtime, "logg-møte Mandal i går").splitlines() == [
        "Mandal er en del av Lindesnes siden 2020.",
        "Lagret: dialogmøte holdt med Lindesnes 23. november 2026.",
    ]
    card = say(runtime, "status Lindesnes")
    assert "• Holdt 23. november 2026" in card
    assert "Mandal er en del av" not in card
    assert "Gjennomført dialogmøte: 1 av 25 (4 %)" in say(runtime, "status Agder")
    assert say(runtime, "status Guovdageaidnu").startswith("*Kautokeino* (5612, Finnmark)")
    card = say(runtime, "status Mandal")
    assert "*Lindesnes* (4205, Agder)" in card
    assert "Mandal er en del av Lindesnes siden 2020." in card
    assert "• Holdt 23. november 2026" in card


def test_logging_a_split_kommune_stores_nothing(runtime: Runtime) -> None:
    assert say(runtime, "logg-møte Snillfjord i går") == (
        "Snillfjord ble delt mellom Heim, Hitra og Orkland i 2020: skriv hvilken av dem det "
        "gjelder, for eksempel «Orkland»."
    )
    assert "Gjennomført dialogmøte: 0 av" in say(runtime, "status Trøndelag")
    assert "Fått tilbud om dialogmøte: 0 av" in say(runtime, "status Trøndelag")


def test_offering_with_former_and_parallel_names(runtime: Runtime) -> None:
    assert say(runtime, "tilby-møte Førde og Guovdageaidnu").splitlines() == [
        "Førde er en del av Sunnfjord siden 2020.",
        "Lagret: dialogmøte tilbudt Sunnfjord og Kautokeino 24. november 2026.",
    ]
    assert say(runtime, "tilby-møte Førde").splitlines() == [
        "Førde er en del av Sunnfjord siden 2020.",
        "Sunnfjord har allerede fått tilbud om dialogmøte i 2026, så ingenting nytt ble "
        "lagret.",
    ]


def test_a_shared_name_follows_the_users_grant(runtime: Runtime) -> None:
    asked = say(runtime, "logg-møte Os i går")
    assert asked.startswith("Os kan være to kommuner: Os (Innlandet) og Os (Vestland)")
    assert "gjennomført 0 av 357" in say(runtime, "status landet")
    reply = say(runtime, f"tilgang gi <@{KARI}|kari> Vestland koordinator")
    assert reply.startswith(f"<@{KARI}> er nå koordinator")
    assert logged(runtime, "logg-møte Os i går", KARI).splitlines() == [
        "Os (Vestland) er en del av Bjørnafjorden siden 2020.",
        "Lagret: dialogmøte holdt med Bjørnafjorden 23. november 2026.",
    ]
    card = say(runtime, "status Os", KARI)
    assert "*Bjørnafjorden*" in card and "• Holdt 23. november 2026" in card
    say(runtime, f"tilgang gi <@{KARI}|kari> Innlandet koordinator")
    assert say(runtime, "status Os", KARI).startswith("*Os* (3430, Innlandet)")


@pytest.mark.parametrize(("line", "said"), [
    ("status Agder 2023", True),
    ("status landet 2019", True),
    ("status Lillesand 2022", True),
    ("status Agder", False),
    ("status Agder 2024", False),
])
def test_a_year_before_the_map_says_it_is_counted_on_todays_map(
    runtime: Runtime, line: str, said: bool
) -> None:
    assert ("Tallene er regnet på dagens kommunekart." in say(runtime, line)) is said

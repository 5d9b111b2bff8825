"""Good examples (``/lhl eksempel``, ``/lhl eksempler``, the kommune card): what is read from
what people type, what is stored on SQLite and PostgreSQL, the listing newest first and within
Slack's limits, the link shown as a link and never unfolded, the change log, and the form."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect
from sqlmodel import select

from bot.http_server import make_asgi_app
from bot.runtime import Runtime
from commands import eksempler
from commands.base import Context, UsageError
from commands.eksempel import Delete, New, parse
from commands.parse.fields import refuse_empty_labels
from commands.parse.links import parse_link, shown_address
from storage.db import open_database
from storage.examples import add_example
from storage.migrate import migrate, upgrade
from storage.models import Change, Example, ExampleArea
from storage.reference import KOMMUNER_CSV, Geography, _read_csv, geography_from_rows
from tests.support.clock import NOW, OSLO
from tests.support.fake_slack import FakeSlack
from tests.support.http_bot import HttpBot, assert_reply
from tests.support.runtime import (
    ADMIN,
    BOT_TOKEN,
    SIGNING_SECRET,
    grant,
    reply_to,
    runtime_on,
    say,
)
from tests.support.slack_limits import (
    all_text,
    assert_reply_within_limits,
    checked_link,
    live_markup,
)
from tests.test_forms import Slack
from voice.innsatsomrader import BY_KEY
from voice.reply import escape, link, plain_reply, safe_url, unescape

KARI = "U0KARI01"
OLA = "U0OLA001"
LESER = "U0LESER1"
URL = "https://www.kristiansand.kommune.no/leve-hele-livet"
GOOD = f'ny Kristiansand "Kjøkkenet tilbake på sykehjemmet" område: mat lenke: {URL}'
EVIL = "<!channel> & <https://evil.example|klikk her>"
_LINK = re.compile(r"<https?://[^<>|]+\|[^<>]+>")


@pytest.fixture(scope="module")
def geo() -> Geography:
    return geography_from_rows(_read_csv(KOMMUNER_CSV))


def ctx_for(geo: Geography) -> Context:
    return Context(user_id=KARI, is_admin=False, now=NOW, tz=OSLO, geo=geo)


def stored(rt: Runtime) -> tuple[int, int, int]:
    """Examples, their areas and changes in the log."""
    with rt.db.read() as session:
        return tuple(int(session.exec(select(func.count()).select_from(t)).one())  # type: ignore[return-value]
                     for t in (Example, ExampleArea, Change))


# --- reading what is typed --------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kommune", "title", "areas", "lenke", "notat"), [
    (GOOD, "4204", "Kjøkkenet tilbake på sykehjemmet", ["mat"], URL, None),
    ('ny 4204 "Tittel" område: Mat og måltider, helsehjelp notat: ring Kari',
     "4204", "Tittel", ["mat", "helsehjelp"], None, "ring Kari"),
    ('ny Bodø "Seniorsenter" områder: aktivitet og et aldersvennlig Norge lenke: '
     "<https://bodo.kommune.no/seniorsenter>", "1804", "Seniorsenter",
     ["aldersvennlig", "aktivitet"], "https://bodo.kommune.no/seniorsenter", None),
    ('ny Mandal "Notat: ikke et felt" omrade: sammenheng lenke: <http://www.x.no|www.x.no>',
     "4205", "Notat: ikke et felt", ["sammenheng"], "https://www.x.no", None),
    ('NY kristiansand "T" OMRÅDE: MAT LENKE: www.x.no/side?a=1&b=2 NOTAT: x',
     "4204", "T", ["mat"], "https://www.x.no/side?a=1&b=2", "x"),
    ('ny Kristiansand "Måltider" område: mat lenke: https://bø.kommune.no/mat',
     "4204", "Måltider", ["mat"], "https://xn--b-5ga.kommune.no/mat", None),
])
def test_a_new_example_is_read(geo: Geography, text: str, kommune: str, title: str,
                               areas: list[str], lenke: str | None, notat: str | None) -> None:
    found = parse(text, ctx_for(geo))
    assert isinstance(found, New)
    assert (found.kommune.nummer, found.tittel, [a.key for a in found.areas], found.lenke,
            found.notat) == (kommune, title, areas, lenke, notat)


def test_a_former_name_is_read_and_said(geo: Geography) -> None:
    found = parse('ny Mandal "T" område: mat', ctx_for(geo))
    assert isinstance(found, New)
    assert [n.sentence for n in found.notes] == ["Mandal er en del av Lindesnes siden 2020."]


@pytest.mark.parametrize(("text", "field", "sentence"), [
    ('ny Kristiansandd "T" område: mat', "kommune",
     "Jeg finner ingen kommune som heter «Kristiansandd»"),
    ('ny Herøy "T" område: mat', "kommune", "Det finnes to kommuner som heter Herøy"),
    ('ny "T" område: mat', "kommune", "Skriv kommunen før tittelen"),
    ("ny Kristiansand område: mat", "tittel", "Skriv tittelen i anførselstegn etter kommunen"),
    ('ny Kristiansand "" område: mat', "tittel", "Skriv tittelen, for eksempel"),
    ('ny Kristiansand "' + "x" * 151 + '" område: mat', "tittel",
     "Tittelen er 151 tegn, men kan være høyst 150"),
    ('ny Kristiansand "Ring 12345678901" område: mat', "tittel",
     "Tittelen ser ut til å inneholde et fødselsnummer"),
    ('ny Kristiansand "T"', "omrader", "Skriv hvilke innsatsområder eksempelet gjelder"),
    ('ny Kristiansand "T" område: demens', "omrader",
     "«demens» er ikke ett av de fem innsatsområdene; skriv ett eller flere av Et "
     "aldersvennlig Norge (`aldersvennlig`)"),
    ('ny Kristiansand "T" område: mat og ost', "omrader", "«mat og ost» er ikke ett av"),
    ('ny Kristiansand "T" område: mat lenke: javascript:alert(1)', "lenke",
     "«javascript:alert(1)» er ikke en nettadresse som begynner med https:// eller http://"),
    ('ny Kristiansand "T" område: mat lenke: ftp://x.no/fil', "lenke",
     "«ftp://x.no/fil» er ikke en nettadresse som begynner med https://"),
    ('ny Kristiansand "T" område: mat lenke: <https://x|y>', "lenke",
     "«<https://x|y>» er en lenke som viser en annen tekst enn adressen"),
    ('ny Kristiansand "T" område: mat lenke: se nettsiden til kommunen', "lenke",
     "«se nettsiden til kommunen» er ikke en nettadresse (den kan ikke ha mellomrom)"),
    ('ny Kristiansand "T" område: mat lenke: http://localhost/x', "lenke",
     "«http://localhost/x» har ikke et vertsnavn med punktum"),
    ('ny Kristiansand "T" område: mat lenke: https://x.no/' + "a" * 500, "lenke",
     "Lenken er 513 tegn, men kan være høyst 500"),
    ('ny Kristiansand "T" område: mat lenke:', "lenke",
     "«lenke:» står uten noe etter seg; skriv det etter kolon, for eksempel "
     "`lenke: https://www.grimstad.kommune.no/mat`, eller ta feltet bort."),
    ('ny Kristiansand "T" område: mat notat:', "notat",
     "«notat:» står uten noe etter seg; skriv det etter kolon, for eksempel "
     "`notat: ringer tilbake i januar`, eller ta feltet bort."),
    ('ny Kristiansand "T" område: mat lenke: x.no lenke: y.no', None,
     "Du har skrevet «lenke:» to ganger; skriv det én gang, for eksempel "
     "`lenke: https://www.grimstad.kommune.no/mat`."),
    ('ny Kristiansand "T" område: mat lenke: kommunens-nettside', "lenke",
     "«kommunens-nettside» er ikke en nettadresse som begynner med https:// eller http://; "
     "skriv en nettadresse, for eksempel "
     "`lenke: https://www.kristiansand.kommune.no/leve-hele-livet`."),
    ('ny Kristiansand "   " område: mat', "tittel", "Skriv tittelen, for eksempel"),
    ('ny Kristiansand "T" tema: mat', "omrader",
     "Et godt eksempel har ikke «tema:»; innsatsområdene skrives etter «område:». Mente du "
     "`område: mat`?"),
    ('ny Kristiansand "T" Tema: Mat og måltider, helsehjelp lenke: x.no', "omrader",
     "Et godt eksempel har ikke «tema:»; innsatsområdene skrives etter «område:». Mente du "
     "`område: Mat og måltider, helsehjelp`?"),
    ('ny Kristiansand "T" tema: demens', "omrader",
     "Et godt eksempel har ikke «tema:»; skriv innsatsområdene etter «område:», ett eller "
     "flere av Et aldersvennlig Norge (`aldersvennlig`), Aktivitet og fellesskap (`aktivitet`), "
     "Mat og måltider (`mat`), Helsehjelp (`helsehjelp`), Sammenheng i tjenestene "
     "(`sammenheng`), for eksempel `område: mat`."),
    ('ny Kristiansand "T" område: mat notat: ' + "x" * 501, "notat",
     "Notatet er 501 tegn, men kan være høyst 500"),
    ('ny Kristiansand "T" sted: Oslo område: mat', None, "Jeg forstår ikke «sted: Oslo»"),
    ('ny Kristiansand "T" område: mat område: helsehjelp', None,
     "Du har skrevet «område:» to ganger"),
    ("ny", None, "Før et godt eksempel med `/lhl eksempel ny <kommune> \"<tittel>\""),
    ("hva", None, "Før et godt eksempel med"),
    ("", None, "Før et godt eksempel med"),
    ("slett x", None, "Skriv nummeret på eksempelet du vil slette"),
])
def test_bad_input_is_one_sentence_naming_the_part(geo: Geography, text: str,
                                                   field: str | None, sentence: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse(text, ctx_for(geo))
    assert str(raised.value).startswith(sentence), raised.value.message
    assert raised.value.field == field
    assert "\n" not in str(raised.value)


def test_slett_takes_the_examples_number(geo: Geography) -> None:
    assert parse("slett #12", ctx_for(geo)) == Delete(12)


@pytest.mark.parametrize(("typed", "url"), [
    ("https://x.no", "https://x.no"),
    ("x.no", "https://x.no"),
    ("<https://x.no/a%20b>", "https://x.no/a%20b"),
    ("https://x.no:8443/a#del-2", "https://x.no:8443/a#del-2"),
    ("https://www.x.no/æøå", "https://www.x.no/%C3%A6%C3%B8%C3%A5"),
])
def test_links_are_read_as_addresses(typed: str, url: str) -> None:
    assert parse_link(typed) == url
    assert safe_url(url)


@pytest.mark.parametrize("typed", [
    "javascript:alert(1)", "data:text/html,x", "ftp://x.no", "mailto:a@x.no", "x", "https://x",
    "https://u:p@x.no", "https://x.no/<script>", "<https://x.no|x.no/annet>", "https://x.no:99999",
    "//x.no",
])
def test_what_is_not_a_web_address_is_refused(typed: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_link(typed)
    assert raised.value.field == "lenke"


@pytest.mark.parametrize(("label", "shown"), [
    ("lenke", "`lenke: https://www.grimstad.kommune.no/mat`"),
    ("notat", "`notat: ringer tilbake i januar`"),
    ("område", "`område: mat`"),
    ("tema", "`tema: mat og måltider`"),
    ("med", "`med: KS og USHT`"),
    ("deltakere", "`deltakere: Lillesand og Vennesla`"),
])
def test_an_empty_field_is_refused_with_an_example_that_fits_the_field(label: str,
                                                                       shown: str) -> None:
    with pytest.raises(UsageError) as raised:
        refuse_empty_labels({label: ""}, (label,))
    assert raised.value.message == (f"«{label}:» står uten noe etter seg; skriv det etter "
                                    f"kolon, for eksempel {shown}, eller ta feltet bort.")
    assert raised.value.field == label


@pytest.mark.parametrize(("url", "shown"), [
    ("https://www.x.no/m%C3%A5ltider?q=bl%C3%A5b%C3%A6r", "www.x.no/måltider?q=blåbær"),
    ("https://xn--b-5ga.kommune.no/%C3%A6%C3%B8%C3%A5#%C3%A5", "bø.kommune.no/æøå#å"),
    ("https://x.no/a%20b%2Fc", "x.no/a%20b%2Fc"),  # typed so: kept
    ("https://x.no/%C3", "x.no/%C3"),  # not UTF-8
    ("https://x.no/%E2%80%AEgnp", "x.no/%E2%80%AEgnp"),  # a direction mark is not shown
])
def test_a_link_shows_its_address_with_letters_not_escapes(url: str, shown: str) -> None:
    assert shown_address(url) == shown


# --- the link in the reply builder ------------------------------------------------------------


def test_a_checked_link_becomes_a_link_and_user_text_never_does() -> None:
    made = plain_reply(f"{EVIL} {link('https://x.no/a?b=1&c=2', 'x.no/a?b=1&c=2')}")
    shown = made.blocks[0]["text"]["text"]
    assert shown == ("&lt;!channel&gt; &amp; &lt;https://evil.example|klikk her&gt; "
                     "<https://x.no/a?b=1&amp;c=2|x.no/a?b=1&amp;c=2>")
    assert made.text == shown
    assert live_markup(shown, checked_links=True) == []
    assert live_markup(shown) == ["<https://x.no/a?b=1&amp;c=2|x.no/a?b=1&amp;c=2>"]


def test_a_seal_cannot_be_forged_or_moved_to_another_address() -> None:
    sealed = link("https://x.no", "x.no")
    _, mac = sealed[1:-1].split(".")
    other = json.dumps(["https://evil.example", "x.no"]).encode()
    forged = f"\ue000{base64.urlsafe_b64encode(other).decode()}.{mac}\ue001"
    assert "<" not in escape(forged)
    assert "<" not in escape(sealed.replace(mac, "0" * 32))
    with pytest.raises(ValueError):
        link("javascript:alert(1)//x.no", "x")
    with pytest.raises(ValueError):
        link("https://x.no/|<!channel>", "x")


def test_the_label_is_escaped_and_the_terminal_shows_the_address() -> None:
    shown = escape(link("https://x.no", "a <b> | c & d"))
    assert shown == "<https://x.no|a &lt;b&gt; / c &amp; d>"
    assert unescape(escape(f"Se {link('https://x.no/a?b=1&c=2', 'x.no/a')} nå")) == (
        "Se https://x.no/a?b=1&c=2 nå")


def test_the_fake_slack_allows_only_a_link_that_shows_its_own_address() -> None:
    assert checked_link("<https://www.x.no/a|www.x.no/a>")
    assert checked_link("<https://www.x.no/lang-adresse|www.x.no/lang…>")
    assert not checked_link("<https://evil.example|www.x.no>")
    assert not checked_link("<https://x.no|klikk her>")
    assert not checked_link("<!channel>")


# --- in the store -----------------------------------------------------------------------------


class Clock:
    """A clock a test moves on."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def tick(self, minutes: int = 1) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def rt(store_url: str) -> Iterator[tuple[Runtime, Clock]]:
    clock = Clock()
    with runtime_on(store_url, clock=clock) as runtime:
        yield runtime, clock


def test_examples_are_listed_by_area_kommune_fylke_and_embete_newest_first(
        rt: tuple[Runtime, Clock]) -> None:
    runtime, clock = rt
    for line in ('eksempel ny Kristiansand "Kjøkkenet tilbake" område: mat',
                 'eksempel ny Vennesla "Trim for alle" område: aktivitet',
                 'eksempel ny Bergen "Måltidsvenn" område: mat, aktivitet',
                 'eksempel ny Kristiansand "Trygg utskriving" område: sammenheng'):
        assert say(runtime, line).startswith("Lagret: godt eksempel #"), line
        clock.tick()

    def titles(where: str) -> list[str]:
        return re.findall(r"«([^»]+)»", say(runtime, f"eksempler {where}"))

    assert titles("") == ["Trygg utskriving", "Måltidsvenn", "Trim for alle", "Kjøkkenet tilbake"]
    assert titles("mat") == ["Måltidsvenn", "Kjøkkenet tilbake"]
    assert titles("Kristiansand") == ["Trygg utskriving", "Kjøkkenet tilbake"]
    assert titles("Agder") == ["Trygg utskriving", "Trim for alle", "Kjøkkenet tilbake"]
    assert titles("aktivitet og fellesskap Agder") == ["Trim for alle"]
    assert titles("Agder aktivitet og fellesskap") == ["Trim for alle"]
    assert titles("Agder mat") == titles("mat Agder") == ["Kjøkkenet tilbake"]
    assert titles("Kristiansand sammenheng side 1") == ["Trygg utskriving"]
    assert titles("Vestland") == ["Måltidsvenn"]
    assert titles("landet") == titles("")
    assert say(runtime, "eksempler helsehjelp Agder") == (
        "Ingen gode eksempler er ført for Helsehjelp, Statsforvalteren i Agder ennå. Før et med "
        '`/lhl eksempel ny Kristiansand "Kjøkkenet tilbake på sykehjemmet" område: mat '
        "lenke: https://www.kristiansand.kommune.no/leve-hele-livet`.")
    listing = say(runtime, "eksempler mat")
    assert listing.startswith("*Gode eksempler – Mat og måltider, hele landet* (2), nyeste "
                              "først\n\n*Bergen* · «Måltidsvenn» · Aktivitet og fellesskap, Mat og "
                              f"måltider · <@{ADMIN}> · 24. november 2026 · #3")


_FIVE = ("Et aldersvennlig Norge (`aldersvennlig`), Aktivitet og fellesskap (`aktivitet`), "
         "Mat og måltider (`mat`), Helsehjelp (`helsehjelp`), Sammenheng i tjenestene "
         "(`sammenheng`)")


@pytest.mark.parametrize(("text", "sentence"), [
    ("demens", f"«demens» er ikke et innsatsområde, en kommune eller et embete jeg kjenner; "
               f"skriv ett av innsatsområdene {_FIVE}, en kommune eller et embete, eller begge, "
               "for eksempel `/lhl eksempler mat Agder`."),
    ("demens side 2", "«demens» er ikke et innsatsområde, en kommune eller et embete"),
    # A name close to a place's is a place mistyped.
    ("Kristiansandd", "Jeg kjenner ikke noe embete, fylke eller kommune som heter "
                      "«Kristiansandd». Mente du Kristiansand"),
    # With an area, what is left is a place.
    ("mat demens", "Jeg kjenner ikke noe embete, fylke eller kommune som heter «demens»."),
    # With a place, what is left was meant as an area.
    ("demens Agder", "«demens» er ikke et innsatsområde, en kommune eller et embete"),
    ("Agder demens", "«demens» er ikke et innsatsområde, en kommune eller et embete"),
])
def test_a_listing_of_what_is_neither_an_area_nor_a_place_is_refused(
        geo: Geography, text: str, sentence: str) -> None:
    with pytest.raises(UsageError) as raised:
        eksempler.parse(text, ctx_for(geo))
    assert str(raised.value).startswith(sentence), raised.value.message


@pytest.mark.parametrize(("text", "area", "where"), [
    ("mat Agder", "mat", "agder"),
    ("Agder mat", "mat", "agder"),
    ("Bodø aktivitet og fellesskap", "aktivitet", "1804"),
    ("et aldersvennlig Norge 4204", "aldersvennlig", "4204"),
    ("helsehjelp", "helsehjelp", None),
    ("Vennesla", None, "4223"),
])
def test_a_listing_takes_area_and_place_in_either_order(geo: Geography, text: str,
                                                       area: str | None,
                                                       where: str | None) -> None:
    found = eksempler.parse(text, ctx_for(geo))
    assert (found.area.key if found.area else None) == area
    scope = found.scope
    assert (scope.kommune.nummer if scope.kommune else scope.embete.id if scope.embete
            else None) == where


def test_the_same_example_twice_is_refused_and_stores_nothing(
        rt: tuple[Runtime, Clock]) -> None:
    runtime, _ = rt
    assert say(runtime, 'eksempel ny Kristiansand "Kjøkkenet tilbake" område: mat').startswith(
        "Lagret: godt eksempel #1")
    before = stored(runtime)
    for line in ('eksempel ny Kristiansand "Kjøkkenet tilbake" område: mat',
                 'eksempel ny 4204 " kjøkkenet   TILBAKE " område: helsehjelp lenke: x.no'):
        assert say(runtime, line) == (
            "«Kjøkkenet tilbake» fra Kristiansand finnes allerede som eksempel #1, så "
            "ingenting ble lagret; se det med `/lhl eksempler Kristiansand`.")
    assert stored(runtime) == before
    assert say(runtime, 'eksempel ny Vennesla "Kjøkkenet tilbake" område: mat').startswith(
        "Lagret: godt eksempel #2")
    assert say(runtime, 'eksempel ny Kristiansand "Kjøkkenet tilbake igjen" område: mat'
               ).startswith("Lagret: godt eksempel #3")
    say(runtime, "eksempel slett 1")
    assert say(runtime, 'eksempel ny Kristiansand "Kjøkkenet tilbake" område: mat').startswith(
        "Lagret: godt eksempel #4")


def test_a_link_with_letters_shows_them_and_goes_to_the_escaped_address(
        rt: tuple[Runtime, Clock]) -> None:
    runtime, _ = rt
    saved = reply_to(runtime, 'eksempel ny Grimstad "Mat" område: mat lenke: '
                              "https://www.grimstad.kommune.no/måltider?q=blåbær")
    link_markup = ("<https://www.grimstad.kommune.no/m%C3%A5ltider?q=bl%C3%A5b%C3%A6r|"
                   "www.grimstad.kommune.no/måltider?q=blåbær>")
    for made in (saved, reply_to(runtime, "eksempler")):
        seen = all_text(made.text, made.blocks)
        assert _LINK.findall(seen) == [link_markup] * len(_LINK.findall(seen))
        assert link_markup in seen
        assert live_markup(seen, checked_links=True) == []


def test_one_who_may_not_write_is_told_how_to_read_not_how_to_add(
        rt: tuple[Runtime, Clock]) -> None:
    runtime, _ = rt
    grant(runtime, KARI, "Agder")
    grant(runtime, LESER, "Agder", "leser")
    to_reader = ("Ingen gode eksempler er ført for hele landet ennå. Du kan lese samlingen med "
                 "`/lhl eksempler`, men for å føre et eksempel trenger du koordinatortilgang; be "
                 "en administrator om den.")
    assert say(runtime, "eksempler", LESER) == to_reader
    assert say(runtime, "eksempler", "U0NOBODY") == to_reader
    for writer in (KARI, ADMIN):
        assert say(runtime, "eksempler", writer) == (
            "Ingen gode eksempler er ført for hele landet ennå. Før et med "
            '`/lhl eksempel ny Kristiansand "Kjøkkenet tilbake på sykehjemmet" område: mat '
            "lenke: https://www.kristiansand.kommune.no/leve-hele-livet`.")


def test_a_shared_name_is_shown_with_its_fylke_and_never_guessed(
        rt: tuple[Runtime, Clock]) -> None:
    runtime, _ = rt
    assert say(runtime, 'eksempel ny Herøy "T" område: mat').startswith(
        "Det finnes to kommuner som heter Herøy")
    say(runtime, 'eksempel ny Herøy (Nordland) "T" område: mat')
    assert "*Herøy (Nordland)* · «T»" in say(runtime, "eksempler")
    assert stored(runtime)[0] == 1


def test_bad_input_stores_nothing(rt: tuple[Runtime, Clock]) -> None:
    runtime, _ = rt
    for line in ('eksempel ny Kristiansand "T" område: demens',
                 'eksempel ny Kristiansand "T" område: mat lenke: javascript:alert(1)',
                 'eksempel ny Kristiansand "T" område: mat lenke: <https://x|y>',
                 'eksempel ny Kristiansand "T" område: mat notat: fnr 01017012345',
                 'eksempel ny Atlantis "T" område: mat'):
        reply = say(runtime, line)
        assert not reply.startswith("Lagret"), reply
    assert stored(runtime) == (0, 0, 0)


def test_title_and_note_arrive_as_the_characters_typed_and_the_link_as_a_link(
        rt: tuple[Runtime, Clock]) -> None:
    runtime, _ = rt
    saved = reply_to(runtime, f'eksempel ny Kristiansand "{EVIL}" område: mat lenke: '
                              f"{URL}?a=1&b=2 notat: {EVIL}")
    assert_reply_within_limits(saved)
    listed = reply_to(runtime, "eksempler")
    for made in (saved, listed):
        seen = all_text(made.text, made.blocks)
        assert escape(EVIL) in seen
        assert live_markup(seen, checked_links=True) == []
        assert set(live_markup(seen)) == {
            "<https://www.kristiansand.kommune.no/leve-hele-livet?a=1&amp;b=2|"
            "www.kristiansand.kommune.no/leve-hele-livet?a=1&amp;b=2>"}
    assert "Notat: &lt;!channel&gt;" in listed.text


def test_access_as_for_other_writes(rt: tuple[Runtime, Clock]) -> None:
    runtime, _ = rt
    grant(runtime, KARI, "Agder")
    grant(runtime, OLA, "Agder")
    grant(runtime, LESER, "Agder", "leser")
    assert say(runtime, 'eksempel ny Bergen "T" område: mat', KARI).startswith(
        "Du fører for Statsforvalteren i Agder, og Bergen hører ikke til der")
    assert say(runtime, 'eksempel ny Vennesla "T" område: mat', LESER).startswith(
        "Du har lesetilgang")
    assert say(runtime, "eksempel ny Vennesla \"T\" område: mat", "U0NOBODY").startswith(
        "Du har ikke skrivetilgang ennå, så ingenting ble lagret")
    assert say(runtime, 'eksempel ny Vennesla "T" område: mat', KARI).startswith("Lagret")
    assert say(runtime, 'eksempel ny Bergen "A" område: mat').startswith("Lagret")
    assert say(runtime, "eksempel slett 1", OLA).startswith(
        f"Eksempel #1 ble ført av <@{KARI}>, og bare den som førte det")
    assert say(runtime, "eksempel slett 1", LESER).startswith("Du har lesetilgang")
    assert "«T»" in say(runtime, "eksempler", LESER)
    assert stored(runtime)[0] == 2
    assert say(runtime, "eksempel slett 1", KARI).startswith("Slettet: godt eksempel #1")
    assert say(runtime, "eksempel slett 2").startswith("Slettet: godt eksempel #2")
    assert say(runtime, "eksempel slett 2").startswith("Jeg finner ikke noe eksempel #2")


def test_logg_slett_and_angre_take_an_example_away_and_back(rt: tuple[Runtime, Clock]) -> None:
    runtime, clock = rt
    grant(runtime, KARI, "Agder")
    say(runtime, f'eksempel ny Vennesla "Trim for alle" område: aktivitet lenke: {URL}', KARI)
    clock.tick()
    logg = say(runtime, "logg Vennesla")
    assert f"<@{KARI}> · godt eksempel «Trim for alle» fra Vennesla (eksempel #1)" in logg
    assert "godt eksempel «Trim for alle»" in say(runtime, "logg Agder")
    change = int(re.search(r"#(\d+) · [^\n]*godt eksempel", logg)[1])  # type: ignore[index]
    assert say(runtime, f"slett {change}", KARI) == (
        f"Slettet #{change}: godt eksempel «Trim for alle» fra Vennesla (eksempel #1). "
        "`/lhl angre` henter det tilbake.")
    assert stored(runtime)[:2] == (0, 0)
    assert say(runtime, "angre", KARI).startswith(
        "Angret: godt eksempel «Trim for alle» fra Vennesla (eksempel #1) er tilbake")
    assert stored(runtime)[:2] == (1, 1)
    assert f"{URL.removeprefix('https://')}|" in say(runtime, "eksempler")
    assert say(runtime, "angre", KARI).startswith(
        "Angret: godt eksempel «Trim for alle» fra Vennesla (eksempel #1) er fjernet")
    assert stored(runtime)[:2] == (0, 0)
    made = say(runtime, 'eksempel ny Vennesla "Nytt" område: mat', KARI)
    number = int(re.match(r"Lagret: godt eksempel #(\d+)", made)[1])  # type: ignore[index]
    assert say(runtime, f"eksempel slett {number}", KARI).startswith("Slettet")
    assert say(runtime, "angre", KARI).startswith(
        f"Angret: godt eksempel «Nytt» fra Vennesla (eksempel #{number}) er tilbake")
    assert "angret i" in say(runtime, "logg Vennesla")


def test_the_kommune_card_names_three_examples_and_counts_the_rest(
        rt: tuple[Runtime, Clock]) -> None:
    runtime, clock = rt
    assert "Gode eksempler" not in say(runtime, "status Kristiansand")
    say(runtime, 'eksempel ny Kristiansand "Kjøkkenet tilbake på sykehjemmet" område: mat')
    assert say(runtime, "status Kristiansand").endswith(
        "Gode eksempler: «Kjøkkenet tilbake på sykehjemmet» (Mat og måltider)")
    for n in range(4):
        clock.tick()
        say(runtime, f'eksempel ny Kristiansand "Nr {n}" område: helsehjelp, mat')
    assert say(runtime, "status Kristiansand").endswith(
        "Gode eksempler: «Nr 3» (Mat og måltider, Helsehjelp), «Nr 2» (Mat og måltider, "
        "Helsehjelp), «Nr 1» (Mat og måltider, Helsehjelp) og 2 til (`/lhl eksempler "
        "Kristiansand`)")
    assert "Gode eksempler" not in say(runtime, "status Vennesla")
    for n in range(4):
        say(runtime, f'eksempel ny 1818 "Herøy {n}" område: mat')
    named = re.search(r"`/lhl (eksempler [^`]+)`", say(runtime, "status 1818"))
    assert named is not None and named[1] == "eksempler Herøy (Nordland)"
    assert say(runtime, named[1]).startswith("*Gode eksempler – Herøy (Nordland)* (4)")


def test_four_hundred_examples_page_within_slacks_limits(rt: tuple[Runtime, Clock]) -> None:
    runtime, _ = rt
    long_url = "https://www.kristiansand.kommune.no/" + "a" * 450
    with runtime.db.write() as session:
        for i in range(400):
            add_example(kommune_nummer="4204", tittel=f"{i:03d} " + "&<" * 73,
                        areas=list(BY_KEY), lenke=long_url, notat="<!here> " * 62,
                        by=ADMIN, now=NOW + timedelta(seconds=i), session=session)
    first = reply_to(runtime, "eksempler Kristiansand")
    assert_reply_within_limits(first)
    assert first.text.startswith("*Gode eksempler – Kristiansand* (400), nyeste først, side 1 av")
    pages = int(re.search(r"side 1 av (\d+)", first.text)[1])  # type: ignore[index]
    seen: list[str] = []
    for page in range(1, pages + 1):
        made = reply_to(runtime, f"eksempler Kristiansand side {page}")
        assert_reply_within_limits(made)
        assert live_markup(all_text(made.text, made.blocks), checked_links=True) == []
        seen += re.findall(r"«(\d{3}) ", made.text)
    assert seen == [f"{i:03d}" for i in reversed(range(400))]
    assert say(runtime, f"eksempler Kristiansand side {pages + 1}").startswith(
        f"Listen har bare {pages} sider")
    card = reply_to(runtime, "status Kristiansand")
    assert_reply_within_limits(card)
    assert "og 397 til" in card.text


def test_the_migration_adds_and_removes_the_tables(store_url: str) -> None:
    db = open_database(store_url)
    upgrade(db)

    def tables() -> set[str]:
        with db.read() as session:
            return set(inspect(session.connection()).get_table_names())

    assert {"example", "example_area"} <= tables()
    migrate(db, "0009", down=True)
    assert not tables() & {"example", "example_area"}
    assert "kommune_fase" in tables(), "the tables before it stay"
    upgrade(db)
    assert {"example", "example_area"} <= tables()
    db.dispose()


# --- Slack: the message is sent without unfurling, and the form -------------------------------


def test_over_http_the_link_is_a_link_and_the_reply_is_not_unfurled(http_bot: HttpBot) -> None:
    # Slack sends a typed address wrapped, and escapes what the user typed as <, > and &.
    typed = (f'eksempel ny Kristiansand "&lt;!channel&gt; &amp; Kjøkkenet" område: mat '
             f"lenke: <{URL}>")
    for text in (typed, "eksempler mat"):
        data = assert_reply(http_bot.post_command(text), "Kjøkkenet")
        assert (data["unfurl_links"], data["unfurl_media"]) == (False, False)
        seen = all_text(data["text"], data["blocks"])
        assert "&lt;!channel&gt; &amp; Kjøkkenet" in seen
        links = _LINK.findall(seen)
        assert links and set(links) == {f"<{URL}|{URL.removeprefix('https://')}>"}
        assert live_markup(seen, checked_links=True) == []


@pytest.fixture
def slack(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Slack]:
    with runtime_on(f"sqlite:///{tmp_path / 'lhl.db'}", slack_bot_token=BOT_TOKEN,
                    slack_signing_secret=SIGNING_SECRET,
                    lhl_slack_api_url=fake_slack.url, lhl_http_threads=2) as runtime:
        front = make_asgi_app(runtime)
        try:
            yield Slack(runtime, front, fake_slack)
        finally:
            front.close()


FILLED = {"kommune": ["4204"], "tittel": 'Kjøkkenet "tilbake" <!here>',
          "omrader": ["mat", "helsehjelp"], "lenke": URL,
          "notat": "Lenke: ikke et felt. Område: heller ikke."}


def test_the_form_opens_and_stores_what_the_typed_command_stores(slack: Slack,
                                                                 tmp_path: Path) -> None:
    form_view = slack.open_form("eksempel ny")
    assert form_view["callback_id"] == "lhl_form:eksempel-ny"
    assert [b["block_id"] for b in form_view["blocks"]] == [
        "kommune", "tittel", "omrader", "lenke", "notat"]
    resp = slack.submit(form_view, FILLED)
    assert (resp.status, resp.body) == (200, b"")
    (answer,) = slack.answers()
    assert answer.startswith('Lagret: godt eksempel #1, «Kjøkkenet "tilbake" &lt;!here&gt;» '
                             "fra Kristiansand.\nInnsatsområder: Mat og måltider, Helsehjelp\n"
                             f"Lenke: <{URL}|{URL.removeprefix('https://')}>\n"
                             "Notat: Lenke: ikke et felt. Område: heller ikke.")
    (posted,) = slack.fake.calls("chat.postEphemeral")
    assert (posted.params["unfurl_links"], posted.params["unfurl_media"]) == (False, False)
    with runtime_on(f"sqlite:///{tmp_path / 'typed.db'}") as typed:
        # The typed command cannot hold the title's quotes or the note's «Lenke:».
        say(typed, f'eksempel ny 4204 "T" område: mat, helsehjelp lenke: {URL}')
        with slack.runtime.db.read() as a, typed.db.read() as b:
            one, two = (s.exec(select(Example)).one() for s in (a, b))
            assert (one.kommune_nummer, one.lenke) == (two.kommune_nummer, two.lenke)
            assert (one.tittel, one.notat) == ('Kjøkkenet "tilbake" <!here>', FILLED["notat"])
            assert sorted(r.omrade for r in a.exec(select(ExampleArea))) == sorted(
                r.omrade for r in b.exec(select(ExampleArea))) == ["helsehjelp", "mat"]


@pytest.mark.parametrize(("change", "block", "sentence"), [
    ({"lenke": "javascript:alert(1)"}, "lenke", "«javascript:alert(1)» er ikke en nettadresse"),
    ({"lenke": "se nettsiden"}, "lenke", "«se nettsiden» er ikke en nettadresse"),
    ({"omrader": []}, "omrader", "Skriv hvilke innsatsområder"),
    ({"kommune": ["4204", "4223"]}, "kommune", "Velg én kommune"),
    ({"kommune": []}, "kommune", "Velg minst én kommune."),
    ({"notat": "Ring 12345678901"}, "notat", "Notatet ser ut til å inneholde et fødselsnummer"),
    ({"tittel": "Ring 010170 12345"}, "tittel", "Tittelen ser ut til å inneholde et "
                                               "fødselsnummer"),
])
def test_a_bad_form_is_shown_on_its_field_and_stores_nothing(
        slack: Slack, change: dict[str, Any], block: str, sentence: str) -> None:
    resp = slack.submit(slack.open_form("eksempel ny"), {**FILLED, **change})
    assert resp.json["response_action"] == "errors"
    assert list(resp.json["errors"]) == [block]
    assert resp.json["errors"][block].startswith(sentence), resp.json["errors"]
    assert stored(slack.runtime) == (0, 0, 0)


def test_a_reader_is_told_instead_of_given_the_form(slack: Slack) -> None:
    grant(slack.runtime, LESER, "Agder", "leser")
    resp = slack.command("eksempel ny", LESER)
    assert "lesetilgang" in resp.json["text"]
    assert slack.fake.calls("views.open") == []



def test_a_title_and_a_note_show_as_typed_never_as_formatting(
        rt: tuple[Runtime, Clock]) -> None:
    runtime, _ = rt
    made = reply_to(runtime, 'eksempel ny Grimstad "*Mat* for _alle_" område: mat '
                             "notat: ~gammel~ plan")
    token = "<!date^00000000^{{_}}|{}>".format
    shown = made.blocks[0]["text"]["text"]
    assert (f"«{token('*')}Mat{token('*')} for {token('_')}alle{token('_')}»"
            f" fra Grimstad") in shown
    assert f"Notat: {token('~')}gammel{token('~')} plan" in shown
    listed = reply_to(runtime, "eksempler Grimstad")
    assert "«*Mat* for _alle_»" not in json.dumps(listed.blocks, ensure_ascii=False)
    assert "«*Mat* for _alle_» · Mat og måltider" in unescape(listed.text)
    assert live_markup(listed.text, checked_links=True) == []


def test_angre_of_a_deletion_brings_back_no_second_example_of_the_same_title(
        rt: tuple[Runtime, Clock]) -> None:
    runtime, clock = rt
    grant(runtime, KARI, "Agder")
    grant(runtime, OLA, "Agder")
    say(runtime, 'eksempel ny Arendal "Kjøkken" område: mat', KARI)
    clock.tick()
    assert say(runtime, "eksempel slett 1", KARI).startswith("Slettet")
    clock.tick()
    assert say(runtime, 'eksempel ny Arendal "kjøkken " område: mat', OLA).startswith("Lagret")
    assert say(runtime, "angre", KARI) == (
        "Jeg angrer ingenting: eksempel #1 «Kjøkken» er ført på nytt som eksempel #2 av "
        f"<@{OLA}>, så det slettede hentes ikke tilbake.")
    assert stored(runtime)[0] == 1

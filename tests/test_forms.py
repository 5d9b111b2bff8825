"""Forms: a write command as a Slack modal, the kommune type-ahead, the message shortcut and
``/lhl rediger``.

The Slack tests send signed requests exactly as Slack sends them into the bot's HTTP
application (in this process, with the clock fixed at ``NOW``), against the fake Web API, which
checks every view the bot opens against Slack's limits for a modal. One test does the same
with ``lhl http`` in its own process.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from bot.forms import SHORTCUT
from bot.http_server import EVENTS_PATH, SlackFront, make_asgi_app
from bot.runtime import Runtime
from commands import logg_mote
from commands.base import Context
from commands.dispatch import form_for, open_form, read, submit_form
from commands.forms import Opening, view
from commands.parse.dates import PAST, dates_in
from commands.parse.places import kommuner_in, suggest_kommuner
from commands.registry import FORMS, lookup
from storage import changes
from storage.models import Change, DialogueMeeting, MeetingKommune
from storage.reference import Geography
from tests.support.clock import NOW
from tests.support.fake_slack import FakeSlack
from tests.support.http_bot import HttpBot, HttpResponse, call_asgi, held_in_agder
from tests.support.processes import REPO
from tests.support.runtime import ADMIN, BOT_TOKEN, SIGNING_SECRET, grant, runtime_on, say
from tests.support.slack_limits import assert_options_answer, assert_view_within_limits
from tests.support.slack_requests import (
    CHANNEL,
    block_suggestion_payload,
    interactive_body,
    message_action_payload,
    sign_request,
    slash_command_body,
    view_submission_payload,
)
from voice.modal import errors, options
from voice.reply import said

KARI = "U0KARI01"
OLA = "U0OLA001"
YESTERDAY = NOW.date() - timedelta(days=1)

ENTRY_1 = "Føring #1: `/lhl rediger 1` endrer den."
"""The last line of the first entry's confirmation (a fresh store's first change)."""


# --- the Slack side, in this process ----------------------------------------------------------


@dataclass
class Slack:
    """The bot's HTTP application with a runtime whose clock stands at ``NOW``, talking to
    the fake Web API."""

    runtime: Runtime
    front: SlackFront
    fake: FakeSlack

    def post(self, body: str) -> HttpResponse:
        return call_asgi(self.front, "POST", EVENTS_PATH, body,
                         sign_request(body, SIGNING_SECRET))

    def command(self, text: str, user: str = ADMIN) -> HttpResponse:
        return self.post(slash_command_body(text, user_id=user))

    def interact(self, payload: dict[str, Any]) -> HttpResponse:
        return self.post(interactive_body(payload))

    def opened(self, count: int = 1) -> dict[str, Any]:
        """The view of the ``count``-th ``views.open``."""
        call = self.fake.wait_for("views.open", count)[count - 1]
        found: dict[str, Any] = call.params["view"]
        return found

    def open_form(self, text: str, user: str = ADMIN) -> dict[str, Any]:
        """``/lhl text``, which opens a form: its view."""
        before = len(self.fake.calls("views.open"))
        resp = self.command(text, user)
        assert (resp.status, resp.body) == (200, b""), resp.text
        return self.opened(before + 1)

    def submit(self, form_view: dict[str, Any], values: dict[str, Any] | None = None, *,
               user: str = ADMIN, view_id: str = "V0LHL00001") -> HttpResponse:
        return self.interact(view_submission_payload(form_view, values, user_id=user,
                                                     view_id=view_id))

    def answers(self, count: int = 1) -> list[str]:
        """The texts of the first ``count`` ephemeral answers."""
        return [c.params["text"] for c in self.fake.wait_for("chat.postEphemeral", count)]


@pytest.fixture
def slack(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Slack]:
    with runtime_on(f"sqlite:///{tmp_path / 'lhl.db'}", slack_bot_token=BOT_TOKEN,
                    slack_signing_secret=SIGNING_SECRET,
                    lhl_slack_api_url=fake_slack.url, lhl_http_threads=2) as rt:
        front = make_asgi_app(rt)
        try:
            yield Slack(rt, front, fake_slack)
        finally:
            front.close()


def meetings(rt: Runtime) -> list[dict[str, Any]]:
    """Every stored meeting as the change log describes one (kommuner included)."""
    with rt.db.read() as session:
        ids = session.exec(select(DialogueMeeting.id).order_by(col(DialogueMeeting.id))).all()
        return [changes.meeting_state(i, session=session) or {} for i in ids if i is not None]


def change_kinds(rt: Runtime) -> list[str]:
    with rt.db.read() as session:
        return list(session.exec(select(Change.kind).order_by(col(Change.id))))


def initial(form_view: dict[str, Any], block_id: str) -> Any:
    """What a field of an opened form starts with."""
    block = next(b for b in form_view["blocks"] if b.get("block_id") == block_id)
    element = block["element"]
    if "initial_options" in element:
        return [o["value"] for o in element["initial_options"]]
    return element.get("initial_date", element.get("initial_value"))


FILLED = {"kommuner": ["4205", "4223"], "dato": "2026-11-23", "omrader": ["mat", "helsehjelp"],
          "tema": "måltidsglede", "med": ["KS", "annen"], "andre": "eldrerådet",
          "notat": "Tema: mat på sykehjem. Med: kjøkkensjefen."}
TYPED = ("logg-møte Lindesnes, Vennesla 23.11.2026 tema: Mat og måltider, Helsehjelp, "
         "måltidsglede med: KS, eldrerådet")
"""The typed command that stores what :data:`FILLED` does (but the note: the note holds
«Tema:» and «Med:», which the typed command would read as fields)."""


# --- opening ----------------------------------------------------------------------------------


def test_a_bare_write_command_opens_its_form_with_today_and_the_type_ahead(slack: Slack
                                                                           ) -> None:
    form_view = slack.open_form("logg-møte")
    (call,) = slack.fake.calls("views.open")
    assert call.params["trigger_id"].startswith("1234.5678.")
    assert form_view["callback_id"] == "lhl_form:logg-mote"
    assert form_view["title"]["text"] == "Logg møte"
    assert [b["block_id"] for b in form_view["blocks"]] == [
        "kommuner", "dato", "type", "omrader", "tema", "med", "andre", "notat"]
    assert initial(form_view, "type") is None  # a menu: its initial option
    assert form_view["blocks"][2]["element"]["initial_option"]["value"] == "dialogmøte"
    kommuner = form_view["blocks"][0]["element"]
    assert kommuner["type"] == "multi_external_select"
    assert kommuner["action_id"] == "lhl_kommuner" and kommuner["min_query_length"] == 2
    assert initial(form_view, "dato") == "2026-11-24"
    areas = form_view["blocks"][3]["element"]["options"]
    assert [o["text"]["text"] for o in areas] == [
        "Et aldersvennlig Norge", "Aktivitet og fellesskap", "Mat og måltider", "Helsehjelp",
        "Sammenheng i tjenestene"]
    notat = form_view["blocks"][7]["element"]
    assert notat["multiline"] is True and notat["max_length"] == 2000
    assert json.loads(form_view["private_metadata"])["c"] == CHANNEL
    assert_view_within_limits(form_view)  # and the fake checked it too (the fixture)


@pytest.mark.parametrize("text, callback", [
    ("tilby-møte", "lhl_form:tilby-mote"),
    ("arrangement ny", "lhl_form:arrangement-ny"),
])
def test_other_write_commands_open_their_forms(slack: Slack, text: str, callback: str) -> None:
    assert slack.open_form(text)["callback_id"] == callback


def test_the_network_form_offers_the_embetes_networks(slack: Slack) -> None:
    grant(slack.runtime, KARI, "Agder")
    say(slack.runtime, 'nettverk ny "Mat og måltider"', KARI)
    form_view = slack.open_form("nettverk inviter", KARI)
    assert form_view["callback_id"] == "lhl_form:nettverk-inviter"
    menu = form_view["blocks"][0]["element"]
    assert [o["text"]["text"] for o in menu["options"]] == ["Mat og måltider"]
    assert "embete" not in [b["block_id"] for b in form_view["blocks"]]


def test_a_user_who_may_not_write_is_told_instead_of_given_a_form(slack: Slack) -> None:
    resp = slack.command("logg-møte", OLA)
    assert resp.status == 200
    assert resp.json["text"].startswith("Du har ikke skrivetilgang ennå")
    assert slack.fake.calls("views.open") == []


def test_when_slack_does_not_open_the_form_the_command_answers_as_typed(slack: Slack) -> None:
    slack.fake.answer("views.open", {"ok": False, "error": "expired_trigger_id"})
    resp = slack.command("logg-møte")
    assert resp.json["text"].startswith("Skriv hvilke kommuner det gjelder")


def test_the_console_answers_a_bare_command_with_its_usage(slack: Slack) -> None:
    assert say(slack.runtime, "logg-møte").startswith(
        "Skriv hvilke kommuner det gjelder, for eksempel `/lhl logg-møte")
    assert slack.fake.calls("views.open") == []


def test_every_form_opens_within_slacks_limits(slack: Slack) -> None:
    rt = slack.runtime
    say(rt, 'nettverk ny "Mat" embete: Agder')
    say(rt, "logg-møte Vennesla i går notat: " + "x" * 1990)
    ctx = rt.context(ADMIN, CHANNEL)
    for spec, form in FORMS.values():
        rest = str(newest_entry(rt)) if form.name == "rediger" else ""
        if form.name == "rediger-tilbud":
            continue  # opened by rediger's own prepare, for an offer
        opening = open_form(form, rest, ctx=ctx, db=rt.db)
        assert_view_within_limits(view(opening, geo=rt.geo, private_metadata="{}"))
        assert spec.forms


# --- the type-ahead ---------------------------------------------------------------------------


def test_the_type_ahead_answers_mandal_with_lindesnes(slack: Slack) -> None:
    resp = slack.interact(block_suggestion_payload("lhl_kommuner", "Mandal"))
    assert resp.status == 200
    assert resp.json == {"options": [
        {"text": {"type": "plain_text", "text": "Lindesnes (tidligere Mandal)", "emoji": True},
         "value": "4205"}]}


@pytest.mark.parametrize("typed, first", [
    ("kristians", "Kristiansand"),
    ("Os", "Os"),
    ("guovda", "Guovdageaidnu (Kautokeino)"),
    ("4204", "4204 Kristiansand"),
    ("1002", "4205 Lindesnes (tidligere 1002 Mandal)"),
    ("herøy", "Herøy (Møre og Romsdal)"),
    ("nord-fron", "Nord-Fron"),
])
def test_the_type_ahead_reads_names_as_the_commands_do(geo: Geography, typed: str,
                                                       first: str) -> None:
    assert suggest_kommuner(typed, geo)[0].label == first


def test_a_name_of_several_kommuner_offers_each_and_a_split_one_each_successor(
        geo: Geography) -> None:
    assert [s.kommune.nummer for s in suggest_kommuner("Herøy", geo)] == ["1515", "1818"]
    assert [s.label for s in suggest_kommuner("Snillfjord", geo)] == [
        "Heim (del av tidligere Snillfjord)", "Hitra (del av tidligere Snillfjord)",
        "Orkland (del av tidligere Snillfjord)"]


@pytest.mark.parametrize("typed", ["s", "a", "", "  ", "zzzz", "4", "0"])
def test_a_type_ahead_answer_stays_within_slacks_limits(geo: Geography, typed: str) -> None:
    found = suggest_kommuner(typed, geo)
    assert len(found) <= 100
    assert_options_answer({"options": options((s.label, s.kommune.nummer) for s in found)})


def test_a_two_letter_type_ahead_is_answered_well_inside_slacks_3_seconds(
        geo: Geography) -> None:
    suggest_kommuner("ma", geo)  # the index is built once
    started = time.perf_counter()
    for prefix in ("ma", "st", "no", "ve", "kr", "ho", "sa", "bo", "ås", "øy"):
        suggest_kommuner(prefix, geo)
    assert (time.perf_counter() - started) / 10 < 0.05


@pytest.fixture(scope="module")
def geo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Geography]:
    with runtime_on(f"sqlite:///{tmp_path_factory.mktemp('geo') / 'lhl.db'}") as rt:
        yield rt.geo


# --- submitting ---------------------------------------------------------------------------


def test_a_submitted_form_stores_what_the_typed_command_stores(slack: Slack, tmp_path: Path
                                                               ) -> None:
    form_view = slack.open_form("logg-møte")
    resp = slack.submit(form_view, {**FILLED, "notat": None})
    assert (resp.status, resp.body) == (200, b"")
    (answer,) = slack.answers()
    assert answer == ("Lagret: dialogmøte holdt med Lindesnes og Vennesla 23. november 2026.\n"
                      "Tema: Mat og måltider, Helsehjelp, måltidsglede (Mat og måltider, "
                      "Helsehjelp)\nSammen med: KS, eldrerådet\n"
                      f"{ENTRY_1}")
    (posted,) = slack.fake.calls("chat.postEphemeral")
    assert (posted.params["channel"], posted.params["user"]) == (CHANNEL, ADMIN)
    with runtime_on(f"sqlite:///{tmp_path / 'typed.db'}") as typed:
        say(typed, TYPED)
        assert meetings(slack.runtime) == meetings(typed)
        assert change_kinds(slack.runtime) == change_kinds(typed) == ["meeting_held"]


def test_a_note_may_hold_what_the_typed_command_would_read_as_fields(slack: Slack) -> None:
    note = FILLED["notat"] + "\n\n«Bra» – ja"
    slack.submit(slack.open_form("logg-møte"), {**FILLED, "notat": note})
    assert slack.answers()[0].endswith(f"`/lhl notat 1` hele.\n{ENTRY_1}")
    (stored,) = meetings(slack.runtime)
    # Normalised as typed text is: one space for line breaks, a plain dash, the quoted
    # text as written.
    assert stored["notat"] == "Tema: mat på sykehjem. Med: kjøkkensjefen. «Bra» - ja"
    assert stored["tema"] == "Mat og måltider, Helsehjelp, måltidsglede"


@pytest.mark.parametrize("change, block, sentence", [
    ({"dato": "2026-11-25"}, "dato", "25. november 2026 er fram i tid"),
    ({"notat": "Ring 12345678901 i morgen"}, "notat", "Notatet ser ut til å inneholde et "
                                                       "fødselsnummer"),
    ({"tema": "x" * 500}, "tema", "Temaet er 529 tegn, men kan være høyst 500"),
    ({"kommuner": []}, "kommuner", "Velg minst én kommune."),
    ({"dato": None}, "dato", "Velg en dato."),
    ({"dato": "2010-05-12"}, "dato", "Året 2010 er utenfor årene jeg fører (2019–2031)"),
])
def test_a_bad_submission_is_shown_on_its_field_and_stores_nothing(
        slack: Slack, change: dict[str, Any], block: str, sentence: str) -> None:
    resp = slack.submit(slack.open_form("logg-møte"), {**FILLED, **change})
    assert resp.status == 200
    assert resp.json["response_action"] == "errors"
    assert list(resp.json["errors"]) == [block]
    assert resp.json["errors"][block].startswith(sentence)
    assert "`" not in resp.json["errors"][block]
    assert meetings(slack.runtime) == [] and change_kinds(slack.runtime) == []
    assert slack.fake.calls("chat.postEphemeral") == []


def test_a_refusal_in_a_form_shows_what_the_user_typed_as_plain_text() -> None:
    refusal = f"Møtetypen «{said('*rar*')}» kjenner jeg ikke; skriv `type: annet`."
    assert errors({"type": refusal}) == {
        "type": "Møtetypen «*rar*» kjenner jeg ikke; skriv type: annet."}


def test_a_refusal_of_the_whole_command_is_shown_on_the_first_field(slack: Slack) -> None:
    grant(slack.runtime, KARI, "Vestland")
    form_view = slack.open_form("logg-møte", KARI)
    resp = slack.submit(form_view, FILLED, user=KARI)
    assert resp.json["errors"] == {"kommuner": (
        "Du fører for Statsforvalteren i Vestland, og Lindesnes og Vennesla hører ikke til "
        "der, så ingenting ble lagret. Be en administrator om tilgang om du skal føre for et "
        "annet embete.")}
    assert meetings(slack.runtime) == []


def test_a_submission_delivered_twice_is_stored_once(slack: Slack) -> None:
    form_view = slack.open_form("logg-møte")
    body = interactive_body(view_submission_payload(form_view, FILLED, user_id=ADMIN))
    assert slack.post(body).status == 200
    assert slack.post(body).status == 200
    assert len(meetings(slack.runtime)) == 1
    # Each answer is posted after its own acknowledgement, so they may arrive in either order.
    assert sorted(a[:20] for a in slack.answers(2)) == ["Denne kommandoen kom",
                                                        "Lagret: dialogmøte h"]


def test_the_answer_is_a_direct_message_where_slack_will_not_post_it(slack: Slack) -> None:
    slack.fake.answer("chat.postEphemeral", {"ok": False, "error": "channel_not_found"})
    slack.submit(slack.open_form("logg-møte"), FILLED)
    (dm,) = slack.fake.wait_for("chat.postMessage")
    assert dm.params["channel"] == ADMIN
    assert dm.params["text"].startswith("Lagret: dialogmøte holdt med Lindesnes og Vennesla")


def test_the_offer_form_stores_alle_as_the_typed_command(slack: Slack) -> None:
    grant(slack.runtime, KARI, "Agder")
    form_view = slack.open_form("tilby-møte", KARI)
    assert "embete" not in [b["block_id"] for b in form_view["blocks"]]
    slack.submit(form_view, {"alle": ["alle"], "dato": "2026-09-01"}, user=KARI)
    assert slack.answers() == [
        "Lagret: dialogmøte tilbudt alle de 25 kommunene i Agder 1. september 2026."]


def test_the_network_form_invites_as_the_typed_command(slack: Slack) -> None:
    grant(slack.runtime, KARI, "Agder")
    say(slack.runtime, 'nettverk ny "Mat og måltider" fra 1. mars', KARI)
    form_view = slack.open_form("nettverk inviter", KARI)
    network = form_view["blocks"][0]["element"]["options"][0]["value"]
    resp = slack.submit(form_view, {"nettverk": network, "kommuner": ["4204", "0301"],
                                    "dato": "2026-11-20"}, user=KARI)
    assert resp.json["errors"] == {"kommuner": (
        "Du fører for Statsforvalteren i Agder, og Oslo hører ikke til der, så ingenting ble "
        "lagret. Be en administrator om tilgang om du skal føre for et annet embete.")}
    slack.submit(form_view, {"nettverk": network, "kommuner": ["4204"], "dato": "2026-11-20"},
                 user=KARI, view_id="V0LHL00002")
    assert slack.answers() == ["Lagret: Kristiansand invitert til «Mat og måltider» "
                               "20. november 2026."]


def test_the_event_form_stores_free_text_as_written(slack: Slack) -> None:
    form_view = slack.open_form("arrangement ny")
    assert [b["block_id"] for b in form_view["blocks"]][-1] == "embete"
    slack.submit(form_view, {"type": "konferanse", "tittel": 'Leve hele livet "i Agder"',
                             "dato": "2027-05-12", "malgruppe": "ledere (tema: ledelse)",
                             "hovedtema": "mat", "onsker": ["hdir"], "embete": "agder"})
    assert slack.answers() == [
        "Lagret: konferanse «Leve hele livet \"i Agder\"» 12. mai 2027 for Statsforvalteren i "
        "Agder (#1).\nMålgruppe: ledere (tema: ledelse)\nHovedtema: Mat og måltider\n"
        "Ønsker deltakelse fra: Hdir"]


# --- the message shortcut ---------------------------------------------------------------------


MESSAGE = {"type": "message", "user": KARI, "ts": "1700000123.000200",
           "thread_ts": "1700000100.000100",
           "text": "Fint dialogmøte med Mandal og Vennesla i går! Herøy var også med. "
                   "&lt;3 <https://example.org/12.05.2026|referat>"}


def test_the_shortcut_opens_the_meeting_form_filled_in_from_the_message(slack: Slack) -> None:
    resp = slack.interact(message_action_payload(SHORTCUT, MESSAGE,
                                                 user_id=ADMIN,
                                                 response_url=slack.fake.response_url))
    assert (resp.status, resp.body) == (200, b"")
    form_view = slack.opened()
    (asked,) = slack.fake.calls("chat.getPermalink")
    assert asked.params == {"channel": CHANNEL, "message_ts": "1700000123.000200"}
    assert initial(form_view, "kommuner") == ["4205", "4223"]
    assert initial(form_view, "dato") == YESTERDAY.isoformat()
    assert initial(form_view, "notat") == (
        "Fra Slack: https://lhl-test.slack.com/archives/C0LHL/p1700000123000200")
    said = form_view["blocks"][0]["elements"][0]["text"]
    assert said == ("Mandal er en del av Lindesnes siden 2020.\n"
                    "Herøy kan være flere kommuner; velg den riktige selv.")
    slack.submit(form_view)
    assert slack.answers()[0].startswith("Lagret: dialogmøte holdt med Lindesnes og Vennesla "
                                         f"{YESTERDAY.day}. november 2026.")
    (posted,) = slack.fake.calls("chat.postEphemeral")
    assert posted.params["thread_ts"] == "1700000100.000100"
    (stored,) = meetings(slack.runtime)
    assert stored["notat"].endswith("/p1700000123000200")


def test_a_message_is_read_for_kommuner_and_the_first_date_that_has_happened(
        slack: Slack) -> None:
    rt = slack.runtime
    ctx = rt.context(ADMIN, CHANNEL)
    opening: Opening = logg_mote.from_message(
        "Neste møte i morgen; forrige var 12. mai med Evje og Hornnes, Bergen i Vestland "
        "og Nord-Fron. Time er ikke satt.", None, ctx)
    assert opening.values["dato"] == date(2026, 5, 12)
    assert [rt.geo.kommuner[n].navn for n in opening.values["kommuner"]] == [
        "Evje og Hornnes", "Bergen", "Nord-Fron", "Time"]
    assert "notat" not in opening.values
    empty = logg_mote.from_message("Takk for sist!", None, ctx)
    assert empty.values == {"kommuner": [], "dato": NOW.date()}
    assert empty.lines == ("Jeg fant ingen kommune i meldingen; velg dem under.",)


def test_kommuner_and_dates_in_free_text(geo: Geography) -> None:
    found = kommuner_in("møte i Bø og Os med KS i Kristiansand", geo)
    assert [k.navn for k in found.kommuner] == ["Kristiansand"]
    assert found.unsettled == ("Bø", "Os")
    assert dates_in("kl 10 den 3.11, ikke 31. februar, men 2. desember", NOW,
                    direction=PAST) == [date(2026, 11, 3), date(2025, 12, 2)]


def test_the_shortcut_tells_a_reader_at_once(slack: Slack) -> None:
    grant(slack.runtime, KARI, "Agder", "leser")
    slack.interact(message_action_payload(SHORTCUT, MESSAGE, user_id=KARI,
                                          response_url=slack.fake.response_url))
    (told,) = slack.fake.wait_for("respond")
    assert told.params["text"].startswith("Du har lesetilgang for Statsforvalteren i Agder")
    assert told.params["response_type"] == "ephemeral"
    assert slack.fake.calls("views.open") == []


# --- rediger ----------------------------------------------------------------------------------


def newest_entry(rt: Runtime, user: str = ADMIN) -> int:
    """The number ``/lhl logg`` shows first (the newest entry): the number ``rediger`` and
    ``slett`` take."""
    found = re.search(r"^#(\d+) · ", say(rt, "logg", user), re.M)
    assert found is not None
    return int(found[1])


def test_rediger_opens_the_meeting_filled_in_and_saves_the_edit(slack: Slack) -> None:
    rt = slack.runtime
    grant(rt, KARI, "Agder")
    say(rt, "logg-møte Vennesla, Lindesnes i går tema: mat på sykehjem med: KS, eldrerådet "
            "notat: Godt møte", KARI)
    logged = newest_entry(rt, KARI)
    form_view = slack.open_form(f"rediger {logged}", KARI)
    assert form_view["callback_id"] == "lhl_form:rediger"
    assert initial(form_view, "kommuner") == ["4205", "4223"]
    assert initial(form_view, "dato") == YESTERDAY.isoformat()
    assert initial(form_view, "omrader") == ["mat"]
    assert initial(form_view, "tema") == "mat på sykehjem"
    assert initial(form_view, "med") == ["KS", "annen"]
    assert initial(form_view, "andre") == "eldrerådet"
    assert initial(form_view, "notat") == "Godt møte"

    slack.submit(form_view, user=KARI)
    assert slack.answers() == ["Ingenting å endre: dialogmøte holdt med Lindesnes og "
                               f"Vennesla {YESTERDAY.day}. november 2026 er allerede slik."]

    before = meetings(rt)
    slack.submit(form_view, {"dato": "2026-11-20", "kommuner": ["4223"]}, user=KARI,
                 view_id="V0LHL00002")
    edited = logged + 1
    assert slack.answers(2)[1] == (
        f"Endret: dialogmøte holdt med Vennesla 20. november 2026 (#{edited} i `/lhl logg`).\n"
        f"Dato: {YESTERDAY.day}. november 2026 → 20. november 2026\n"
        "Kommuner: Lindesnes og Vennesla → Vennesla\nAngre endringen med `/lhl angre`.")
    with rt.db.read() as session:
        (edit,) = changes.changes_of("dialogue_meeting", 1, session=session)[1:]
    # The row audit-logg's edit_meeting writes: logg, slett and angre read it as their own.
    assert (edit.id, edit.kind, edit.changed_by) == (edited, changes.MEETING_EDITED, KARI)
    assert edit.before == changes.as_json(before[0])
    assert edit.after == changes.as_json(meetings(rt)[0])
    assert edit.after["kommuner"] == ["4223"] and edit.after["dato"] == "2026-11-20"
    assert newest_entry(rt, KARI) == edited
    assert f"#{edited} · " in say(rt, "logg Vennesla", KARI)
    assert (f"· endret: dialogmøte holdt med Vennesla 20. november 2026 (før: dato "
            f"{YESTERDAY.day}. november 2026, kommuner Lindesnes og Vennesla)"
            ) in say(rt, "logg", KARI)
    # The edit's number is the meeting's too: its form opens from it.
    assert slack.open_form(f"rediger {edited}", KARI)["callback_id"] == "lhl_form:rediger"

    assert say(rt, "angre", KARI) == (
        "Angret: endringen av dialogmøte holdt med Vennesla 20. november 2026 (ført "
        "24. november 2026 kl. 10.00); det er igjen som før: dato "
        f"{YESTERDAY.day}. november 2026, kommuner Lindesnes og Vennesla.")
    assert meetings(rt) == before


def test_rediger_is_for_ones_own_meetings_and_admins(slack: Slack) -> None:
    rt = slack.runtime
    grant(rt, KARI, "Agder")
    grant(rt, OLA, "Agder")
    say(rt, "logg-møte Vennesla i går", KARI)
    nr = newest_entry(rt, KARI)
    refused = (f"#{nr} gjelder dialogmøte holdt med Vennesla {YESTERDAY.day}. november 2026, "
               "som <@U0KARI01> førte; bare den som førte det, eller en administrator, kan "
               "endre det.")
    resp = slack.command(f"rediger {nr}", OLA)
    assert resp.json["text"] == refused
    assert slack.fake.calls("views.open") == []
    assert say(rt, f"rediger {nr} Lindesnes i går", OLA) == refused
    assert say(rt, f"rediger {nr} Lindesnes i går", ADMIN).startswith(
        f"Endret: dialogmøte holdt med Lindesnes {YESTERDAY.day}. november 2026 (#{nr + 1} ")
    assert say(rt, f"rediger {nr} Bergen i går", KARI).startswith(
        "Du fører for Statsforvalteren i Agder, og Bergen hører ikke til der")
    assert say(rt, "rediger 99", KARI) == (
        "Jeg finner ingen føring #99; numrene står i `/lhl logg`.")
    assert say(rt, "rediger 1", KARI) == (  # the grant: in the change log, but not an entry
        "Jeg finner ingen føring #1; numrene står i `/lhl logg`.")


def test_rediger_takes_only_a_meeting_that_is_still_there(runtime: Runtime) -> None:
    rt = runtime
    say(rt, 'nettverk ny "Mat" embete: Agder')
    network = newest_entry(rt)
    assert say(rt, f"rediger {network}") == (
        f"#{network} gjelder læringsnettverket «Mat» for Statsforvalteren i Agder, ikke et "
        "møte, og `/lhl rediger` endrer bare møter; numrene står i `/lhl logg`.")
    say(rt, "logg-møte Vennesla i går")
    logged = newest_entry(rt)
    assert say(rt, f"slett {logged}").startswith(f"Slettet #{logged}: dialogmøte holdt med")
    gone = (f"gjelder dialogmøte holdt med Vennesla {YESTERDAY.day}. november 2026, som ikke "
            "finnes lenger, så det er ingenting å endre; numrene står i `/lhl logg`.")
    assert say(rt, f"rediger {logged}") == f"#{logged} {gone}"
    assert say(rt, f"rediger {logged + 1}") == f"#{logged + 1} {gone}"  # the deletion
    say(rt, "angre")  # brings the meeting back, with its number
    assert say(rt, f"rediger {logged} Vennesla 20.11.2026").startswith(
        "Endret: dialogmøte holdt med Vennesla 20. november 2026")


def test_slett_takes_an_edits_number_as_the_meetings_and_opens_no_form(slack: Slack) -> None:
    rt = slack.runtime
    say(rt, "logg-møte Vennesla i går")
    slack.submit(slack.open_form(f"rediger {newest_entry(rt)}"), {"dato": "2026-11-20"})
    assert slack.answers()[0].startswith("Endret: dialogmøte holdt med Vennesla 20. november")
    edited = newest_entry(rt)
    resp = slack.command(f"slett {edited}")
    assert resp.json["text"] == (
        f"Slettet #{edited}: dialogmøte holdt med Vennesla 20. november 2026. `/lhl angre` "
        "henter det tilbake.")
    assert len(slack.fake.calls("views.open")) == 1  # rediger's form, and none for slett
    assert meetings(rt) == []
    assert form_for(read("slett")) is None and form_for(read(f"slett {edited}")) is None


def test_rediger_typed_shows_the_meeting_and_replaces_it(runtime: Runtime) -> None:
    rt = runtime
    say(rt, "logg-møte Vennesla i går tema: mat notat: Godt møte")
    nr = newest_entry(rt)
    assert say(rt, f"rediger {nr}") == (
        f"Dialogmøte holdt med Vennesla {YESTERDAY.day}. november 2026 (ført av "
        f"<@{ADMIN}>).\nSkriv møtet slik det skal være etter nummeret; det erstatter det som "
        f"står: `/lhl rediger {nr} Vennesla 23.11.2026 tema: mat notat: Godt møte`\n"
        f"I Slack åpner `/lhl rediger {nr}` et skjema med møtet fylt ut.")
    assert say(rt, f"rediger {nr} Vennesla, Mandal 23.11.2026 tema: mat") == (
        "Mandal er en del av Lindesnes siden 2020.\n"
        f"Endret: dialogmøte holdt med Lindesnes og Vennesla 23. november 2026 (#{nr + 1} i "
        "`/lhl logg`).\n"
        "Kommuner: Vennesla → Vennesla og Lindesnes\nNotatet er fjernet.\n"
        "Angre endringen med `/lhl angre`.")
    assert say(rt, f"rediger {nr} Vennesla i morgen").startswith(
        "25. november 2026 er fram i tid")
    assert say(rt, "rediger tja") == (
        "Skriv nummeret på føringen av møtet du vil endre, for eksempel `/lhl rediger 12`; "
        "numrene står i `/lhl logg`.")


def test_an_offer_is_edited_with_the_offer_form(slack: Slack) -> None:
    rt = slack.runtime
    say(rt, "tilby-møte Vennesla 1. september")
    nr = newest_entry(rt)
    form_view = slack.open_form(f"rediger {nr}")
    assert form_view["callback_id"] == "lhl_form:rediger-tilbud"
    assert [b["block_id"] for b in form_view["blocks"] if b["type"] == "input"] == [
        "kommuner", "dato"]
    slack.submit(form_view, {"dato": "2026-09-02"})
    assert slack.answers()[0].startswith("Endret: dialogmøte tilbudt Vennesla 2. september")
    assert say(rt, f"rediger {nr} Vennesla 2.9.2026 notat: x").startswith(
        f"#{nr} er et tilbud om dialogmøte, og et tilbud har ikke type, tema")


def test_an_edit_someone_changed_since_is_not_undone(runtime: Runtime) -> None:
    rt = runtime
    grant(rt, KARI, "Agder")
    say(rt, "logg-møte Vennesla i går", KARI)
    nr = newest_entry(rt, KARI)
    say(rt, f"rediger {nr} Vennesla 20.11.2026", KARI)
    say(rt, f"rediger {nr} Vennesla 21.11.2026", ADMIN)
    assert say(rt, "angre", KARI) == (
        f"Jeg angrer ingenting: <@{ADMIN}> har endret dialogmøtet med Vennesla "
        "20. november 2026 etter din siste endring.")


def test_submit_form_runs_the_form_through_the_command(slack: Slack) -> None:
    """The same path without Slack: the values a form holds, by field key."""
    rt = slack.runtime
    spec = lookup("logg-møte")
    assert spec is not None
    ctx: Context = rt.context(ADMIN, CHANNEL)
    reply = submit_form(spec, logg_mote.LOGG_FORM,
                        {"kommuner": ["4204"], "dato": date(2026, 11, 20), "med": ["USHT"]},
                        {}, ctx=ctx, db=rt.db)
    assert reply.text == ("Lagret: dialogmøte holdt med Kristiansand 20. november 2026.\n"
                          f"Sammen med: USHT\n{ENTRY_1}")
    with rt.db.read() as session:
        rows = session.exec(select(MeetingKommune.kommune_nummer)).all()
    assert rows == ["4204"]


# --- HTTP mode, in its own process -----------------------------------------------------------


def test_a_form_over_http_opens_and_stores(http_bot: HttpBot) -> None:
    resp = http_bot.post_command("logg-møte")
    assert (resp.status, resp.body) == (200, b"")
    (call,) = http_bot.fake_slack.wait_for("views.open")
    form_view = call.params["view"]
    today = initial(form_view, "dato")
    options_resp = http_bot.post_signed(interactive_body(
        block_suggestion_payload("lhl_kommuner", "Mandal", user_id=ADMIN)))
    assert options_resp.json["options"][0]["value"] == "4205"
    resp = http_bot.post_signed(interactive_body(view_submission_payload(
        form_view, {"kommuner": ["4205"], "dato": today}, user_id=ADMIN)))
    assert (resp.status, resp.body) == (200, b"")
    (answer,) = http_bot.fake_slack.wait_for("chat.postEphemeral")
    assert answer.params["text"].startswith("Lagret: dialogmøte holdt med Lindesnes")
    assert held_in_agder(http_bot) == "1"


def test_the_manifest_has_the_shortcut_and_the_options_url() -> None:
    text = (REPO / "manifest.yml").read_text(encoding="utf-8")
    assert f"callback_id: {SHORTCUT}\n" in text
    assert "    - name: Logg møte fra denne meldingen\n      type: message\n" in text
    assert "message_menu_options_url: https://example.org/slack/events" in text


def test_a_refused_form_can_be_put_right_and_sent_again(slack: Slack) -> None:
    form_view = slack.open_form("logg-møte")
    assert slack.submit(form_view, {**FILLED, "dato": "2026-11-25"}).json["errors"]
    assert slack.submit(form_view, FILLED).body == b""  # the same view: nothing was stored
    assert len(meetings(slack.runtime)) == 1


def test_help_names_the_text_that_opens_a_form(slack: Slack) -> None:
    assert say(slack.runtime, "hjelp rediger").endswith(
        "Skjema i Slack: `/lhl rediger &lt;nr&gt;`.")  # mrkdwn, escaped
    assert "I Slack åpner `/lhl logg-møte` alene et skjema" in say(slack.runtime, "hjelp")


@pytest.mark.parametrize("opened_by, filled, typed", [
    ("plan", {"kommuner": ["4215", "4223"], "status": "vedtatt", "dato": "2026-05-12"},
     "plan Lillesand, Vennesla vedtatt 12.05.2026"),
    ("fase", {"kommuner": ["4215"], "fase": "3", "dato": "2026-03-01"},
     "fase Lillesand 3 1. mars"),
])
def test_plan_and_phase_forms_store_what_the_typed_commands_store(
        slack: Slack, tmp_path: Path, opened_by: str, filled: dict[str, Any], typed: str
        ) -> None:
    form_view = slack.open_form(opened_by)
    assert form_view["callback_id"] == f"lhl_form:{opened_by}"
    slack.submit(form_view, filled)
    with runtime_on(f"sqlite:///{tmp_path / 'typed.db'}") as by_hand:
        assert slack.answers() == [say(by_hand, typed)]
        assert say(slack.runtime, "status Lillesand") == say(by_hand, "status Lillesand")
        assert change_kinds(slack.runtime) == change_kinds(by_hand)
    future = slack.submit(form_view, {**filled, "dato": "2026-12-01"}, view_id="V0LHL00009")
    assert list(future.json["errors"]) == ["dato"]


def test_the_planned_meeting_form_stores_what_the_typed_command_stores(
        slack: Slack, tmp_path: Path) -> None:
    form_view = slack.open_form("planlegg-møte")
    assert form_view["callback_id"] == "lhl_form:planlegg-mote"
    assert "type" not in [b.get("block_id") for b in form_view["blocks"]]
    past = slack.submit(form_view, {"kommuner": ["4223"], "dato": "2026-11-23"})
    assert list(past.json["errors"]) == ["dato"]
    assert past.json["errors"]["dato"].startswith("23. november 2026 er passert")
    slack.submit(form_view, {"kommuner": ["4223"], "dato": "2027-05-12", "omrader": ["mat"],
                             "med": ["KS"]}, view_id="V0LHL00002")
    with runtime_on(f"sqlite:///{tmp_path / 'typed.db'}") as by_hand:
        typed = say(by_hand, "planlegg-møte Vennesla 12. mai tema: Mat og måltider med: KS")
        assert slack.answers() == [typed]
        assert meetings(slack.runtime) == meetings(by_hand)


def test_a_planned_meeting_is_edited_as_planlegg_mote_reads_it(slack: Slack) -> None:
    rt = slack.runtime
    say(rt, "planlegg-møte Vennesla 1. mars")
    nr = newest_entry(rt)
    assert slack.open_form(f"rediger {nr}")["callback_id"] == "lhl_form:rediger-planlagt"
    assert say(rt, f"rediger {nr} Vennesla 12. mai") == (
        f"Endret: dialogmøte planlagt med Vennesla 12. mai 2027 (#{nr + 1} i `/lhl logg`).\n"
        "Dato: 1. mars 2027 → 12. mai 2027\nAngre endringen med `/lhl angre`.")


def test_the_meeting_form_stores_the_type_of_meeting(slack: Slack) -> None:
    slack.submit(slack.open_form("logg-møte"), {"kommuner": ["4215"], "type": "ordfører"})
    assert slack.answers() == ["Lagret: møte med ordfører eller kommunedirektør holdt med "
                               f"Lillesand 24. november 2026.\n{ENTRY_1}"]
    (stored,) = meetings(slack.runtime)
    assert stored["type"] == "ordfører"

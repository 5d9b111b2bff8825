"""The change log for learning networks and events, ``/lhl logg``, ``/lhl slett`` and meeting
edits: each new kind of change, then ``angre``, leaves the store as it was; a later change by
someone else shields an earlier one; the listing and the removal keep to who may do what.
On SQLite and PostgreSQL.

The clock stands at tirsdag 24. november 2026 kl. 10.00 for what is set up, and an hour later
for the change and its undo.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select, text
from sqlmodel import col

from bot.runtime import Runtime
from storage import changes
from storage.db import open_database
from storage.entries import KEEP, Gone, edit_meeting
from storage.migrate import alembic_config, migrate, upgrade
from storage.models import Change, ChangeKommune
from tests.support.clock import NOW
from tests.support.runtime import ADMIN, grant
from tests.support.slack_limits import assert_reply_within_limits
from tests.support.store import change_log as log
from tests.support.store import set_clock as at
from tests.support.store import store_as_seen

KARI = "UKARI01"
OLA = "UOLA0001"
LESER = "ULESER01"
VESTLAND = "UVEST001"
CHANNEL = "C1"
LATER = NOW + timedelta(hours=1)
MAT = "Mat og måltider"



def say(rt: Runtime, line: str, user: str = ADMIN) -> str:
    return rt.handle(line, user, CHANNEL).text


def people(rt: Runtime) -> None:
    """Kari and Ola coordinate for Agder, Leser reads there, Vest coordinates for Vestland."""
    grant(rt, KARI, "Agder")
    grant(rt, OLA, "Agder")
    grant(rt, LESER, "Agder", "leser")
    grant(rt, VESTLAND, "Vestland")


def ok(rt: Runtime, line: str, user: str = ADMIN) -> str:
    said = say(rt, line, user)
    assert said.startswith(("Lagret", "Slettet", "Angret")), said
    return said


NY = f'nettverk ny "{MAT}" tema: mat fra 1. mars embete: Agder'
INVITER = f'nettverk inviter "{MAT}" Lillesand og Iveland 3. mars'
DELTAR = f'nettverk deltar "{MAT}" Lillesand og Iveland 1. april'
FORLATER = f'nettverk forlater "{MAT}" Iveland 1. juni'
SAMLING = f'nettverk samling "{MAT}" 20. april tema: måltidsglede deltakere: Lillesand'
ARRANGEMENT = ('arrangement ny konferanse "Leve hele livet i Agder" 12. mai målgruppe: ledere '
               "hovedtema: mat embete: Agder")
FORT = "ført 24. november 2026 kl. 11.00"
SLETTET = "slettet 24. november 2026 kl. 11.00"

# (what, set up first, the change, what angre says)
CASES = [
    ("nettverk ny", [], NY,
     f"Angret: læringsnettverket «{MAT}» for Statsforvalteren i Agder er fjernet ({FORT})."),
    ("nettverk inviter", [NY], INVITER,
     f"Angret: Lillesand og Iveland er ikke lenger invitert til «{MAT}» ({FORT})."),
    ("nettverk inviter alle", [NY], f'nettverk inviter "{MAT}" alle',
     "Angret: Risør, Grimstad, Arendal, Kristiansand, Lindesnes, Farsund, Flekkefjord, "
     "Gjerstad, Vegårshei, Tvedestrand, Froland, Lillesand, Birkenes, Åmli, Iveland, Evje og "
     "Hornnes, Bygland, Valle, Bykle, Vennesla, Åseral, Lyngdal, Hægebostad, Kvinesdal og "
     f"Sirdal er ikke lenger invitert til «{MAT}» ({FORT})."),
    ("nettverk deltar", [NY, INVITER], DELTAR,
     f"Angret: Lillesand og Iveland deltar ikke lenger i «{MAT}» ({FORT})."),
    ("nettverk forlater", [NY, DELTAR], FORLATER,
     f"Angret: Iveland forlot ikke «{MAT}» 1. juni 2026 likevel og deltar igjen ({FORT})."),
    ("nettverk samling", [NY, DELTAR], SAMLING,
     f"Angret: samlingen i «{MAT}» 20. april 2026 er fjernet ({FORT})."),
    ("arrangement ny", [], ARRANGEMENT,
     "Angret: konferanse «Leve hele livet i Agder» 12. mai 2027 (arrangement #1) er fjernet "
     f"({FORT})."),
    ("arrangement slett", [ARRANGEMENT], "arrangement slett 1",
     "Angret: konferanse «Leve hele livet i Agder» 12. mai 2027 (arrangement #1) er tilbake "
     f"({SLETTET})."),
    ("slett et møte", ["logg-møte Vennesla i går tema: mat med: KS notat: ringte"], "slett 1",
     f"Angret: dialogmøte holdt med Vennesla 23. november 2026 er tilbake ({SLETTET})."),
    ("slett et tilbud", ["tilby-møte Lillesand og Birkenes"], "slett 1",
     "Angret: dialogmøte tilbudt Lillesand og Birkenes 24. november 2026 er tilbake "
     f"({SLETTET})."),
    ("slett et nettverk med alt i det", [NY, INVITER, DELTAR, SAMLING, FORLATER], "slett 1",
     f"Angret: læringsnettverket «{MAT}» for Statsforvalteren i Agder er tilbake med alt som "
     f"var ført i det ({SLETTET})."),
    ("slett invitasjoner", [NY, INVITER], "slett 2",
     f"Angret: invitasjonen av Lillesand og Iveland til «{MAT}» 3. mars 2026 er tilbake "
     f"({SLETTET})."),
    ("slett deltakelse", [NY, DELTAR, FORLATER], "slett 2",
     f"Angret: deltakelsen til Lillesand og Iveland i «{MAT}» fra 1. april 2026 er tilbake "
     f"({SLETTET})."),
    ("slett at en forlot", [NY, DELTAR, FORLATER], "slett 3",
     f"Angret: det er igjen ført at Iveland forlot «{MAT}» 1. juni 2026 ({SLETTET})."),
    ("slett en samling", [NY, DELTAR, SAMLING], "slett 3",
     f"Angret: samlingen i «{MAT}» 20. april 2026 med Lillesand er tilbake ({SLETTET})."),
    ("slett en plan", ["plan Lillesand og Birkenes vedtatt 12. mai"], "slett 1",
     "Angret: plan vedtatt for Lillesand og Birkenes 12. mai 2026 er tilbake "
     f"({SLETTET})."),
    ("slett en fase", ["fase Lillesand 3 1. mars"], "slett 1",
     "Angret: Lillesand i fase 3 (implementering og gjennomføring) fra 1. mars 2026 er "
     f"tilbake ({SLETTET})."),
    ("slett et arrangement", [ARRANGEMENT], "slett 1",
     "Angret: konferanse «Leve hele livet i Agder» 12. mai 2027 (arrangement #1) er tilbake "
     f"({SLETTET})."),
]


@pytest.mark.parametrize(("setup", "change", "undone"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_each_new_kind_of_change_then_angre_leaves_the_store_as_it_was(
        runtime: Runtime, setup: list[str], change: str, undone: str) -> None:
    for line in setup:
        ok(runtime, line)
    before = store_as_seen(runtime)
    at(runtime, LATER)
    ok(runtime, change)
    assert store_as_seen(runtime) != before
    assert say(runtime, "angre") == undone
    assert store_as_seen(runtime) == before
    # The undo is logged against the change it took back, with the record before and after.
    *_, taken, undo = log(runtime)
    assert (undo.kind, undo.record, undo.record_id) == (changes.UNDO, taken.record,
                                                       taken.record_id)
    assert taken.undone_by == undo.id
    assert undo.before == taken.after and (undo.after == taken.before or taken.before is None)


def test_every_network_and_event_write_is_logged_with_its_record(runtime: Runtime) -> None:
    for line in (NY, INVITER, DELTAR, FORLATER, SAMLING, ARRANGEMENT):
        ok(runtime, line)
    rows = log(runtime)
    assert [(c.kind, c.record, c.record_id, c.changed_by) for c in rows] == [
        (changes.NETWORK_CREATED, "network", "1", ADMIN),
        (changes.NETWORK_INVITED, "network", "1", ADMIN),
        (changes.NETWORK_JOINED, "network", "1", ADMIN),
        (changes.NETWORK_LEFT, "network", "1", ADMIN),
        (changes.GATHERING_ADDED, "network", "1", ADMIN),
        (changes.EVENT_CREATED, "event", "1", ADMIN),
    ]
    created, invited, joined, left, gathering, event = rows
    assert created.before is None and created.after is not None
    assert (created.after["navn"], created.after["tema"], created.after["fra"],
            created.after["invitations"]) == (MAT, "mat", "2026-03-01", [])
    assert invited.after == {
        "network": MAT, "embete_id": "agder", "kommuner": ["4215", "4218"],
        "invitations": [
            {"kommune_nummer": k, "dato": "2026-03-03", "created_by": ADMIN,
             "created_at": "2026-11-24T09:00:00+00:00"} for k in ("4215", "4218")]}
    assert joined.after is not None and [p["til"] for p in joined.after["periods"]] == [None,
                                                                                       None]
    assert left.before is not None and left.after is not None
    assert [p["til"] for p in left.before["periods"]] == [None]
    assert [(p["kommune_nummer"], p["til"], p["ended_by"]) for p in left.after["periods"]] == [
        ("4218", "2026-06-01", ADMIN)]
    assert gathering.after is not None
    assert (gathering.after["dato"], gathering.after["kommuner"]) == ("2026-04-20", ["4215"])
    assert event.after is not None and event.after["areas"] == ["mat"]
    # Where each belongs, for the listing.
    assert {c.embete_id for c in rows} == {"agder"}
    with runtime.db.read() as session:
        links = session.execute(select(ChangeKommune.change_id, ChangeKommune.kommune_nummer)
                                .order_by(col(ChangeKommune.change_id))).all()
    assert [tuple(r) for r in links] == [(2, "4215"), (2, "4218"), (3, "4215"), (3, "4218"),
                                         (4, "4218"), (5, "4215")]


def test_angre_after_a_network_write_undoes_that_write_not_an_older_meeting(
        runtime: Runtime) -> None:
    ok(runtime, "logg-møte Vennesla i går")
    ok(runtime, NY)
    ok(runtime, DELTAR)
    assert say(runtime, "angre") == (
        "Angret: Lillesand og Iveland deltar ikke lenger i «Mat og måltider» "
        "(ført 24. november 2026 kl. 10.00).")
    assert "Gjennomført dialogmøte: 1 av 25" in say(runtime, "status Agder")
    assert say(runtime, "angre").startswith("Angret: læringsnettverket «Mat og måltider»")
    assert say(runtime, "angre").startswith("Angret: dialogmøte holdt med Vennesla")


def test_a_later_network_change_by_someone_else_shields_and_nothing_older_is_touched(
        runtime: Runtime) -> None:
    people(runtime)
    ok(runtime, "logg-møte Lillesand i går", KARI)
    ok(runtime, NY.replace(" embete: Agder", ""), KARI)
    ok(runtime, INVITER, KARI)
    ok(runtime, DELTAR.replace("Lillesand og Iveland", "Birkenes"), OLA)
    before = store_as_seen(runtime)
    assert say(runtime, "angre", KARI) == (
        f"Jeg angrer ingenting: <@{OLA}> har endret læringsnettverket «{MAT}» etter din siste "
        "endring.")
    assert store_as_seen(runtime) == before
    # Once Ola has taken his back, Kari's own changes come back one at a time.
    ok(runtime, "angre", OLA)
    assert say(runtime, "angre", KARI).startswith("Angret: Lillesand og Iveland er ikke lenger")
    assert say(runtime, "angre", KARI).startswith("Angret: læringsnettverket")
    assert say(runtime, "angre", KARI).startswith("Angret: dialogmøte holdt med Lillesand")


def test_someone_elses_deletion_shields_the_entry_from_its_authors_undo(
        runtime: Runtime) -> None:
    people(runtime)
    ok(runtime, ARRANGEMENT.replace(" embete: Agder", ""), KARI)
    ok(runtime, "slett 5", ADMIN)
    assert say(runtime, "angre", KARI) == (
        f"Jeg angrer ingenting: <@{ADMIN}> har endret arrangement #1 «Leve hele livet i Agder» "
        "etter din siste endring.")
    listed = "konferanse «Leve hele livet i Agder»"
    assert listed not in say(runtime, "arrangementer Agder")
    assert say(runtime, "angre").startswith("Angret: konferanse «Leve hele livet i Agder»")
    assert listed in say(runtime, "arrangementer Agder")


def test_a_network_with_something_written_outside_the_log_is_not_undone(
        runtime: Runtime) -> None:
    ok(runtime, NY)
    with runtime.db.write() as session:
        session.execute(text("INSERT INTO network_invitation (network_id, kommune_nummer, dato, "
                             "created_by, created_at) VALUES (1, '4215', '2026-03-01', 'U1', "
                             ":t)"), {"t": datetime(2026, 3, 1, tzinfo=UTC).replace(tzinfo=None)
                                      if runtime.db.url.startswith("sqlite")
                                      else datetime(2026, 3, 1, tzinfo=UTC)})
    assert say(runtime, "angre") == (
        f"Jeg angrer ingenting: læringsnettverket «{MAT}» er endret etter din siste endring.")
    assert "«Mat og måltider»" in say(runtime, "nettverker Agder")


# --- /lhl logg --------------------------------------------------------------------------------


def test_logg_lists_the_latest_entries_with_number_time_author_and_what(
        runtime: Runtime) -> None:
    people(runtime)
    ok(runtime, "logg-møte Vennesla i går", KARI)
    at(runtime, NOW + timedelta(minutes=12))
    ok(runtime, NY.replace(" embete: Agder", ""), KARI)
    ok(runtime, INVITER, OLA)
    ok(runtime, FORLATER.replace("forlater", "deltar").replace("1. juni", "1. april"), OLA)
    ok(runtime, FORLATER, OLA)
    ok(runtime, SAMLING, KARI)
    ok(runtime, ARRANGEMENT.replace(" embete: Agder", ""), KARI)
    ok(runtime, "logg-møte Bergen i går", VESTLAND)
    ok(runtime, "angre", KARI)
    assert say(runtime, "slett 5", KARI) == (
        "Slettet #5: dialogmøte holdt med Vennesla 23. november 2026. `/lhl angre` henter det "
        "tilbake.")
    reply = runtime.handle("logg", KARI, CHANNEL)
    # #1–#4 gave access (not entries); #12 is Vestland's.
    assert reply.text.split("\n\n") == [
        "*Siste føringer – Statsforvalteren i Agder* (9)",
        f"#14 · 24. november 2026 kl. 10.12 · <@{KARI}> · slettet: dialogmøte holdt med "
        "Vennesla 23. november 2026\n"
        f"#13 · 24. november 2026 kl. 10.12 · <@{KARI}> · angret #11: konferanse «Leve hele "
        "livet i Agder» 12. mai 2027 (arrangement #1)\n"
        f"#11 · 24. november 2026 kl. 10.12 · <@{KARI}> · konferanse «Leve hele livet i Agder» "
        "12. mai 2027 (arrangement #1) · angret i #13\n"
        f"#10 · 24. november 2026 kl. 10.12 · <@{KARI}> · samling i «{MAT}» 20. april 2026 "
        "med Lillesand\n"
        f"#9 · 24. november 2026 kl. 10.12 · <@{OLA}> · Iveland forlot «{MAT}» 1. juni 2026\n"
        f"#8 · 24. november 2026 kl. 10.12 · <@{OLA}> · Iveland deltar i «{MAT}» fra "
        "1. april 2026\n"
        f"#7 · 24. november 2026 kl. 10.12 · <@{OLA}> · Lillesand og Iveland invitert til "
        f"«{MAT}» 3. mars 2026\n"
        f"#6 · 24. november 2026 kl. 10.12 · <@{KARI}> · læringsnettverket «{MAT}» for "
        "Statsforvalteren i Agder\n"
        f"#5 · 24. november 2026 kl. 10.00 · <@{KARI}> · dialogmøte holdt med Vennesla "
        "23. november 2026",
        "Endre et møte med `/lhl rediger &lt;nr&gt;`, slett en føring med "
        "`/lhl slett &lt;nr&gt;`; `/lhl angre` tar tilbake din siste endring.",
    ]
    assert_reply_within_limits(reply)


def test_logg_scope_count_and_pages(runtime: Runtime) -> None:
    people(runtime)
    for line in ("logg-møte Vennesla i går", "logg-møte Lillesand og Birkenes i går",
                 "tilby-møte Iveland"):
        ok(runtime, line, KARI)
    ok(runtime, "logg-møte Bergen i går", VESTLAND)
    ok(runtime, "logg-møte Kristiansand og Bergen i går")  # an admin, across two embeter
    kari = say(runtime, "logg", KARI)
    assert kari.startswith("*Siste føringer – Statsforvalteren i Agder* (4)")
    assert "med Bergen 23. november" not in kari and "Kristiansand og Bergen" in kari
    assert say(runtime, "logg", ADMIN).startswith("*Siste føringer – hele landet* (5)")
    assert say(runtime, "logg Vestland", KARI).startswith(
        "*Siste føringer – Statsforvalteren i Vestland* (2)")
    lillesand = say(runtime, "logg Lillesand", LESER).split("\n\n")
    assert lillesand[0] == "*Siste føringer – Lillesand* (1)"
    assert lillesand[1].endswith("dialogmøte holdt med Lillesand og Birkenes 23. november 2026")
    # A user with no access reads too; without a place, the whole country.
    assert say(runtime, "logg", "UNOBODY").startswith("*Siste føringer – hele landet* (5)")
    two = say(runtime, "logg Agder 2").split("\n\n")
    assert two[0] == "*Siste føringer – Statsforvalteren i Agder* (4), side 1 av 2"
    assert [line.split(" · ")[0] for line in two[1].split("\n")] == ["#9", "#7"]
    assert two[-1] == "Neste side: `/lhl logg Agder 2 side 2`"
    page = say(runtime, "logg Agder 2 side 2").split("\n\n")
    assert page[0] == "*Siste føringer – Statsforvalteren i Agder* (4), side 2 av 2"
    assert [line.split(" · ")[0] for line in page[1].split("\n")] == ["#6", "#5"]
    assert say(runtime, "logg Agder 2 side 3") == (
        "Listen har bare 2 sider; skriv for eksempel `/lhl logg Agder 2 side 2`.")
    assert say(runtime, "logg 51") == (
        "Jeg viser fra 1 til 50 føringer om gangen; skriv for eksempel `/lhl logg 50`, og "
        "`side 2` for de neste.")
    assert say(runtime, "logg Nordland") == "Ingen føringer for Statsforvalteren i Nordland ennå."
    assert say(runtime, "logg Narnia").startswith(
        "Jeg kjenner ikke noe embete, fylke eller kommune som heter «Narnia».")
    assert say(runtime, "logg Narnia").endswith(
        "Skriv `/lhl logg [kommune|embete] [antall] [side &lt;nr&gt;]`, for eksempel "
        "`/lhl logg Agder 20`.")


@pytest.mark.parametrize("typed", ["logg Kristiansand i går", "logg Kristiansand 12.11",
                                   "logg i går", "logg Kristiansand 31. februar",
                                   "logg Kristiansand tema: mat"])
def test_the_old_short_form_of_logg_mote_points_to_logg_mote_and_stores_nothing(
        runtime: Runtime, typed: str) -> None:
    rest = typed.removeprefix("logg ")
    assert say(runtime, typed) == (
        "`/lhl logg` viser de siste føringene; et holdt møte føres med `/lhl logg-møte`, for "
        f"eksempel `/lhl logg-møte {rest}`.")
    assert log(runtime) == []


def test_two_hundred_entries_page_within_slacks_limits(runtime: Runtime) -> None:
    long_name = "Et svært langt navn på et læringsnettverk & <!channel> " * 3
    with runtime.db.write() as session:
        for n in range(200):
            changes.record(changes.NETWORK_CREATED, changes.NETWORK, n + 1, before=None,
                           after={"network": f"{long_name}{n}", "embete_id": "agder",
                                  "created_by": ADMIN, "created_at": NOW},
                           by="U" + "X" * 20, now=NOW, session=session)
    first = runtime.handle("logg Agder 50", ADMIN, CHANNEL)
    assert_reply_within_limits(first)
    lines = first.text.split("\n\n")[1:-2]
    assert "\n".join(lines).count("\n#") == 49
    assert first.text.startswith("*Siste føringer – Statsforvalteren i Agder* (200), "
                                 "side 1 av 4")
    assert "&lt;!channel&gt;" in first.text and "<!channel>" not in first.text
    last = runtime.handle("logg Agder 50 side 4", ADMIN, CHANNEL)
    assert_reply_within_limits(last)
    assert "#1 · " in last.text and "Neste side" not in last.text
    ten = say(runtime, "logg Agder")
    assert ten.startswith("*Siste føringer – Statsforvalteren i Agder* (200), side 1 av 20")


# --- /lhl slett -------------------------------------------------------------------------------


def test_slett_removes_own_entries_and_admins_any(runtime: Runtime) -> None:
    people(runtime)
    ok(runtime, "logg-møte Vennesla i går", KARI)
    ok(runtime, ARRANGEMENT.replace(" embete: Agder", ""), KARI)
    assert say(runtime, "slett 5", KARI) == (
        "Slettet #5: dialogmøte holdt med Vennesla 23. november 2026. `/lhl angre` henter det "
        "tilbake.")
    assert "Gjennomført dialogmøte: 0 av 25" in say(runtime, "status Agder")
    before = store_as_seen(runtime)
    logged = len(log(runtime))
    for user in (OLA, VESTLAND):
        assert say(runtime, "slett 6", user) == (
            "#6 gjelder konferanse «Leve hele livet i Agder» 12. mai 2027 (arrangement #1), som "
            f"<@{KARI}> førte; bare den som førte det, eller en administrator, kan slette det, "
            "så ingenting ble slettet.")
    assert say(runtime, "slett 6", LESER).startswith("Du har lesetilgang for Statsforvalteren "
                                                     "i Agder, men ikke skrivetilgang")
    assert say(runtime, "slett 6", "UNOBODY").startswith("Du har ikke skrivetilgang ennå")
    assert store_as_seen(runtime) == before and len(log(runtime)) == logged
    assert say(runtime, "slett 6") == (
        "Slettet #6: konferanse «Leve hele livet i Agder» 12. mai 2027 (arrangement #1). "
        "`/lhl angre` henter det tilbake.")
    assert log(runtime)[-1].kind == changes.EVENT_DELETED


def test_what_slett_refuses(runtime: Runtime) -> None:
    ok(runtime, "logg-møte Vennesla i går")
    ok(runtime, "angre")
    ok(runtime, ARRANGEMENT)
    ok(runtime, "slett 3")
    assert say(runtime, 'påminnelse ny "Ring Lillesand" i morgen kl 9').startswith("Påminnelse #1")
    before = store_as_seen(runtime)
    logged = len(log(runtime))
    assert say(runtime, "slett 1") == (
        "#1 gjelder dialogmøte holdt med Vennesla 23. november 2026, som ikke finnes lenger, "
        "så ingenting ble slettet.")
    assert say(runtime, "slett 2") == (
        "#2 er en angring, ikke en føring; skriv `/lhl slett 1` for å slette det den gjelder.")
    assert say(runtime, "slett 4") == (
        "#4 er en sletting, ikke en føring; den som slettet, kan ta den tilbake med "
        "`/lhl angre`.")
    assert say(runtime, "slett 5") == "Jeg finner ingen føring #5; numrene står i `/lhl logg`."
    assert say(runtime, "slett 99") == "Jeg finner ingen føring #99; numrene står i `/lhl logg`."
    assert say(runtime, "slett Vennesla") == (
        "Skriv nummeret på føringen du vil slette, for eksempel `/lhl slett 12`; numrene står "
        "i `/lhl logg`.")
    assert store_as_seen(runtime) == before and len(log(runtime)) == logged
    assert say(runtime, "slett #3").startswith("#3 gjelder konferanse")


def test_a_coordinator_deletes_a_whole_network_only_when_all_of_it_is_theirs(
        runtime: Runtime) -> None:
    people(runtime)
    ok(runtime, NY.replace(" embete: Agder", ""), KARI)
    ok(runtime, INVITER, OLA)
    before = store_as_seen(runtime)
    assert say(runtime, "slett 5", KARI) == (
        f"I læringsnettverket «{MAT}» for Statsforvalteren i Agder har også <@{OLA}> ført noe, "
        "så bare en administrator kan slette hele nettverket; ingenting ble slettet. Dine egne "
        "føringer i det sletter du én om gangen med numrene fra `/lhl logg`.")
    assert store_as_seen(runtime) == before
    assert say(runtime, "slett 6", OLA).startswith("Slettet #6: Lillesand og Iveland invitert")
    assert say(runtime, "slett 5", KARI) == (
        f"Slettet #5: læringsnettverket «{MAT}» for Statsforvalteren i Agder. Invitasjonene, "
        "deltakelsen og samlingene i det er slettet med det. `/lhl angre` henter det tilbake.")
    assert "ingen læringsnettverk" in say(runtime, "nettverker Agder")


def test_slett_of_a_leaving_lets_the_kommune_take_part_again(runtime: Runtime) -> None:
    for line in (NY, DELTAR, FORLATER):
        ok(runtime, line)
    assert say(runtime, "slett 3") == (
        f"Slettet #3: Iveland forlot «{MAT}» 1. juni 2026. Iveland deltar igjen. `/lhl angre` "
        "henter det tilbake.")
    assert "Deltar: 2 av 25" in say(runtime, f'nettverk vis "{MAT}"')


def test_an_entry_never_reaches_a_new_record_that_got_its_number(runtime: Runtime) -> None:
    """SQLite gives the number of a deleted last row to the next one: entry #5 is Kari's
    meeting, never Ola's that may have its number now."""
    people(runtime)
    ok(runtime, "logg-møte Vennesla i går", KARI)
    ok(runtime, "slett 5", ADMIN)
    ok(runtime, "logg-møte Lillesand i går", OLA)
    assert say(runtime, "slett 5", ADMIN) == (
        "#5 gjelder dialogmøte holdt med Vennesla 23. november 2026, som ikke finnes lenger, "
        "så ingenting ble slettet.")
    assert "Gjennomført dialogmøte: 1 av 25" in say(runtime, "status Agder")
    assert "Holdt 23. november 2026" in say(runtime, "status Lillesand")


def test_slett_is_never_offered_for_a_typo(runtime: Runtime) -> None:
    assert "slett" not in say(runtime, "slet 3")
    assert "slett" not in say(runtime, "sett 3")


# --- planned meetings and meetings of another type ---------------------------------------------


def test_planned_and_typed_meetings_are_listed_removed_and_put_back(runtime: Runtime) -> None:
    ok(runtime, "planlegg-møte Vennesla og Lillesand 15. desember tema: mat")
    ok(runtime, "logg-møte Lillesand i går type: ordfører tema: aktivitet")
    assert say(runtime, "logg").split("\n\n")[1] == (
        f"#2 · 24. november 2026 kl. 10.00 · <@{ADMIN}> · møte med ordfører eller "
        "kommunedirektør holdt med Lillesand 23. november 2026\n"
        f"#1 · 24. november 2026 kl. 10.00 · <@{ADMIN}> · dialogmøte planlagt med Lillesand "
        "og Vennesla 15. desember 2026")
    before = store_as_seen(runtime)
    assert len(before["meeting_area"]) == 2
    at(runtime, LATER)
    assert say(runtime, "slett 1") == (
        "Slettet #1: dialogmøte planlagt med Lillesand og Vennesla 15. desember 2026. "
        "`/lhl angre` henter det tilbake.")
    assert "Gjennomført eller planlagt dialogmøte: 0 av 25 (0 %)" in say(runtime, "status Agder")
    assert say(runtime, "angre") == (
        "Angret: dialogmøte planlagt med Lillesand og Vennesla 15. desember 2026 er tilbake "
        "(slettet 24. november 2026 kl. 11.00).")
    assert store_as_seen(runtime) == before
    assert say(runtime, "slett 2") == (
        "Slettet #2: møte med ordfører eller kommunedirektør holdt med Lillesand "
        "23. november 2026. `/lhl angre` henter det tilbake.")
    ok(runtime, "angre")
    # Put back with its type on every kommune row and the area its theme names.
    assert store_as_seen(runtime) == before
    assert say(runtime, "angre") == (
        "Angret: møte med ordfører eller kommunedirektør holdt med Lillesand 23. november 2026 "
        "(ført 24. november 2026 kl. 10.00).")
    assert say(runtime, "angre") == (
        "Angret: dialogmøte planlagt med Lillesand og Vennesla 15. desember 2026 "
        "(ført 24. november 2026 kl. 10.00).")
    assert all(not rows for name, rows in store_as_seen(runtime).items()
               if name in ("dialogue_meeting", "meeting_kommune", "meeting_area"))


def test_a_meeting_put_back_from_a_state_logged_before_types_is_a_dialogue_meeting(
        runtime: Runtime) -> None:
    """A deletion logged before migration 0008 holds no ``type`` or ``areas``: ``angre``
    puts the meeting back as 0008 left the meetings it found."""
    ok(runtime, "logg-møte Vennesla i går tema: mat")
    before = store_as_seen(runtime)
    ok(runtime, "slett 1")
    with runtime.db.write() as session:
        deletion = session.get(Change, 2)
        assert deletion is not None and deletion.before is not None
        deletion.before = {k: v for k, v in deletion.before.items()
                           if k not in ("type", "areas")}
        session.add(deletion)
    assert say(runtime, "angre").startswith(
        "Angret: dialogmøte holdt med Vennesla 23. november 2026 er tilbake")
    assert store_as_seen(runtime) == before


# --- editing a meeting ------------------------------------------------------------------------


def test_edit_meeting_is_logged_and_angre_restores_the_meeting(runtime: Runtime) -> None:
    ok(runtime, "logg-møte Vennesla i går tema: mat med: KS")
    before = store_as_seen(runtime)
    with runtime.db.write() as session:
        edit = edit_meeting(1, by=ADMIN, now=LATER, session=session,
                            kommuner=["4223", "4215"], dato=date(2026, 11, 20), tema=None,
                            notat="ringte")
        assert edit_meeting(1, by=ADMIN, now=LATER, session=session, med="KS") is None
    assert edit == 2
    edited = log(runtime)[-1]
    assert (edited.kind, edited.record, edited.record_id) == (changes.MEETING_EDITED,
                                                             changes.MEETING, "1")
    assert edited.before is not None and edited.after is not None
    assert (edited.before["kommuner"], edited.before["dato"], edited.before["tema"]) == (
        ["4223"], "2026-11-23", "mat")
    assert (edited.after["kommuner"], edited.after["dato"], edited.after["tema"],
            edited.after["notat"], edited.after["med"]) == (
        ["4215", "4223"], "2026-11-20", None, "ringte", "KS")
    card = say(runtime, "status Lillesand")
    assert "Holdt 20. november 2026, sammen med Vennesla" in card
    assert "#2 · 24. november 2026 kl. 11.00 · " in say(runtime, "logg")
    assert ("endret: dialogmøte holdt med Lillesand og Vennesla 20. november 2026 (før: dato "
            "23. november 2026, kommuner Vennesla, tema «mat», uten notat)") in say(runtime,
                                                                                    "logg")
    at(runtime, LATER)
    assert say(runtime, "angre") == (
        "Angret: endringen av dialogmøte holdt med Lillesand og Vennesla 20. november 2026 "
        "(ført 24. november 2026 kl. 11.00); det er igjen som før: dato 23. november 2026, "
        "kommuner Vennesla, tema «mat», uten notat.")
    assert store_as_seen(runtime) == before


def test_an_edit_by_someone_else_shields_the_meeting_from_its_authors_undo(
        runtime: Runtime) -> None:
    people(runtime)
    ok(runtime, "logg-møte Vennesla i går", KARI)
    with runtime.db.write() as session:
        edit_meeting(1, by=OLA, now=LATER, session=session, tema="mat")
    assert say(runtime, "angre", KARI) == (
        f"Jeg angrer ingenting: <@{OLA}> har endret dialogmøtet med Vennesla 23. november 2026 "
        "etter din siste endring.")
    # slett of the edit removes the meeting it points at: Kari's own.
    assert say(runtime, "slett 6", OLA).startswith("#6 gjelder dialogmøte holdt med Vennesla")
    assert say(runtime, "slett 6", KARI).startswith("Slettet #6: dialogmøte holdt med Vennesla")


def test_edit_meeting_keeps_type_kommune_rows_and_areas_together(runtime: Runtime) -> None:
    ok(runtime, "logg-møte Vennesla i går tema: mat")
    before = store_as_seen(runtime)
    with runtime.db.write() as session:
        edit_meeting(1, by=ADMIN, now=LATER, session=session, kommuner=["4223", "4215"],
                     meeting_type="eldreråd", tema="aktivitet og helsehjelp")
    seen = store_as_seen(runtime)
    assert [r[-1] for r in seen["meeting_area"]] == ["aktivitet", "helsehjelp"]
    with runtime.db.read() as session:
        rows = session.execute(text("SELECT kommune_nummer, type FROM meeting_kommune "
                                    "ORDER BY kommune_nummer")).all()
    assert [tuple(r) for r in rows] == [("4215", "eldreråd"), ("4223", "eldreråd")]
    assert "Gjennomført dialogmøte: 0 av 25" in say(runtime, "status Agder")
    assert ("endret: møte med eldreråd eller eldreorganisasjon holdt med Lillesand og Vennesla "
            "23. november 2026 (før: dialogmøte, kommuner Vennesla, tema «mat»)"
            ) in say(runtime, "logg")
    at(runtime, LATER)
    assert say(runtime, "angre") == (
        "Angret: endringen av møte med eldreråd eller eldreorganisasjon holdt med Lillesand og "
        "Vennesla 23. november 2026 (ført 24. november 2026 kl. 11.00); det er igjen som før: "
        "dialogmøte, kommuner Vennesla, tema «mat».")
    assert store_as_seen(runtime) == before


def test_edit_meeting_refuses_what_cannot_be(runtime: Runtime) -> None:
    ok(runtime, "logg-møte Vennesla i går")
    with runtime.db.write() as session:
        with pytest.raises(Gone):
            edit_meeting(7, by=ADMIN, now=LATER, session=session, tema="mat")
        with pytest.raises(ValueError):
            edit_meeting(1, by=ADMIN, now=LATER, session=session, kommuner=[])
        with pytest.raises(ValueError):
            edit_meeting(1, by=ADMIN, now=LATER, session=session, meeting_type="styremøte")
        assert edit_meeting(1, by=ADMIN, now=LATER, session=session, tema=KEEP) is None
    ok(runtime, "planlegg-møte Vennesla 15. desember")
    with runtime.db.write() as session, pytest.raises(ValueError):
        edit_meeting(2, by=ADMIN, now=LATER, session=session, meeting_type="ordfører")
    assert [c.kind for c in log(runtime)] == [changes.MEETING_HELD, changes.MEETING_PLANNED]


# --- the migration ----------------------------------------------------------------------------


def test_upgrading_to_0009_places_the_changes_already_logged(store_url: str) -> None:
    db = open_database(store_url)
    cfg = alembic_config(db.url)
    previous = ScriptDirectory.from_config(cfg).get_revision("0009").down_revision
    assert isinstance(previous, str)
    migrate(db, previous)
    stamp = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    sqlite = db.url.startswith("sqlite")
    with db.writer.begin() as conn:
        for kind, record, state in (
                ("meeting_held", "dialogue_meeting", {"kommuner": ["4215", "4223"]}),
                ("meeting_planned", "dialogue_meeting",
                 {"kommuner": ["4202"], "status": "planlagt", "type": "dialogmøte"}),
                ("access_granted", "access", {"embete_id": "agder", "rolle": "leser"})):
            conn.execute(text(
                "INSERT INTO change_log (changed_by, changed_at, kind, record, record_id, "
                "after) VALUES ('U1', :t, :k, :r, '1', :a)"),
                {"t": stamp.replace(tzinfo=None) if sqlite else stamp, "k": kind, "r": record,
                 "a": json.dumps(state)})
    upgrade(db)
    with db.read() as session:
        rows = session.execute(select(Change.id, Change.embete_id).order_by(col(Change.id)))
        assert [tuple(r) for r in rows] == [(1, None), (2, None), (3, "agder")]
        links = session.execute(select(ChangeKommune.change_id, ChangeKommune.kommune_nummer)
                                .order_by(col(ChangeKommune.change_id),
                                          col(ChangeKommune.kommune_nummer)))
        assert [tuple(r) for r in links] == [(1, "4215"), (1, "4223"), (2, "4202")]
    migrate(db, previous, down=True)
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM change_log")).scalar() == 3
    db.dispose()

"""The command handlers through the one code path (Runtime.handle), on a real store."""

from __future__ import annotations

import threading

from sqlalchemy import text

from bot.runtime import Runtime
from tests.support.runtime import ADMIN, grant, logged, say

KARI = "UKARI01"
OLA = "UOLA0001"


def test_logged_meeting_is_counted_in_status(runtime: Runtime) -> None:
    assert logged(runtime, "logg-møte Kristiansand i går") == (
        "Lagret: dialogmøte holdt med Kristiansand 23. november 2026."
    )
    status = say(runtime, "status Agder")
    assert "Kommuner: 25" in status
    assert "Fått tilbud om dialogmøte: 1 av 25 (4 %)" in status
    assert "Gjennomført dialogmøte: 1 av 25 (4 %)" in status


def test_several_kommuner_with_theme_and_partners(runtime: Runtime) -> None:
    reply = logged(runtime, "logg-møte Vennesla, Lillesand og Evje og Hornnes i går "
                         "tema: mat og måltider med: ks og usht")
    assert reply.splitlines() == [
        "Lagret: dialogmøte holdt med Vennesla, Lillesand og Evje og Hornnes "
        "23. november 2026.",
        "Tema: Mat og måltider",
        "Sammen med: KS, USHT",
    ]
    assert "Gjennomført dialogmøte: 3 av 25 (12 %)" in say(runtime, "status Agder")
    kommune = say(runtime, "status Lillesand")
    assert "Holdt 23. november 2026, sammen med Evje og Hornnes og Vennesla" in kommune
    assert "tema: Mat og måltider" in kommune


def test_writes_need_access_and_stay_in_own_embete(runtime: Runtime) -> None:
    refused = say(runtime, "logg-møte Lillesand i går", KARI)
    assert "ikke skrivetilgang" in refused and "/lhl tilgang gi" in refused
    grant(runtime, KARI, "Agder")
    assert say(runtime, "logg-møte Lillesand i går", KARI).startswith("Lagret")
    outside = say(runtime, "logg-møte Bergen i går", KARI)
    assert "Bergen hører ikke til der" in outside
    assert "Gjennomført dialogmøte: 0 av 43" in say(runtime, "status Vestland")
    assert "Gjennomført dialogmøte: 1 av 25" in say(runtime, "status", KARI)


def test_reader_cannot_write_and_only_admins_grant(runtime: Runtime) -> None:
    grant(runtime, OLA, "Viken", "leser")
    assert "lesetilgang" in say(runtime, "logg-møte Asker i går", OLA)
    assert say(runtime, f"tilgang gi <@{KARI}> Agder", OLA) == (
        "Bare administratorer kan endre tilganger."
    )
    assert say(runtime, "tilgang", OLA) == (
        "Du er leser for Statsforvalteren i Østfold, Buskerud, Oslo og Akershus."
    )
    assert "Ingen dialogmøter" in say(runtime, "status Asker")


def test_access_can_be_removed(runtime: Runtime) -> None:
    grant(runtime, KARI, "Agder")
    assert "ikke lenger tilgang" in say(runtime, f"tilgang fjern <@{KARI}>")
    assert "ikke skrivetilgang" in say(runtime, "logg-møte Lillesand i går", KARI)


def test_future_meeting_and_identity_number_are_refused(runtime: Runtime) -> None:
    assert "fram i tid" in say(runtime, "logg-møte Lillesand i morgen")
    refused = say(runtime, "logg-møte Lillesand i går notat: ringte 01017012345 om saken")
    assert refused == (
        "Notatet ser ut til å inneholde et fødselsnummer (11 sifre), så ingenting ble lagret: "
        "lhl fører arbeidet med kommunene, ikke personopplysninger. Skriv det uten nummeret.")
    too_long = say(runtime, "logg-møte Lillesand i går tema: " + "mat " * 150)
    assert too_long == "Temaet er 599 tegn, men kan være høyst 500; skriv det kortere."
    assert say(runtime, "logg-møte Lillesand i går med: KS 010170 12345").startswith(
        "«med:» ser ut til å inneholde et fødselsnummer")
    assert "Gjennomført dialogmøte: 0 av 25" in say(runtime, "status Agder")


def test_second_log_of_same_meeting_is_flagged(runtime: Runtime) -> None:
    say(runtime, "logg-møte Lillesand 20. november")
    grant(runtime, KARI, "Agder")
    reply = say(runtime, "logg-møte Lillesand og Birkenes i går", KARI)
    assert "Mulig dobbeltføring" in reply
    assert f"Lillesand 20. november 2026 (ført av <@{ADMIN}>)" in reply
    assert "Birkenes" not in reply.split("Mulig dobbeltføring")[1]
    far = say(runtime, "logg-møte Lillesand 1. november", KARI)
    assert "dobbeltføring" not in far


def test_undo_removes_own_latest_entry_only(runtime: Runtime) -> None:
    grant(runtime, KARI, "Agder")
    say(runtime, "logg-møte Lillesand 20. november", KARI)
    say(runtime, "logg-møte Birkenes i går", ADMIN)
    assert say(runtime, "angre", KARI) == (
        "Angret: dialogmøte holdt med Lillesand 20. november 2026 "
        "(ført 24. november 2026 kl. 10.00)."
    )
    status = say(runtime, "status Agder")
    assert "Gjennomført dialogmøte: 1 av 25" in status
    assert say(runtime, "angre", KARI) == "Du har ingen endringer å angre."


def test_offer_to_all_kommuner_of_own_embete(runtime: Runtime) -> None:
    grant(runtime, KARI, "Agder")
    say(runtime, "logg-møte Lillesand i går", KARI)
    reply = say(runtime, "tilby-møte alle", KARI)
    assert reply.splitlines() == [
        "Lagret: dialogmøte tilbudt 24 kommuner 24. november 2026.",
        "Lillesand hadde allerede fått tilbud i 2026 og ble ikke ført på nytt.",
    ]
    status = say(runtime, "status Agder")
    assert "Fått tilbud om dialogmøte: 25 av 25 (100 %)" in status
    assert "Gjennomført dialogmøte: 1 av 25 (4 %)" in status
    again = say(runtime, "tilby-møte alle", KARI)
    assert "ingenting nytt ble lagret" in again
    assert say(runtime, "tilby-møte alle Rogaland 1. november") == (
        "Lagret: dialogmøte tilbudt alle de 23 kommunene i Rogaland 1. november 2026.")


def test_status_landet_has_a_row_per_embete_and_a_total(runtime: Runtime) -> None:
    say(runtime, "logg-møte Bergen, Voss i går")
    say(runtime, "tilby-møte Tromsø")
    reply = say(runtime, "status landet")
    rows = [line for line in reply.splitlines() if line.startswith("• ") and "fått tilbud" in line]
    assert len(rows) == 10
    networks = ("invitert til læringsnettverk 0 av {n} (0 %), "
                "deltar i læringsnettverk 0 av {n} (0 %)")
    assert ("• Vestland: fått tilbud 2 av 43 (5 %), gjennomført 2 av 43 (5 %), "
            "gjennomført eller planlagt 2 av 43 (5 %), " + networks.format(n=43)) in rows
    assert ("• Troms og Finnmark: fått tilbud 1 av 39 (3 %), gjennomført 0 av 39 (0 %), "
            "gjennomført eller planlagt 0 av 39 (0 %), " + networks.format(n=39)) in rows
    assert _national(reply) == (
        "*Totalt (357 kommuner):* fått tilbud 3 av 357 (1 %), gjennomført 2 av 357 (1 %), "
        "gjennomført eller planlagt 2 av 357 (1 %), " + networks.format(n=357)
    )


def _national(reply: str) -> str:
    """The total of the meeting and network figures in ``status landet`` (plan and phase have
    a section of their own after it)."""
    return next(line for line in reply.splitlines() if line.startswith("*Totalt ("))


def test_status_for_an_earlier_year_and_a_fylke(runtime: Runtime) -> None:
    say(runtime, "logg-møte Asker 12. mai 2025")
    assert "Gjennomført dialogmøte: 0 av 21" in say(runtime, "status Akershus")
    last_year = say(runtime, "status Akershus 2025")
    assert "*Akershus fylke* – dialogmøter i 2025" in last_year
    assert "Gjennomført dialogmøte: 1 av 21 (5 %)" in last_year
    assert "mellom 2019 og 2026" in say(runtime, "status Agder 2031")


def test_homonym_is_never_guessed_and_nothing_is_stored(runtime: Runtime) -> None:
    reply = say(runtime, "logg-møte Herøy i går")
    assert "Herøy (Møre og Romsdal)" in reply and "Herøy (Nordland)" in reply
    assert "Holdt 0" not in reply
    assert "fått tilbud 0 av 357" in say(runtime, "status landet")
    assert say(runtime, "logg-møte Herøy (Nordland) i går").startswith(
        "Lagret: dialogmøte holdt med Herøy (Nordland)")


def test_unknown_command_suggests_the_closest(runtime: Runtime) -> None:
    assert say(runtime, "statsu") == (
        "Jeg kjenner ikke kommandoen «statsu». Mente du `/lhl status`?"
    )


def test_help_lists_every_command_with_an_example(runtime: Runtime) -> None:
    reply = runtime.handle("", ADMIN)
    for name in ("logg-møte", "tilby-møte", "status", "angre", "tilgang", "hjelp"):
        assert f"`/lhl {name}" in reply.text
    assert reply.blocks and reply.blocks[0]["type"] == "section"
    one = say(runtime, "hjelp logg-møte")
    assert "Eksempel: `/lhl logg-møte Vennesla, Lillesand i går" in one


def test_unexpected_failure_gives_a_reference_not_a_traceback(runtime: Runtime) -> None:
    with runtime.db.write() as session:
        session.execute(text("DROP TABLE meeting_kommune"))
    reply = say(runtime, "status Agder")
    assert reply.startswith("Beklager, noe gikk galt hos meg")
    assert "Traceback" not in reply and "meeting_kommune" not in reply


def test_concurrent_writes_all_land(runtime: Runtime) -> None:
    kommuner = [k.navn for k in runtime.geo.kommuner_i("vestland")][:24]
    replies: list[str] = []
    lock = threading.Lock()

    def log(name: str) -> None:
        reply = say(runtime, f"logg-møte {name} i går")
        with lock:
            replies.append(reply)

    threads = [threading.Thread(target=log, args=(n,)) for n in kommuner]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.startswith("Lagret") for r in replies), replies
    assert "Gjennomført dialogmøte: 24 av 43" in say(runtime, "status Vestland")


def test_vis_alle_shows_the_answer_to_the_channel_but_never_an_error(runtime: Runtime) -> None:
    assert not runtime.handle("status Agder", ADMIN).in_channel
    shared = runtime.handle("status Agder vis alle", ADMIN)
    assert shared.in_channel and "Kommuner: 25" in shared.text
    refused = runtime.handle("logg-møte Atlantis i går vis alle", ADMIN)
    assert not refused.in_channel and "Atlantis" in refused.text


def test_one_kommune_of_the_whole_country_is_under_one_percent(runtime: Runtime) -> None:
    say(runtime, "logg-møte Bergen i går")
    assert _national(say(runtime, "status landet")) == (
        "*Totalt (357 kommuner):* fått tilbud 1 av 357 (under 1 %), gjennomført 1 av 357 "
        "(under 1 %), gjennomført eller planlagt 1 av 357 (under 1 %), invitert til "
        "læringsnettverk 0 av 357 (0 %), deltar i læringsnettverk 0 av 357 (0 %)")


def test_status_troms_is_the_fylke_and_troms_og_finnmark_the_embete(runtime: Runtime) -> None:
    """As the README says: Troms has been a fylke of its own again since 2024."""
    assert say(runtime, "status Troms").splitlines()[:2] == [
        "*Troms fylke* – dialogmøter i 2026", "Kommuner: 21"]
    assert say(runtime, "status Troms og Finnmark").splitlines()[:2] == [
        "*Statsforvalteren i Troms og Finnmark* – dialogmøter i 2026", "Kommuner: 39"]


# --- notes ------------------------------------------------------------------------------------

NOTE = ("Kommunen vil følge opp kjøkkenprosjektet, og rådmannen inviterer KS og USHT til et "
        "nytt møte i januar.")


def test_a_note_is_shown_on_the_card_cut_short_and_whole_a_command_away(
        runtime: Runtime) -> None:
    saved = logged(runtime,
                   f"logg-møte Lillesand og Vennesla 20. november tema: mat notat: {NOTE}")
    assert saved.splitlines()[-1] == (
        "Notat lagret; kommunekortet viser starten og `/lhl notat 1` hele.")
    say(runtime, "logg-møte Lillesand i går notat: Ring tilbake i januar.")
    card = say(runtime, "status Lillesand").splitlines()
    assert card[1:] == [
        "Dialogmøter i 2026:",
        "• Holdt 23. november 2026",
        "   Notat: Ring tilbake i januar.",
        "• Holdt 20. november 2026, sammen med Vennesla – tema: Mat og måltider",
        "   Notat: Kommunen vil følge opp kjøkkenprosjektet, og rådmannen inviterer KS og "
        "USHT… (hele notatet: `/lhl notat 1`)",
        "Plan: ikke ført",
        "Fase: ikke ført",
        "Ingen læringsnettverk ført.",
    ]
    grant(runtime, OLA, "Agder", "leser")
    assert say(runtime, "notat 1", OLA) == (
        f"*Notat til dialogmøte #1*\nHoldt med Lillesand og Vennesla 20. november 2026; ført "
        f"av <@{ADMIN}> 24. november 2026.\n{NOTE}")
    assert say(runtime, "notat #2") == (
        f"*Notat til dialogmøte #2*\nHoldt med Lillesand 23. november 2026; ført av "
        f"<@{ADMIN}> 24. november 2026.\nRing tilbake i januar.")


def test_a_meeting_without_a_note_or_no_meeting_at_all_is_said_so(runtime: Runtime) -> None:
    say(runtime, "tilby-møte Lillesand 1. mars")
    assert say(runtime, "notat 1") == (
        "Dialogmøte #1, tilbudt Lillesand 1. mars 2026, har ikke noe notat.")
    say(runtime, f"logg-møte Birkenes i går notat: {NOTE}")
    say(runtime, "angre")
    assert say(runtime, "notat 2") == (
        "Jeg finner ikke noe dialogmøte #2; `/lhl status &lt;kommune&gt;` viser møtene og "
        "numrene ved notatene.")
    assert say(runtime, "notat neste") == (
        "Skriv nummeret på møtet, for eksempel `/lhl notat 12`; `/lhl status &lt;kommune&gt;` "
        "viser numrene ved notatene.")


def test_a_former_kommunenummer_after_status_is_the_kommune_and_a_year_stays_a_year(
        runtime: Runtime) -> None:
    assert say(runtime, "status 1002").splitlines()[:2] == [
        "*Lindesnes* (4205, Agder) – Statsforvalteren i Agder",
        "1002 Mandal er en del av Lindesnes siden 2020."]
    assert say(runtime, "status 1902").splitlines()[0].startswith("*Tromsø* (5501, Troms)")
    # Finnmark's former 2002–2030 read as years; 2015 was Hasvik's number.
    assert say(runtime, "status 2015") == (
        "Året må være mellom 2019 og 2026, for eksempel `/lhl status Agder 2025`.")
    assert say(runtime, "status Agder 2025").splitlines()[0] == (
        "*Statsforvalteren i Agder* – dialogmøter i 2025")


def test_a_refusal_outside_the_embete_keeps_how_a_former_name_was_read(
        runtime: Runtime) -> None:
    grant(runtime, "UKARI01", "Agder")
    refused = ("Førde er en del av Sunnfjord siden 2020.\n"
               "Du fører for Statsforvalteren i Agder, og Sunnfjord hører ikke til der, så "
               "ingenting ble lagret. Be en administrator om tilgang om du skal føre for et "
               "annet embete.")
    assert say(runtime, "logg-møte Førde i går", "UKARI01") == refused
    assert say(runtime, "tilby-møte Førde", "UKARI01") == refused
    assert "Ingen dialogmøter ført i 2026." in say(runtime, "status Sunnfjord").splitlines()


def test_an_admin_offers_to_all_of_an_embete_named_with_its_label(runtime: Runtime) -> None:
    assert say(runtime, "tilby-møte alle embete: Agder") == (
        "Lagret: dialogmøte tilbudt alle de 25 kommunene i Agder 24. november 2026.")
    assert say(runtime, "tilby-møte alle Agder") == (
        "Alle de 25 kommunene i Agder har allerede fått tilbud om dialogmøte i 2026, så "
        "ingenting nytt ble lagret.")


def test_an_identity_number_anywhere_in_a_write_is_refused_and_nothing_stored(
        runtime: Runtime) -> None:
    refused = ("Teksten ser ut til å inneholde et fødselsnummer (11 sifre), så ingenting ble "
               "lagret: lhl fører arbeidet med kommunene, ikke personopplysninger. Skriv det "
               "uten nummeret.")
    assert say(runtime, 'påminnelse ny "Ring 120170 12345" i morgen kl 10') == refused
    assert say(runtime, 'arrangement ny seminar "Fnr" i morgen målgruppe: 12017012345 '
                        "hovedtema: mat embete: Agder") == refused
    assert say(runtime, "påminnelser").startswith("Denne kanalen har ingen påminnelser.")
    assert say(runtime, "arrangementer landet").startswith("Ingen arrangementer")


def test_an_unknown_field_after_a_known_one_is_refused_too(runtime: Runtime) -> None:
    refused = ("Feltet «sted:» kjenner jeg ikke; logg-møte har feltene `type:`, `tema:`, `med:` "
               "og `notat:`, for eksempel `/lhl logg-møte Vennesla, Lillesand i går tema: mat og "
               "måltider med: KS`.")
    assert say(runtime, "logg-møte Bygland i går tema: mat sted: Evje") == refused
    assert say(runtime, "logg-møte Bygland i går med: KS sted: Evje") == refused
    assert "Ingen dialogmøter ført i 2026." in say(runtime, "status Bygland").splitlines()
    saved = say(runtime, "logg-møte Bygland i går notat: Avtalt: ny runde i mars")
    assert saved.startswith("Lagret: dialogmøte holdt med Bygland 23. november 2026.")


def test_a_card_names_a_few_other_kommuner_with_og_and_counts_many(runtime: Runtime) -> None:
    say(runtime, "logg-møte Lillesand, Birkenes og Iveland i går")
    say(runtime, "tilby-møte alle Agder 1. november")
    assert "• Holdt 23. november 2026, sammen med Birkenes og Iveland" in say(
        runtime, "status Lillesand").splitlines()
    # The held meeting counts as offered: the other 22 were offered together.
    assert "• Tilbudt 1. november 2026, sammen med 21 andre kommuner" in say(
        runtime, "status Arendal").splitlines()


def test_a_kommune_where_an_embete_is_needed_says_which_embete_it_is_in(
        runtime: Runtime) -> None:
    assert say(runtime, "tilgang gi <@UOLA01|ola> Kristiansand") == (
        "Kristiansand er en kommune, og her trengs et embete eller fylke: Kristiansand hører "
        "til Statsforvalteren i Agder, så skriv for eksempel «Agder».")

"""Quoted text is kept as it was typed: typographic quotes inside it, its dashes and its
paragraphs, while the quotes around it may be straight or curly, and the rest of the line is
read as before (plain dashes, so ``—endre`` is ``--endre``)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.runtime import Runtime
from storage.models import Network, Nomination
from tests.support.runtime import say
from voice.text import Quoted, find_quoted, normalize, quoted


@pytest.mark.parametrize(("typed", "read"), [
    ('ny "Mat og «sitat» her" fra i dag', 'ny "Mat og «sitat» her" fra i dag'),
    ("ny “Hva – og hvorfor” fra  i dag", "ny “Hva – og hvorfor” fra i dag"),
    ('«Læring "Agder"» x', '«Læring "Agder"» x'),
    ('"Første\r\n\r\nandre avsnitt" 2027', '"Første\n\nandre avsnitt" 2027'),
    ("Grimstad  —endre", "Grimstad -endre"),
    ("“uten slutt – her", '"uten slutt - her'),
    ("a\u00a0b &amp; <@U1|kari>", "a b & <@U1>"),
])
def test_normalize_keeps_quoted_text_as_typed(typed: str, read: str) -> None:
    assert normalize(typed) == read


@pytest.mark.parametrize(("text", "last", "found"), [
    ('Os "Han sa «hei»" 2027', False, Quoted("Os", "Han sa «hei»", "2027", closed=True)),
    ('Os “a” b "c" d', False, Quoted("Os", "a", 'b "c" d', closed=True)),
    ('Os "han sa "hei" til alle" 2027', True,
     Quoted("Os", 'han sa "hei" til alle', "2027", closed=True)),
    ("«a \"b\" c» rest", False, Quoted("", 'a "b" c', "rest", closed=True)),
    ('„Statusmøte“ i morgen', False, Quoted("", "Statusmøte", "i morgen", closed=True)),
    ('Os "uten slutt', False, Quoted("Os", "uten slutt", "", closed=False)),
])
def test_find_quoted(text: str, last: bool, found: Quoted) -> None:
    assert find_quoted(text, last=last) == found


def test_no_quote_is_no_quoted_text() -> None:
    assert find_quoted("Grimstad i går") is None


@pytest.mark.parametrize("text", ["Mat", 'Læring "Agder"', "Hva “nå”", "«Ja» og nei"])
def test_quoted_reads_back_whole(text: str) -> None:
    found = find_quoted(f"x {quoted(text)} y")
    assert found is not None and (found.text, found.after) == (text, "y")


def test_a_network_name_keeps_its_quotes_and_is_offered_back_so(runtime: Runtime) -> None:
    answer = say(runtime, 'nettverk ny «Læring "Agder" – mat» tema: mat embete: Agder')
    with runtime.db.read() as session:
        (name,) = session.exec(select(Network.navn)).all()
    assert name == 'Læring "Agder" – mat'
    # The command it suggests is one that reads the name back whole.
    assert '`/lhl nettverk inviter «Læring "Agder" – mat» alle`' in answer
    assert say(runtime, 'nettverk inviter «Læring "Agder" – mat» Grimstad').startswith(
        'Lagret: Grimstad invitert til «Læring "Agder" – mat»')


def test_a_begrunnelse_keeps_its_quotes_dashes_and_paragraphs(runtime: Runtime) -> None:
    say(runtime, 'nominer Grimstad “Sa «ja» – og "gjorde det".\n\n\n\nAndre avsnitt.  ” '
                 "embete: Agder")
    with runtime.db.read() as session:
        (begrunnelse,) = session.exec(select(Nomination.begrunnelse)).all()
    assert begrunnelse == 'Sa «ja» – og "gjorde det".\n\nAndre avsnitt.'


def test_an_example_title_keeps_its_quotes(runtime: Runtime) -> None:
    answer = say(runtime, 'eksempel ny Grimstad "Matglede på «Fjæretunet» – hele året" '
                          "område: mat")
    assert answer.startswith("Lagret: godt eksempel #1, «Matglede på «Fjæretunet» – hele året» "
                             "fra Grimstad.")

"""The reply builder on its own: escaping, and Slack's limits held however long the input."""

from __future__ import annotations

import pytest

from tests.support.slack_limits import assert_reply_within_limits, live_markup
from voice.reply import (
    MESSAGE_CHARS,
    SECTION_CHARS,
    TOO_LONG,
    actions,
    button,
    escape,
    pages,
    plain_text,
    reply,
    said,
    shortened,
    text_only,
    unescape,
)


@pytest.mark.parametrize(("typed", "shown"), [
    ("<!channel> møte", "&lt;!channel&gt; møte"),
    ("<!here>", "&lt;!here&gt;"),
    ("<!everyone>", "&lt;!everyone&gt;"),
    ("<https://evil.example|Hdir-skjema>", "&lt;https://evil.example|Hdir-skjema&gt;"),
    ("<!subteam^S123|@koordinatorer>", "&lt;!subteam^S123|@koordinatorer&gt;"),
    ("KS & USHT", "KS &amp; USHT"),
    ("&lt; er ikke <", "&amp;lt; er ikke &lt;"),
    ("spør <@U123ABC>", "spør <@U123ABC>"),
    ("<@U123ABC|kari>", "&lt;@U123ABC|kari&gt;"),
    ("se <#C0LHL>", "se <#C0LHL>"),
    ("<#C0LHL|koordinatorer>", "<#C0LHL|koordinatorer>"),
    ("<#C0LHL|a|b>", "&lt;#C0LHL|a|b&gt;"),
    ("logg-møte <kommuner> <dato>", "logg-møte &lt;kommuner&gt; &lt;dato&gt;"),
])
def test_escape_keeps_only_user_mentions_and_channel_links(typed: str, shown: str) -> None:
    assert escape(typed) == shown
    assert unescape(shown) == typed
    assert live_markup(shown) == []


def test_every_section_is_escaped_and_verbatim() -> None:
    made = reply("*Tema:* <!channel>", "neste")
    assert [b["text"]["text"] for b in made.blocks] == ["*Tema:* &lt;!channel&gt;", "neste"]
    assert all(b["text"]["verbatim"] for b in made.blocks)
    assert made.text == "*Tema:* &lt;!channel&gt;\nneste"


def test_a_long_section_is_split_at_line_ends_and_nothing_is_lost() -> None:
    lines = [f"• linje {i} " + "x" * 90 for i in range(100)]
    made = reply("\n".join(lines))
    assert len(made.blocks) > 1
    assert_reply_within_limits(made)
    shown = "\n".join(b["text"]["text"] for b in made.blocks)
    assert shown.split("\n") == lines


def test_a_single_line_longer_than_a_section_is_cut_between_words_never_inside_an_entity(
) -> None:
    line = " ".join(["<&>"] * 600)
    made = reply(line)
    assert_reply_within_limits(made)
    for block in made.blocks:
        body = block["text"]["text"]
        assert len(body) <= SECTION_CHARS
        assert unescape(body).replace("<&>", "").strip() == "", body[-20:]


def test_too_much_for_one_message_ends_with_a_sentence_and_keeps_the_buttons() -> None:
    many = [f"Oppføring {i}: " + "y" * 400 for i in range(80)]
    buttons = actions(button("Lagre", "a", "b"))
    made = reply(*many, buttons)
    assert_reply_within_limits(made)
    assert made.blocks[-1] == buttons
    assert made.blocks[-2]["type"] == "context"
    assert made.blocks[-2]["elements"][0]["text"] == TOO_LONG
    assert len(made.text) <= MESSAGE_CHARS


def test_fifty_one_short_sections_become_fifty_blocks() -> None:
    made = reply(*[f"rad {i}" for i in range(51)])
    assert len(made.blocks) == 50
    assert made.blocks[-1]["elements"][0]["text"] == TOO_LONG


def test_an_error_sentence_is_escaped_text_without_blocks() -> None:
    made = text_only("Jeg finner ingen kommune som heter «<!here>».")
    assert made.text == "Jeg finner ingen kommune som heter «&lt;!here&gt;»."
    assert made.blocks == []


def test_a_button_label_is_plain_text_within_slacks_length() -> None:
    made = button("<!channel> " + "z" * 100, "lhl_x", "v")
    assert made["text"] == {"type": "plain_text", "text": made["text"]["text"]}
    assert made["text"]["text"].startswith("<!channel> ")
    assert len(made["text"]["text"]) <= 75


def test_pages_respect_both_the_count_and_the_size_and_lose_nothing() -> None:
    entries = [("<" * 900) if i % 7 == 0 else f"kort {i}" for i in range(60)]
    packed = pages(entries, per_page=15, budget=9000)
    assert [e for page in packed for e in page] == entries
    for page in packed:
        assert 1 <= len(page) <= 15
        assert sum(len(escape(e)) for e in page) <= 9000 or len(page) == 1
    assert pages([], per_page=15) == [[]]


def test_shortened_gives_older_entries_less_room_then_stops() -> None:
    full = [f"• møte {i} – tema: " + "t" * 400 for i in range(50)]
    short = [f"• møte {i}" for i in range(50)]
    lines = shortened(full, short, limit=2800)
    # Six full lines of 418 characters (2 508), then short ones: four of 9 (møte 6–9, 2 544)
    # and 25 of 10 (2 794); the 26th would pass 2 800.
    assert lines == [*full[:6], *short[6:35]]
    assert shortened(full[:5], short[:5], limit=2800) == full[:5], "all fit: nothing shortened"


_TOKEN = "<!date^00000000^{{_}}|{}>"


@pytest.mark.parametrize(("typed", "shown"), [
    ("*viktig*", _TOKEN.format("*") + "viktig" + _TOKEN.format("*")),
    ("_mat_ og ~ikke~", f"{_TOKEN.format('_')}mat{_TOKEN.format('_')} og "
                       f"{_TOKEN.format('~')}ikke{_TOKEN.format('~')}"),
    ("`kode`", f"{_TOKEN.format('`')}kode{_TOKEN.format('`')}"),
    (":white_check_mark: ok", ":white_check_mark: ok"),
    ("a < b & c", "a &lt; b &amp; c"),
    ("> sitat\n> to", "\u00ad&gt; sitat\n\u00ad&gt; to"),
    ("<@U123ABC> sa *ja*", f"<@U123ABC> sa {_TOKEN.format('*')}ja{_TOKEN.format('*')}"),
])
def test_what_a_user_wrote_is_shown_as_typed_never_as_formatting(typed: str, shown: str
                                                                  ) -> None:
    made = reply(f"*Tittel:*\n{said(typed)}")
    assert made.blocks[0]["text"]["text"] == f"*Tittel:*\n{shown}"
    assert live_markup(made.text) == []
    assert unescape(made.text) == f"*Tittel:*\n{typed}"


def test_a_quote_sign_inside_a_line_needs_no_soft_hyphen() -> None:
    assert escape(f"Tittel: {said('> 3 møter')}") == "Tittel: &gt; 3 møter"


def test_in_a_code_span_what_a_user_wrote_is_left_as_typed_but_cannot_end_the_span() -> None:
    made = escape(f"skriv `/lhl nettverk vis {said('Mat_og*drikke`')}` og {said('*ja*')}")
    assert made == ("skriv `/lhl nettverk vis Mat_og*drikke\u02cb` og "
                    f"{_TOKEN.format('*')}ja{_TOKEN.format('*')}")


def test_a_user_cannot_close_the_mark_early() -> None:
    sneaky = "a\ue003 *b*"
    assert "*b*" not in escape(f"{said(sneaky)}")
    assert escape(said(sneaky)).count("<!date") == 2


def test_plain_text_fields_show_what_a_user_wrote_without_marks() -> None:
    assert plain_text(f"Slett {said('*Mat*')}") == "Slett *Mat*"
    made = actions(button(f"Endre {said('_x_')}", "a", "v"))
    assert made["elements"][0]["text"]["text"] == "Endre _x_"

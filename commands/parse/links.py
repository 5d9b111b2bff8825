"""A link a user gives (``lenke: https://…``), checked before anything is stored: an
``http(s)`` address with a host that has a dot, no spaces, at most
:data:`voice.reply.LINK_CHARS` characters, made of the characters a URL may hold (non-ASCII
letters in the host become their IDNA form, elsewhere percent escapes), so that the reply
builder shows it as a link (:func:`voice.reply.link`).

Slack sends a link typed in a slash command wrapped (``<https://x.no/a>``, and ``www.x.no``
as ``<http://www.x.no|www.x.no>``): those are read as the address. A link whose text is
another than its address (``<https://x.no|klikk her>``) is refused: what is stored is what
the user saw. An address without a scheme (``www.x.no/a``, ``x.no``) is taken as ``https://``.
"""

from __future__ import annotations

import re
import unicodedata
from contextlib import suppress
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from commands.base import UsageError
from voice.reply import LINK_CHARS, safe_url, said
from voice.words import echo

EXAMPLE = "https://www.kristiansand.kommune.no/leve-hele-livet"
_WRAPPED = re.compile(r"^<([^<>|]*)(?:\|([^<>]*))?>$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HOST_LIKE = re.compile(r"^[^\s/:@]+\.[^\s/:@]+(?:[/?#:]|$)")
_URL_SAFE = "/?#[]@!$&'()*+,;=:%~-._"
_NON_ASCII_ESCAPES = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


def parse_link(text: str) -> str:
    """The address ``text`` gives, as it will be stored and shown; UsageError otherwise."""
    written = text.strip()
    wrapped = _WRAPPED.match(written)
    if wrapped is not None:
        address, shown = wrapped[1], wrapped[2]
        if shown is not None and shown not in (address, _without_scheme(address)):
            raise _refused(written, "er en lenke som viser en annen tekst enn "
                                    "adressen")
        # Slack makes ``www.x.no`` into ``http://www.x.no``: the user wrote no scheme.
        written = shown if shown is not None and shown != address else address
    if not written or any(c.isspace() for c in written) or "<" in written or ">" in written:
        raise _refused(written, "er ikke en nettadresse (den kan ikke ha mellomrom)")
    if not _SCHEME.match(written) and _HOST_LIKE.match(written):
        written = f"https://{written}"
    parts = urlsplit(written)
    if parts.scheme.lower() not in ("http", "https"):
        raise _refused(written, "er ikke en nettadresse som begynner med https:// eller "
                                "http://")
    host = parts.hostname or ""
    if "." not in host.strip("."):
        raise _refused(written, "har ikke et vertsnavn med punktum")
    try:
        ascii_host = host.encode("idna").decode("ascii")
        port = f":{parts.port}" if parts.port is not None else ""
    except (UnicodeError, ValueError):
        raise _refused(written, "har et vertsnavn jeg ikke kan lese") from None
    if parts.username is not None or parts.password is not None:
        raise _refused(written, "har brukernavn eller passord i adressen")
    url = urlunsplit((parts.scheme.lower(), ascii_host + port, quote(parts.path, _URL_SAFE),
                      quote(parts.query, _URL_SAFE), quote(parts.fragment, _URL_SAFE)))
    if len(url) > LINK_CHARS:
        raise UsageError(f"Lenken er {len(url)} tegn, men kan være høyst {LINK_CHARS}; bruk en "
                         f"kortere adresse, for eksempel `lenke: {EXAMPLE}`.", field="lenke")
    if not safe_url(url):
        raise _refused(written, "er ikke en nettadresse jeg kan vise som lenke")
    return url


def _without_scheme(url: str) -> str:
    return re.sub(r"^https?://", "", url)


def shown_address(url: str, limit: int = 60) -> str:
    """What a link shows: its address without the scheme, with its letters (a host in IDNA
    form and escaped letters in the rest, ``%C3%A5``, as ``å``), cut to ``limit`` characters.
    Escapes of ASCII characters (``%20``, ``%2F``) stay: they were typed so."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    with suppress(UnicodeError):
        host = host.encode("ascii").decode("idna")
    port = f":{parts.port}" if parts.port is not None else ""
    rest = _NON_ASCII_ESCAPES.sub(_decoded, url.split(parts.netloc, 1)[1])
    return echo(f"{host}{port}{rest}", limit)


def _decoded(escapes: re.Match[str]) -> str:
    """The letters a run of percent escapes of non-ASCII bytes stands for (``%C3%A5`` → ``å``),
    as :func:`parse_link` made them of what was typed; the escapes as they are when they are
    not UTF-8 or stand for a character that is not shown (a control or direction mark)."""
    try:
        text = unquote(escapes[0], errors="strict")
    except UnicodeDecodeError:
        return escapes[0]
    if any(unicodedata.category(c).startswith("C") for c in text):
        return escapes[0]
    return text


def _refused(written: str, why: str) -> UsageError:
    return UsageError(f"«{said(echo(written, 60))}» {why}; skriv en nettadresse, for "
                      f"eksempel `lenke: {EXAMPLE}`.", field="lenke")

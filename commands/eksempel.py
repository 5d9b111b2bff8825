"""``/lhl eksempel ny <kommune> "<tittel>" område: <innsatsområder> [lenke: <url>] [notat: …]``
and ``/lhl eksempel slett <nr>``: the collection of good examples of how kommuner planned the
reform locally, so that kommuner can learn from one another (*eksempelsamling*, seed 003).

An example is about one kommune, read by the same name rules as every command (former names,
numbers, a shared name never guessed), and one or more of the five innsatsområder
(``voice.innsatsomrader``). A coordinator records examples for the kommuner of their own
embete; an administrator for any. The link is checked (``commands.parse.links``) and shown as
a link, never unfolded; the title and note are shown as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from commands.access import require_writer, writer_embete
from commands.base import CommandSpec, Context, UsageError, about
from commands.example_words import (
    EXAMPLE,
    FIVE_AREAS,
    areas_in_words,
    kommune_name,
    link_shown,
    what,
)
from commands.forms import (
    Form,
    Parsed,
    Submitted,
    areas_field,
    kommuner_field,
    note_field,
    text_field,
)
from commands.parse.fields import (
    check_length,
    number,
    refuse_empty_labels,
    refuse_identity_numbers,
    split_labels,
)
from commands.parse.links import parse_link
from commands.parse.places import NameNote, resolve_kommune
from storage import changes, entries
from storage.entries import delete_item, example_state, record_added
from storage.examples import add_example, get_example, same_example
from storage.models import EXAMPLE_NOTE_CHARS, EXAMPLE_TITLE_CHARS
from storage.reference import KommuneRef
from voice.innsatsomrader import Innsatsomrade, areas_in, only_areas
from voice.reply import Reply, plain_reply, preceded, said
from voice.text import find_quoted, fold
from voice.words import echo

USAGE = 'eksempel ny <kommune> "<tittel>" område: <innsatsområder> [lenke: <url>] [notat: …]'

_LABELS = {"omrade": "område", "omrader": "område", "omraade": "område",
           "omraader": "område", "lenke": "lenke", "link": "lenke", "url": "lenke",
           "notat": "notat"}
_LABEL_WORDS = ("område", "områder", "omrade", "omrader", "omraade", "omraader", "lenke",
                "link", "url", "notat")
_THEME = re.compile(r"^(?:hoved)?temae?r?\s*:\s*(.*)$", re.I | re.S)
"""«tema:», which a meeting has and an example does not (its areas are «område:»)."""


@dataclass(frozen=True)
class New:
    kommune: KommuneRef
    tittel: str
    areas: tuple[Innsatsomrade, ...]
    lenke: str | None
    notat: str | None
    notes: tuple[NameNote, ...] = ()
    """How the kommune's name was read (a former name), said before the answer."""


@dataclass(frozen=True)
class Delete:
    example_id: int


def parse(text: str, ctx: Context) -> New | Delete:
    verb, _, rest = text.strip().partition(" ")
    if fold(verb) == "ny":
        return _parse_new(rest.strip(), ctx)
    if fold(verb) in ("slett", "fjern"):
        return Delete(number(rest, "Skriv nummeret på eksempelet du vil slette, for eksempel "
                                   "`/lhl eksempel slett 3`; numrene står i `/lhl eksempler`."))
    raise UsageError(f"Før et godt eksempel med `/lhl {USAGE}`, for eksempel `/lhl {EXAMPLE}`; "
                     "les samlingen med `/lhl eksempler`.")


def _parse_new(text: str, ctx: Context) -> New:
    if not text:
        raise UsageError(f"Før et godt eksempel med `/lhl {USAGE}`, for eksempel "
                         f"`/lhl {EXAMPLE}`.")
    # The title first, so that a word such as «notat:» inside it is not taken for a label.
    title = find_quoted(text)
    if title is None or not title.closed:
        raise UsageError("Skriv tittelen i anførselstegn etter kommunen, for eksempel "
                         f"`/lhl {EXAMPLE}`.", field="tittel")
    kommune = title.before
    between, labels = split_labels(title.after, _LABEL_WORDS)
    if between:
        _refuse_theme(between)
        raise UsageError(f"Jeg forstår ikke «{said(echo(between))}» etter tittelen; skriv "
                         "innsatsområdene etter «område:», for eksempel "
                         f"`/lhl {EXAMPLE}`.")
    fields: dict[str, str] = {}
    for written, value in labels.items():
        label = _LABELS[fold(written)]
        if label in fields:
            raise UsageError(f"Du har skrevet «{label}:» to ganger; skriv det én gang, for "
                             f"eksempel `/lhl {EXAMPLE}`.")
        fields[label] = value
    refuse_empty_labels(fields, ("lenke", "notat"))
    return new_example(kommune, title.line, fields, ctx)


def new_example(kommune: str, tittel: str, fields: dict[str, str], ctx: Context) -> New:
    """An example from its parts, checked as the typed command checks them: what the parser
    makes once it has split the text, and what the form makes from its fields (where a note
    may hold «lenke:» without it being a field). ``fields`` are by label (``område``,
    ``lenke``, ``notat``)."""
    with about("kommune"):
        if not kommune:
            raise UsageError(f"Skriv kommunen før tittelen, for eksempel `/lhl {EXAMPLE}`.")
        found = resolve_kommune(kommune, ctx.geo, home=ctx.home_embete)
    tittel = tittel.strip()
    with about("tittel"):
        if not tittel:
            raise UsageError(f"Skriv tittelen, for eksempel `/lhl {EXAMPLE}`.")
        check_length(tittel, "tittel", EXAMPLE_TITLE_CHARS)
        refuse_identity_numbers(tittel, "tittel")
    with about("omrader"):
        areas = _areas(fields.get("område", ""))
    with about("lenke"):
        lenke = parse_link(fields["lenke"]) if fields.get("lenke") else None
    notat = fields.get("notat", "").strip() or None
    if notat is not None:
        check_length(notat, "notat", EXAMPLE_NOTE_CHARS)
        refuse_identity_numbers(notat, "notat")
    return New(found.kommune, tittel, areas, lenke, notat, found.notes)


def _refuse_theme(between: str) -> None:
    theme = _THEME.match(between)
    if theme is None:
        return
    value = theme[1].strip()
    if value and only_areas(value):
        raise UsageError("Et godt eksempel har ikke «tema:»; innsatsområdene skrives etter "
                         f"«område:». Mente du `område: {echo(value)}`?", field="omrader")
    raise UsageError("Et godt eksempel har ikke «tema:»; skriv innsatsområdene etter "
                     f"«område:», ett eller flere av {FIVE_AREAS}, for eksempel `område: mat`.",
                     field="omrader")


def _areas(text: str) -> tuple[Innsatsomrade, ...]:
    """One or more of the five areas, by name or short form, separated by commas or «og»."""
    if not text.strip():
        raise UsageError("Skriv hvilke innsatsområder eksempelet gjelder etter «område:», ett "
                         f"eller flere av {FIVE_AREAS}, for eksempel `område: mat, helsehjelp`.")
    if not only_areas(text):
        raise UsageError(f"«{said(echo(text))}» er ikke ett av de fem innsatsområdene; skriv ett "
                         f"eller flere av {FIVE_AREAS}, for eksempel `område: mat, helsehjelp`.")
    return areas_in(text)


def execute(args: New | Delete, *, session: Session, ctx: Context) -> Reply:
    if isinstance(args, Delete):
        return _delete(args, ctx, session)
    read_as = [n.sentence for n in args.notes]
    with about("kommune"):
        require_writer(ctx, [args.kommune], session=session, said=read_as)
    with about("tittel"):
        _refuse_double(args, ctx, session)
    example_id = add_example(
        kommune_nummer=args.kommune.nummer, tittel=args.tittel,
        areas=[a.key for a in args.areas], lenke=args.lenke, notat=args.notat,
        by=ctx.user_id, now=ctx.now, session=session)
    record_added(changes.EXAMPLE_CREATED, example_id,
                 example_state(example_id, session=session), by=ctx.user_id, now=ctx.now,
                 session=session)
    stored = get_example(example_id, session=session)
    assert stored is not None
    lines = [f"Lagret: godt eksempel #{example_id}, {what(stored, ctx.geo)}.",
             f"Innsatsområder: {areas_in_words(stored.areas)}"]
    shown = link_shown(args.lenke)
    if shown:
        lines.append(f"Lenke: {shown}")
    if args.notat:
        lines.append(f"Notat: {said(args.notat)}")
    lines.append(f"`/lhl eksempel slett {example_id}` sletter det; `/lhl angre` angrer.")
    return preceded(read_as, plain_reply("\n".join(lines)))


def _refuse_double(args: New, ctx: Context, session: Session) -> None:
    """The same title for the same kommune is the same example sent twice (a double click, the
    form and the command): refused, pointing at the one there is."""
    found = same_example(args.kommune.nummer, args.tittel, session=session)
    if found is None:
        return
    stored = get_example(found, session=session)
    assert stored is not None
    raise UsageError(f"{what(stored, ctx.geo)} finnes allerede som eksempel #{found}, så "
                     "ingenting ble lagret; se det med "
                     f"`/lhl eksempler {kommune_name(args.kommune.nummer, ctx.geo)}`.")


def _delete(args: Delete, ctx: Context, session: Session) -> Reply:
    writer_embete(ctx, session=session)  # readers and users without access delete nothing
    stored = get_example(args.example_id, session=session)
    if stored is None:
        raise UsageError(f"Jeg finner ikke noe eksempel #{args.example_id}; numrene står i "
                         "`/lhl eksempler`.")
    if stored.example.created_by != ctx.user_id and not ctx.is_admin:
        raise UsageError(f"Eksempel #{args.example_id} ble ført av "
                         f"<@{stored.example.created_by}>, og bare den som førte det eller en "
                         "administrator kan slette det, så ingenting ble slettet.")
    before = example_state(args.example_id, session=session)
    assert before is not None
    delete_item(entries.EXAMPLE, args.example_id, before, by=ctx.user_id, now=ctx.now,
                session=session)
    return plain_reply(f"Slettet: godt eksempel #{args.example_id}, {what(stored, ctx.geo)}. "
                       "`/lhl angre` henter det tilbake.")


# --- the form ---------------------------------------------------------------------------------


def _from_form(submitted: Submitted) -> Parsed:
    chosen = submitted.kommuner("kommune")
    if len(chosen) > 1:
        raise UsageError("Velg én kommune: et eksempel gjelder én kommune.", field="kommune")
    areas = submitted.ticked("omrader")
    fields = {"område": ", ".join(areas), "lenke": submitted.text("lenke") or "",
              "notat": submitted.text("notat") or ""}
    return Parsed(new_example(chosen[0], submitted.text("tittel") or "", fields,
                              submitted.ctx))


NEW_FORM = Form(
    "eksempel-ny", "Nytt godt eksempel",
    (kommuner_field("kommune", "Kommune", hint="Skriv navnet (også tidligere navn) eller "
                                               "kommunenummeret og velg én kommune."),
     text_field("tittel", "Tittel", max_chars=EXAMPLE_TITLE_CHARS, optional=False,
                placeholder="For eksempel Kjøkkenet tilbake på sykehjemmet"),
     areas_field(hint="Ett eller flere av de fem innsatsområdene eksempelet gjelder."),
     text_field("lenke", "Lenke", max_chars=500,
                placeholder="https://www.kristiansand.kommune.no/leve-hele-livet",
                hint="En nettadresse (https://…) der eksempelet er beskrevet; valgfri."),
     note_field(max_chars=EXAMPLE_NOTE_CHARS,
                hint="Hva kommunen gjorde, og hvem andre kan spørre; valgfritt.")),
    build=_from_form, opens=lambda rest: fold(rest.strip()) == "ny", opened_by="eksempel ny")


COMMAND = CommandSpec(
    name="eksempel",
    summary="fører et godt eksempel på hvordan en kommune har planlagt reformen lokalt "
            "(eksempelsamlingen), eller sletter et.",
    usage=USAGE,
    examples=(EXAMPLE, 'eksempel ny Bodø "Frivilligsentral og seniorsenter under ett tak" '
                       "område: aktivitet og aldersvennlig notat: kontakt frivilligsentralen",
              "eksempel slett 3"),
    writes=True,
    parse=parse,
    execute=execute,
    aliases=("eks",),
    forms=(NEW_FORM,),
    details=("Kommunen skrives som i alle kommandoer (også tidligere navn og numre). "
             f"«område:» er ett eller flere av innsatsområdene ({FIVE_AREAS}), skilt med komma "
             "eller «og». «lenke:» er en nettadresse som begynner med https:// eller http:// "
             "(`www.…` uten det leses som https://); den vises som lenke, uten forhåndsvisning. "
             f"Tittelen kan være høyst {EXAMPLE_TITLE_CHARS} tegn, notatet "
             f"{EXAMPLE_NOTE_CHARS}. Samme tittel for samme kommune føres ikke to ganger. En "
             "koordinator fører for kommunene i sitt embete. Slett "
             "med `/lhl eksempel slett <nr>` (ditt eget; en administrator alle)."),
)

"""Forms: a write command as a Slack modal, for whoever would rather click than type.

A form belongs to a command and is declared on its :class:`~commands.base.CommandSpec`
(``forms=(FORM,)``): which text opens it (``/lhl logg-møte`` alone), its fields, and how the
values filled in become that command. Submitting a form stores exactly what the typed command
would, because it *is* the command: :attr:`Form.build` turns the values into the ``/lhl`` text
(``tilby-møte 4204, 4215 12.05.2026``), or, where the form holds free text (a note may well
contain ``tema:``, which the text would read as a field), into the arguments the command's own
parser makes from its parts. Either way ``commands.dispatch.submit_form`` runs them through the
command's ``execute`` in one write transaction, with the access checks, the once-per-delivery
key and the change log of a typed command.

A refusal names the field it is about (``UsageError.field``, set with
:func:`commands.base.about` or by the shared checks), and the form shows it on that field; a
refusal about the whole command (no access) is shown on the first field.

Declaring a form for a new command, for example ``planlegg-møte <kommuner> <dato>``::

    FORM = Form("planlegg-mote", "Planlegg dialogmøte",
                (kommuner_field(), date_field(hint="Datoen dere har avtalt.")),
                build=lambda s: f"planlegg-møte {kommune_list(s.kommuner())} "
                                f"{date_text(s.date())}")
    COMMAND = CommandSpec(..., forms=(FORM,))

This module is pure (it builds the view through :mod:`voice.modal` and never talks to
Slack); ``bot.forms`` opens the views, answers the type-ahead and receives the submissions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from sqlmodel import Session

from commands.access import writer_embete
from commands.base import Context, UsageError, about
from commands.parse.dates import PAST, parse_date
from storage.reference import Geography
from voice import modal
from voice.innsatsomrader import AREAS
from voice.reply import Block, context
from voice.text import as_written, normalize

CALLBACK_PREFIX = "lhl_form:"
"""A form's view has the ``callback_id`` ``lhl_form:<name>``."""
KOMMUNE_ACTION = "lhl_kommuner"
"""The ``action_id`` of every kommune field: the options request for it names this."""
MIN_QUERY = 2
"""Letters typed before the kommune field asks for options (``Ås``, ``Bø`` and ``Os`` are two)."""

FieldKind = Literal["kommuner", "dato", "avkrysning", "valg", "tekst", "notat"]


@dataclass(frozen=True)
class Choice:
    value: str
    """Sent back when chosen (at most 75 characters)."""
    label: str


@dataclass(frozen=True)
class Field:
    """One field of a form. ``key`` is its block id and the name refusals use for it (the
    command's own word for the part: ``kommuner``, ``dato``, ``tema``, ``notat``)."""

    key: str
    label: str
    kind: FieldKind
    optional: bool = False
    hint: str | None = None
    choices: tuple[Choice, ...] = ()
    """For ``avkrysning`` and ``valg``; a form can give them when it opens instead
    (:attr:`Opening.choices`)."""
    max_chars: int | None = None
    placeholder: str | None = None
    default: Callable[[Context], Any] | None = None
    """The value a form starts with when its opening gives none (a date field: today)."""
    admin_only: bool = False
    """Shown to administrators only (the embete an administrator writes for)."""
    choices_from: Callable[[Context], tuple[Choice, ...]] | None = None
    """Choices made when the form opens (the ten embeter of the geography)."""


@dataclass(frozen=True)
class Parsed:
    """A command's parsed arguments, made from a form's values by the command's own code."""

    args: Any


@dataclass(frozen=True)
class Submitted:
    """What a submitted form holds, for :attr:`Form.build`: the values by field key, the
    ``meta`` the form was opened with, who submitted it, and a read session (to look up what
    a menu's value names)."""

    values: Mapping[str, Any]
    meta: Mapping[str, Any]
    ctx: Context
    session: Session

    def kommuner(self, key: str = "kommuner") -> list[str]:
        """The kommunenummer chosen; at least one."""
        chosen = [str(v) for v in self.values.get(key) or ()]
        if not chosen:
            raise UsageError("Velg minst én kommune.", field=key)
        return chosen

    def date(self, key: str = "dato") -> date:
        """The date chosen, if the date grammar of the typed commands takes it (a year lhl
        keeps: a date picker lets anyone choose 1990)."""
        found = self.values.get(key)
        if not isinstance(found, date):
            raise UsageError("Velg en dato.", field=key)
        with about(key):
            parse_date(date_text(found), self.ctx.now, direction=PAST)
        return found

    def text(self, key: str, *, paragraphs: bool = False) -> str | None:
        """The text written (None when empty), normalised as a typed command's text is
        (:func:`voice.text.normalize`: outside quotes, plain quotes and dashes and one space
        for every run of white space, line breaks included), so the form stores what typing
        it would. With ``paragraphs``, the text is kept as written, line breaks too, as a
        quoted text is (a begrunnelse)."""
        found = self.values.get(key)
        if not isinstance(found, str):
            return None
        if paragraphs:
            return as_written(found) or None
        return normalize(found) or None

    def ticked(self, key: str) -> tuple[str, ...]:
        """The values of the checkboxes ticked."""
        return tuple(str(v) for v in self.values.get(key) or ())

    def chosen(self, key: str) -> str | None:
        """The value chosen in a menu."""
        found = self.values.get(key)
        return str(found) if found else None


def _bare(rest: str) -> bool:
    return not rest.strip()


@dataclass(frozen=True)
class Form:
    """A form that writes one command (see the module docstring)."""

    name: str
    """ASCII, unique: the view's ``callback_id`` is ``lhl_form:<name>``."""
    title: str
    """At most 24 characters (the modal's title)."""
    fields: tuple[Field, ...]
    build: Callable[[Submitted], str | Parsed]
    """The command the values make: its ``/lhl`` text, or its parsed arguments."""
    opens: Callable[[str], bool] = _bare
    """Whether the rest of a ``/lhl`` text (after the command's name) opens this form in
    Slack: by default, nothing written."""
    prepare: Callable[[str, Context, Session], Opening] | None = None
    """What the form starts with, read from the store (the meeting to edit, the networks to
    choose from); may refuse with a :class:`UsageError`, which is answered instead."""
    submit: str = "Lagre"
    opened_by: str = ""
    """The text that opens it, for help (``nettverk inviter``, ``rediger <nr>``); empty for
    one no text opens."""
    check: Callable[[Context, Session], Any] | None = None
    """Who may open it, asked before anything else: by default those who may write at all
    (:func:`commands.access.writer_embete`), so a reader is told at once, not after filling
    it in. The command checks again, in full, when the form is submitted."""
    errors_on: str | None = None
    """The field a refusal about the whole command (no access) is shown on; the first when
    None."""

    @property
    def callback_id(self) -> str:
        return f"{CALLBACK_PREFIX}{self.name}"

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)


@dataclass(frozen=True)
class Opening:
    """A form as it opens: the values it starts with (by field key), choices given now, the
    ``meta`` it gives back on submission (the id of what it edits), and lines said above the
    fields (how a message was read)."""

    form: Form
    values: Mapping[str, Any] = field(default_factory=dict)
    choices: Mapping[str, tuple[Choice, ...]] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)
    lines: tuple[str, ...] = ()
    hidden: frozenset[str] = frozenset()
    """Fields not shown to this user (:attr:`Field.admin_only`)."""


def start(form: Form, rest: str, ctx: Context, session: Session, *,
          given: Opening | None = None) -> Opening:
    """The form ``rest`` opens (or the ``given`` opening of it, made elsewhere: from a
    message), with its defaults filled in; raises UsageError to refuse."""
    (form.check or may_write)(ctx, session)
    if given is not None:
        opening = given
    else:
        opening = form.prepare(rest, ctx, session) if form.prepare else Opening(form)
    return completed(opening, ctx)


def may_write(ctx: Context, session: Session) -> None:
    """Refuse a user who may not write at all (no access, or read access only)."""
    writer_embete(ctx, session=session)


def completed(opening: Opening, ctx: Context) -> Opening:
    """``opening`` with the defaults of the fields it gives no value, and without the fields
    this user is not shown."""
    values = dict(opening.values)
    choices = dict(opening.choices)
    for f in opening.form.fields:
        if f.key not in values and f.default is not None:
            values[f.key] = f.default(ctx)
        if f.choices_from is not None and f.key not in choices:
            choices[f.key] = f.choices_from(ctx)
    return replace(opening, values=values, choices=choices,
                   hidden=hidden_fields(opening.form, ctx))


def hidden_fields(form: Form, ctx: Context) -> frozenset[str]:
    """The fields of ``form`` this user is not shown."""
    return frozenset(f.key for f in form.fields if f.admin_only and not ctx.is_admin)


def view(opening: Opening, *, geo: Geography, private_metadata: str = "") -> Block:
    """The modal for ``opening`` (its fields, what they start with, the lines above)."""
    form = opening.form
    blocks: list[Block] = []
    if opening.lines:
        blocks.append(context("\n".join(opening.lines)))
    for f in form.fields:
        if f.key in opening.hidden:
            continue
        value = opening.values.get(f.key)
        choices = opening.choices.get(f.key, f.choices)
        blocks.append(modal.input_block(f.key, f.label, _element(f, value, choices, geo),
                                        optional=f.optional, hint=f.hint))
    return modal.modal(form.title, blocks, callback_id=form.callback_id, submit=form.submit,
                       private_metadata=private_metadata)


def _element(f: Field, value: Any, choices: Sequence[Choice], geo: Geography) -> Block:
    if f.kind == "kommuner":
        initial = [modal.option(geo.kommuner[n].navn, n) for n in value or ()
                   if n in geo.kommuner]
        return modal.external_multi_select(
            KOMMUNE_ACTION, f.placeholder or "Skriv navn eller kommunenummer",
            min_query_length=MIN_QUERY, initial=initial)
    if f.kind == "dato":
        return modal.datepicker("lhl_dato", value if isinstance(value, date) else None)
    options = [modal.option(c.label, c.value) for c in choices]
    if f.kind == "avkrysning":
        return modal.checkboxes("lhl_avkrysning", options, value or ())
    if f.kind == "valg":
        return modal.static_select("lhl_valg", f.placeholder or "Velg", options,
                                   str(value) if value else None)
    return modal.text_input("lhl_tekst", multiline=f.kind == "notat", max_length=f.max_chars,
                            initial=value if isinstance(value, str) else None,
                            placeholder=f.placeholder)


def errors(form: Form, refusal: UsageError, ctx: Context) -> dict[str, str]:
    """A refusal as Slack shows it in a form: on the field it is about, or on
    :attr:`Form.errors_on`. A field the user was not shown gives its refusal to that one."""
    key = refusal.field if refusal.field and form.field(refusal.field) else None
    if key is None or key in hidden_fields(form, ctx):
        key = form.errors_on or form.fields[0].key
    return modal.errors({key: refusal.message})


# --- the fields most forms have ---------------------------------------------------------------


def _today(ctx: Context) -> date:
    return ctx.now.date()


def kommuner_field(key: str = "kommuner", label: str = "Kommuner", *,
                   hint: str | None = "Skriv navnet (også tidligere navn) eller "
                                      "kommunenummeret og velg.",
                   optional: bool = False) -> Field:
    return Field(key, label, "kommuner", optional=optional, hint=hint)


def date_field(key: str = "dato", label: str = "Dato", *, hint: str | None = None) -> Field:
    """A date, starting at today (in the bot's time zone)."""
    return Field(key, label, "dato", hint=hint, default=_today)


def areas_field(key: str = "omrader", label: str = "Innsatsområder", *,
                hint: str | None = None) -> Field:
    """The reform's five areas as checkboxes (values: their short forms, ``mat``)."""
    return Field(key, label, "avkrysning", optional=True, hint=hint,
                 choices=tuple(Choice(a.key, a.name) for a in AREAS))


def checkbox_field(key: str, label: str, choices: Iterable[tuple[str, str]], *,
                   hint: str | None = None) -> Field:
    return Field(key, label, "avkrysning", optional=True, hint=hint,
                 choices=tuple(Choice(v, t) for v, t in choices))


def choice_field(key: str, label: str, choices: Iterable[tuple[str, str]] = (), *,
                 optional: bool = False, hint: str | None = None,
                 placeholder: str | None = None, default: str | None = None) -> Field:
    """A menu; ``default`` is the value chosen when the form opens."""
    return Field(key, label, "valg", optional=optional, hint=hint, placeholder=placeholder,
                 choices=tuple(Choice(v, t) for v, t in choices),
                 default=(lambda _ctx: default) if default is not None else None)


def embete_field(key: str = "embete", label: str = "Embete", *,
                 hint: str | None = None) -> Field:
    """An embete, for administrators only (a coordinator writes for their own); its choices
    are the embeter of the geography the form opens with."""
    return Field(key, label, "valg", optional=True, hint=hint, admin_only=True,
                 placeholder="Velg embete", choices_from=_embeter)


def _embeter(ctx: Context) -> tuple[Choice, ...]:
    return tuple(Choice(e.id, e.navn) for e in sorted(ctx.geo.embeter.values(),
                                                       key=lambda e: e.navn))


def text_field(key: str, label: str, *, max_chars: int, optional: bool = True,
               hint: str | None = None, placeholder: str | None = None) -> Field:
    return Field(key, label, "tekst", optional=optional, hint=hint, max_chars=max_chars,
                 placeholder=placeholder)


def note_field(key: str = "notat", label: str = "Notat", *, max_chars: int = 2000,
               hint: str | None = None) -> Field:
    return Field(key, label, "notat", optional=True, hint=hint, max_chars=max_chars)


# --- writing values as a command reads them -----------------------------------------------


def kommune_list(numbers: Sequence[str]) -> str:
    """Kommuner as a command reads them without doubt: by number (``4204, 4215``)."""
    return ", ".join(numbers)


def date_text(d: date) -> str:
    """A date as a command reads it without doubt, whichever way it reads yearless dates:
    ``12.05.2026``."""
    return f"{d.day:02d}.{d.month:02d}.{d.year}"

"""``/lhl slett <nr>``: remove one entry, by the number ``/lhl logg`` shows for it.

The number is the entry's row in the change log, and the entry points at what it is about: a
meeting held, offered or planned (``#12`` of ``logg-møte``, and of an edit of it), a learning
network, the invitations one ``nettverk inviter`` made, the participation one ``nettverk
deltar`` opened, a leaving (taking it away lets the kommuner take part again), a gathering, an
event, a good example, a plan status or a phase, a nomination (with its mark as the winner),
the mark of a year's winner.
It is removed as it is now, and the deletion is logged with it, so ``/lhl angre`` brings it
back with the same numbers.

A coordinator removes their own entries; an administrator any. A nomination is the record of
a prize: one for a prize already given goes only by an administrator, and the winner of its
year by no one while it is the winner (its mark is moved or removed first). A whole network
goes only with everything in it, so a coordinator removes one only when all of it is theirs.
A deletion or an undo is not itself removed: ``angre`` takes a deletion back.
"""

from __future__ import annotations

from sqlmodel import Session

from commands.access import writer_embete
from commands.base import CommandSpec, Context, UsageError
from commands.entry_words import item_in_words, kommuner_in_words
from commands.nomination_words import awarded_why, winner_refusal
from commands.parse.fields import number
from storage import changes, entries
from storage.nominations import awarded
from voice.reply import Reply, plain_reply
from voice.words import join_names

USAGE = "slett <nr>"


def parse(text: str, ctx: Context) -> int:
    return number(text, "Skriv nummeret på føringen du vil slette, for eksempel `/lhl slett 12`; "
                        "numrene står i `/lhl logg`.")


def execute(change_id: int, *, session: Session, ctx: Context) -> Reply:
    writer_embete(ctx, session=session)  # readers and users without access write nothing
    change = changes.get_change(change_id, session=session)
    if change is None or change.record not in changes.ENTRY_RECORDS:
        raise UsageError(f"Jeg finner ingen føring #{change_id}; numrene står i `/lhl logg`.")
    if change.kind == changes.UNDO:
        taken = changes.undone_by_these([change_id], session=session).get(change_id)
        which = f"`/lhl slett {taken.id}`" if taken else "nummeret på føringen"
        raise UsageError(f"#{change_id} er en angring, ikke en føring; skriv {which} for å "
                         "slette det den gjelder.")
    if change.kind in entries.DELETED:
        raise UsageError(f"#{change_id} er en sletting, ikke en føring; den som slettet, kan ta "
                         "den tilbake med `/lhl angre`.")
    item = entries.item_of(change.kind)
    if item is None:
        raise UsageError(f"Jeg finner ingen føring #{change_id}; numrene står i `/lhl logg`.")
    recorded = change.after or {}
    current = item.read(change.record_id, recorded, session)
    if current is None:
        raise UsageError(
            f"#{change_id} gjelder {item_in_words(item, change.record_id, recorded, ctx.geo)}, "
            "som ikke finnes lenger, så ingenting ble slettet.")
    what = item_in_words(item, change.record_id, current, ctx.geo)
    author = item.author(current)
    if author != ctx.user_id and not ctx.is_admin:
        raise UsageError(f"#{change_id} gjelder {what}, som <@{author}> førte; bare den som "
                         "førte det, eller en administrator, kan slette det, så ingenting ble "
                         "slettet.")
    if item is entries.NOMINATION:
        _refuse_kept_nomination(change.record_id, current, ctx, session)
    if item is entries.IMPORT and not ctx.is_admin:
        others = sorted(entries.import_authors(current) - {ctx.user_id})
        if others:
            raise UsageError(
                f"I læringsnettverk som {what} laget, har også "
                f"{join_names([f'<@{u}>' for u in others])} ført noe, så bare en administrator "
                "kan slette hele importen; ingenting ble slettet.")
    if item is entries.NETWORK and not ctx.is_admin:
        others = sorted(entries.network_authors(current) - {ctx.user_id})
        if others:
            raise UsageError(
                f"I {what} har også {join_names([f'<@{u}>' for u in others])} ført noe, "
                "så bare en administrator kan slette hele nettverket; ingenting ble slettet. "
                "Dine egne føringer i det "
                "sletter du én om gangen med numrene fra `/lhl logg`.")
    entries.delete_item(item, change.record_id, current, by=ctx.user_id, now=ctx.now,
                        session=session)
    then = ""
    if item is entries.LEAVING:
        then = f" {kommuner_in_words(current['kommuner'], ctx.geo)} deltar igjen."
    elif item is entries.NETWORK:
        then = " Invitasjonene, deltakelsen og samlingene i det er slettet med det."
    elif item is entries.IMPORT:
        then = " Alt importen lagret, er slettet med den."
    return plain_reply(f"Slettet #{change_id}: {what}.{then} `/lhl angre` henter det tilbake.")


def _refuse_kept_nomination(record_id: str, current: changes.State, ctx: Context,
                            session: Session) -> None:
    """A nomination is the record of a prize given: a winner stays while it is the winner
    (its mark goes first), any other of an awarded year goes only by an administrator."""
    if current.get("vinner"):
        raise UsageError(winner_refusal(current, record_id, session=session))
    if not ctx.is_admin and awarded(int(current["aar"]), ctx.now.date()):
        raise UsageError(f"Nominasjon #{record_id} "
                         f"{awarded_why(int(current['aar']), 'slette den')}; ingenting ble "
                         "slettet.")


COMMAND = CommandSpec(
    name="slett",
    summary="sletter én føring (et møte, et læringsnettverk eller noe i det, et arrangement, "
            "et godt eksempel) med nummeret fra `/lhl logg`.",
    usage=USAGE,
    examples=("slett 12",),
    writes=True,
    parse=parse,
    execute=execute,
    aliases=("fjern",),
    destructive=True,
    details=("Nummeret er føringens nummer i `/lhl logg` (ikke møtets eller arrangementets eget "
             "nummer). Du sletter dine egne føringer, en administrator alle. Et helt "
             "læringsnettverk slettes med alt i det. En nominasjon til en pris som er delt "
             "ut, sletter bare en administrator, og vinneren slettes ikke så lenge den er "
             "vinner. `/lhl angre` henter det slettede tilbake."),
)

"""User-facing sentences that more than one command speaks, kept together as one voice."""

INTERNAL_ERROR = (
    "Beklager, noe gikk galt hos meg, og ingenting ble lagret. Prøv igjen om litt; "
    "om det skjer igjen, gi referansen `{ref}` til den som drifter lhl."
)
UNKNOWN_COMMAND = "Jeg kjenner ikke kommandoen «{name}». Skriv `/lhl hjelp` for å se hva jeg kan."
UNKNOWN_COMMAND_CLOSE = "Jeg kjenner ikke kommandoen «{name}». Mente du {close}?"
NO_ACCESS = (
    "Du har ikke skrivetilgang ennå, så ingenting ble lagret. Be en administrator om å kjøre "
    "`/lhl tilgang gi @deg <embete>` (for eksempel `/lhl tilgang gi @deg Agder`)."
)
READER_ONLY = (
    "Du har lesetilgang for {embete}, men ikke skrivetilgang, så ingenting ble lagret. "
    "Be en administrator om koordinator-tilgang."
)
ADMIN_ONLY = "Bare administratorer kan endre tilganger."
OUTSIDE_EMBETE = (
    "Du fører for {embete}, og {kommuner} hører ikke til der, så ingenting ble lagret. "
    "Be en administrator om tilgang om du skal føre for et annet embete."
)
NO_ACCESS_YET = (
    "Du har ikke tilgang til å føre ennå, men kan lese status. Be en administrator om å kjøre "
    "`/lhl tilgang gi @deg <embete>`."
)

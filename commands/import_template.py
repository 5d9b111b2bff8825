"""The workbook ``/lhl import mal`` sends (written by ``commands.workbooks``): the columns
``/lhl import`` reads, one row per kommune of the user's embete filled in with name and number
(none for a user without one), and a second sheet «Slik fyller du ut» that explains each column
and the dates it takes (the import never reads it)."""

from __future__ import annotations

from collections.abc import Sequence

from commands.import_file import HEADERS, HELP_SHEET
from commands.workbooks import Sheet, workbook_bytes
from storage.reference import KommuneRef

FILENAME = "lhl-import-mal.xlsx"
SHEET = "Kommuner"
COLUMNS = ("kommune", "kommunenr", "tilbud", "holdt", "tema", "notat", "invitert", "deltar",
           "nettverk", "plan", "plandato", "fase", "fasedato")
"""The template's columns, by field (``commands.import_file.HEADERS`` names them)."""
_EXPLAINED = (
    ("kommune", "Kommunens navn. Tidligere navn (Mandal), samiske og kvenske navn går også. "
     "Et navn flere kommuner har (Herøy, Våler, Os), må skilles med fylket – «Herøy "
     "(Nordland)» – eller med kommunenummeret.", "Lillesand"),
    ("kommunenr", "Kommunenummeret med fire sifre. Er det fylt ut, avgjør det hvilken "
     "kommune raden gjelder.", "4215"),
    ("tilbud", "Dagen kommunen fikk tilbud om dialogmøte.", "01.03.2025"),
    ("holdt", "Dagen dialogmøtet ble holdt.", "12.05.2025"),
    ("tema", "Temaet for det holdte møtet (valgfritt), for eksempel et innsatsområde.",
     "Mat og måltider"),
    ("notat", "Notat eller referat fra det holdte møtet (valgfritt). Ingen "
     "personopplysninger.", "Godt oppmøte fra eldrerådet"),
    ("invitert", "Dagen kommunen ble invitert til læringsnettverk.", "01.09.2025"),
    ("deltar", "Dagen kommunen begynte å delta i læringsnettverket.", "15.09.2025"),
    ("nettverk", "Navnet på læringsnettverket (valgfritt). Uten navn føres invitasjonen og "
     "deltakelsen i «Læringsnettverk (importert)» for embetet.", "Mat og måltider 2025"),
    ("plan", "«vedtatt» (kommunen har vedtatt plan) eller «prosess» (kommunen har beskrevet "
     "prosessen for når den skal vedta en).", "vedtatt"),
    ("plandato", "Dagen planen ble vedtatt eller prosessen beskrevet; må fylles ut når «Plan» "
     "er det.", "20.06.2025"),
    ("fase", "Fasen i reformen kommunen er i: 1, 2, 3 eller 4.", "3"),
    ("fasedato", "Dagen kommunen gikk inn i fasen (tom: dagen du importerer).", "01.01.2025"),
)
_NOTES = (
    "Én rad per kommune, eller én rad per møte: samme kommune kan stå på flere rader.",
    "Datoer: skriv dem som datoer i Excel, eller som 12.05.2025, 2025-05-12 eller "
    "12. mai 2025, alltid med år. «våren 2020» og andre ord kan ikke leses, og raden blir "
    "ikke importert.",
    "Tomme celler (og «nei», «-», «ingen») betyr at det ikke er noe å importere i den "
    "kolonnen. Kolonner med andre overskrifter leses ikke.",
    "Del fila i Slack (i kanalen eller i en melding til lhl) og skriv /lhl import. Du får "
    "først se hva som kan leses og hva som blir lagret, og så en knapp for å importere.",
    "Det som allerede er lagret, hoppes over, så fila kan importeres på nytt etter at den er "
    "rettet. /lhl angre tar hele importen tilbake.",
)


def template(kommuner: Sequence[KommuneRef] = ()) -> bytes:
    """The template workbook, with a row for each of ``kommuner`` (the number as text, so
    Excel keeps the leading zero of 0301)."""
    columns = Sheet(SHEET, [HEADERS[c][0] for c in COLUMNS],
                    [[k.navn, k.nummer] for k in kommuner],
                    widths=[max(12, len(HEADERS[c][0]) + 2) for c in COLUMNS])
    explained = Sheet(HELP_SHEET, ["Kolonne", "Hva den betyr", "Eksempel"],
                      [*([HEADERS[c][0], meaning, example] for c, meaning, example in _EXPLAINED),
                       [], *([note] for note in _NOTES)],
                      table=False, widths=[30, 90, 28], wrap_columns=(0, 1))
    return workbook_bytes([columns, explained])

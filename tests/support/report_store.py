"""A store with known answers for the report (``rapport``) and ``mangler``, written through the
commands as users would, the clock moved for each entry.

Agder (25 kommuner), as of 20 April 2027 (:data:`TODAY`), when it is built:

============================  ==============================================================
Lillesand                     held 10 Nov 2026 (last year) and 10 Feb 2027; in «Mat» from
                              1 Feb; plan vedtatt 1 Mar; fase 2 from 1 Feb, fase 3 from 15 Apr
Arendal                       held 4 Mar 2027; plan prosess 10 Apr; fase 2 from 1 Mar
Froland                       offered 1 Mar 2027
Grimstad                      a dialogue meeting planned for 12 Jun 2027 (recorded 20 Apr)
Birkenes, Iveland             a meeting with the mayors 3 Mar 2027 (no dialogue meeting); Birkenes
                              in «Mat» from 1 Feb, left 1 Apr
Vennesla                      held 5 Apr 2027, undone with ``angre``: counts nowhere
every Agder kommune           invited to «Mat» 2 Jan 2027 (the network runs from 1 Jan 2027)
events                        seminar «Matvennlig» 19 Apr 2027 (held), konferanse «Leve hele
                              livet i Agder» 12 May 2027 (planned)
============================  ==============================================================

Vestland has a held dialogue meeting with Bergen 1 Feb 2027, Bergen's plan and phase, and a
conference of its own: none of it may count in Agder.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.runtime import Runtime
from tests.support.clock import at
from tests.support.runtime import say
from tests.support.store import set_clock

TODAY = date(2027, 4, 20)
NOW = at(2027, 4, 20, 10)

ENTRIES: tuple[tuple[datetime, str], ...] = (
    (at(2026, 11, 12), "logg-møte Lillesand 10. november"),
    (at(2027, 1, 1), 'nettverk ny "Mat" tema: mat fra 1. januar embete: Agder'),
    (at(2027, 1, 2), 'nettverk inviter "Mat" alle embete: Agder'),
    (at(2027, 2, 1), 'nettverk deltar "Mat" Lillesand og Birkenes embete: Agder'),
    (at(2027, 2, 1), "fase Lillesand 2"),
    (at(2027, 2, 1), "logg-møte Bergen i dag"),
    (at(2027, 2, 11), "logg-møte Lillesand i går"),
    (at(2027, 3, 1), "tilby-møte Froland i dag"),
    (at(2027, 3, 1), "plan Lillesand vedtatt i dag"),
    (at(2027, 3, 1), "fase Arendal 2"),
    (at(2027, 3, 1), "plan Bergen vedtatt i dag"),
    (at(2027, 3, 1), "fase Bergen 3"),
    (at(2027, 3, 3), "logg-møte Birkenes og Iveland i dag type: ordfører"),
    (at(2027, 3, 4), "logg-møte Arendal i dag"),
    (at(2027, 4, 1), 'nettverk forlater "Mat" Birkenes i dag embete: Agder'),
    (at(2027, 4, 5), "logg-møte Vennesla i dag"),
    (at(2027, 4, 5, 10), "angre"),
    (at(2027, 4, 10), "plan Arendal prosess i dag"),
    (at(2027, 4, 15), "fase Lillesand 3"),
    (at(2027, 4, 19), 'arrangement ny seminar "Matvennlig" i dag målgruppe: kjøkkenledere '
                      "hovedtema: mat embete: Agder"),
    (at(2027, 4, 20), "planlegg-møte Grimstad 12. juni"),
    (at(2027, 4, 20), 'arrangement ny konferanse "Leve hele livet i Agder" 12. mai målgruppe: '
                      "ledere og politikere hovedtema: mat ønsker: hdir embete: Agder"),
    (at(2027, 4, 20), 'arrangement ny konferanse "Vestlandskonferansen" 2. mai målgruppe: '
                      "ledere hovedtema: helsehjelp embete: Vestland"),
)


def build(rt: Runtime) -> None:
    """The entries above, each as the admin at its moment; the clock left at :data:`NOW`."""
    for moment, line in ENTRIES:
        set_clock(rt, moment)
        answer = say(rt, line)
        assert answer.startswith(("Lagret", "Angret")), (line, answer)
    set_clock(rt, NOW)

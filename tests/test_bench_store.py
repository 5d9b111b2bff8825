"""The benchmark's national-scale store (``bench/store.py``) holds part 3's records as its
README says, so that ``status`` in the bench has all five figures to count."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from sqlmodel import col, func, select

from bench.store import BENCH_USER, populate
from storage.models import (
    PLANNED,
    DialogueMeeting,
    Kommune,
    KommuneFase,
    KommunePlan,
    Network,
    NetworkInvitation,
    NetworkParticipation,
)
from tests.support.clock import NOW
from tests.support.runtime import runtime_on, say

TODAY = NOW.date()


def _share(line: str, reply: str) -> tuple[int, int]:
    found = re.search(rf"^{re.escape(line)}: (\d+) av (\d+) \(", reply, re.M)
    assert found, f"no «{line}» in {reply!r}"
    return int(found[1]), int(found[2])


def test_the_bench_store_holds_networks_plans_phases_and_planned_meetings(tmp_path: Path
                                                                          ) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    info = populate(url, meetings=500, today=TODAY)
    assert info.planned == 5
    with runtime_on(url) as rt, rt.db.read() as session:
        per_embete = Counter(session.exec(select(Network.embete_id)))
        assert len(per_embete) == 10 and all(2 <= n <= 4 for n in per_embete.values())
        embete_of = dict(session.exec(select(Kommune.nummer, Kommune.embete_id)).all())
        network_embete = dict(session.exec(select(Network.id, Network.embete_id)).all())
        invited = set(session.exec(select(NetworkInvitation.network_id,
                                          NetworkInvitation.kommune_nummer)).all())
        taking_part = session.exec(select(NetworkParticipation)).all()
        # Participation implies invitation, and every kommune is in its own embete's networks.
        assert {(p.network_id, p.kommune_nummer) for p in taking_part} <= invited
        assert all(embete_of[k] == network_embete[n] for n, k in invited)
        assert all(p.fra <= TODAY and (p.til is None or p.fra <= p.til <= TODAY)
                   for p in taking_part)
        assert 0 < sum(p.til is not None for p in taking_part) < len(taking_part) / 4
        for kommuner in (select(KommunePlan.kommune_nummer), select(KommuneFase.kommune_nummer)):
            rows = Counter(session.exec(kommuner))
            assert 0.7 * len(embete_of) < len(rows) < len(embete_of)
            assert set(rows.values()) == {1, 2}
        planned = session.exec(select(func.count()).select_from(DialogueMeeting)
                               .where(col(DialogueMeeting.status) == PLANNED)).one()
        assert planned == info.planned

        reply = say(rt, "status", user=BENCH_USER)
    for line in ("Fått tilbud om dialogmøte", "Gjennomført dialogmøte",
                 "Gjennomført eller planlagt dialogmøte",
                 "Invitert til læringsnettverk", "Deltar i læringsnettverk",
                 "Vedtatt plan eller beskrevet prosess"):
        n, m = _share(line, reply)
        assert m == 25 and 0 < n <= m, (line, reply)
    assert re.search(r"^Fase: 1: \d+", reply, re.M), reply

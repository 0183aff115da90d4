"""Counterparties' ownership as answers and alerts need it: the holdings graph (cached
while the holdings are unchanged), the owners' standings, and per counterparty its
coverage, the owners named and the terms that apply."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.heap import settle_long_lived_objects
from bot.services.ownership.shares import (
    LISTED,
    Coverage,
    Holding,
    OwnershipGraph,
    ShareCalculator,
)
from bot.services.ownership.terms import OwnerFacts, most_restrictive
from storage.models import OwnershipOwnerRow
from storage.ownership import counterparty_key, holding_edges, holdings_version
from storage.ownership_owners import owners_by_keys, standing_owners


@dataclass(frozen=True, slots=True)
class Watched:
    """What evaluation needs of a counterparty."""

    id: int
    external_id: str
    name: str
    country: str | None = None


@dataclass(frozen=True, slots=True)
class CounterpartyOwnership:
    party: Watched
    coverage: Coverage | None  # None: no ownership recorded for it
    owners: Mapping[str, OwnerFacts]  # the owners its parts name, by key
    terms: OwnerFacts | None  # the most restrictive listed owner, when covered

    @property
    def recorded(self) -> bool:
        return self.coverage is not None


def facts_of(row: OwnershipOwnerRow) -> OwnerFacts:
    return OwnerFacts(
        key=row.owner_key,
        name=row.name,
        list_code=row.list_code,
        entry_name=row.entry_name,
        standing=row.standing,
        license_requirement=row.license_requirement,
        license_policy=row.license_policy,
    )


@dataclass
class OwnershipBook:
    """The holdings graph of one process, rebuilt only when the holdings changed."""

    _cached: tuple[tuple[int, int, datetime | None, float], OwnershipGraph] | None = field(
        default=None, init=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def graph(self, session: Session) -> OwnershipGraph:
        version = holdings_version(session)
        with self._lock:
            if self._cached is not None and self._cached[0] == version:
                return self._cached[1]
        graph = graph_of(holding_edges(session))
        with self._lock:
            self._cached = (version, graph)
        # Hundreds of thousands of holdings live until the next import: out of full GCs.
        settle_long_lived_objects()
        return graph


def graph_of(edges: Iterable[tuple[str, str, float]]) -> OwnershipGraph:
    return OwnershipGraph(Holding(owner=o, owned=d, share=p / 100.0) for o, d, p in edges)


def owner_standings(session: Session) -> dict[str, OwnerFacts]:
    return {row.owner_key: facts_of(row) for row in standing_owners(session)}


def evaluate(
    session: Session,
    *,
    graph: OwnershipGraph,
    standings: Mapping[str, OwnerFacts],
    parties: Sequence[Watched],
) -> list[CounterpartyOwnership]:
    calculator = ShareCalculator(
        graph, {k: f.standing for k, f in standings.items() if f.standing is not None}
    )
    found: list[tuple[Watched, Coverage | None]] = []
    for party in parties:
        node = counterparty_key(party.external_id)
        found.append((party, calculator.coverage(node) if graph.has_owners(node) else None))
    named = {p.owner for _, c in found if c is not None for p in c.parts}
    facts = dict(standings) | {
        k: facts_of(r) for k, r in owners_by_keys(session, named - set(standings)).items()
    }
    return [_answer(party, coverage, facts) for party, coverage in found]


def _answer(
    party: Watched, coverage: Coverage | None, facts: Mapping[str, OwnerFacts]
) -> CounterpartyOwnership:
    if coverage is None:
        return CounterpartyOwnership(party=party, coverage=None, owners={}, terms=None)
    owners = {
        p.owner: facts.get(p.owner, OwnerFacts(key=p.owner, name=p.owner)) for p in coverage.parts
    }
    listed = [
        (owners[p.owner], p.share)
        for p in coverage.parts
        if p.kind == LISTED and not p.covered_owner
    ]
    terms = most_restrictive(listed) if coverage.covered else None
    return CounterpartyOwnership(party=party, coverage=coverage, owners=owners, terms=terms)

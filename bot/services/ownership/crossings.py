"""Monitoring of the affiliates rule: a counterparty whose listed share crosses 50 %
(either way) gets one alert, in the thread of the action that caused it.

Causes: a list change that lists, changes or delists an owner (handed over by
counterparty monitoring inside the transaction that flags the change read, so each is
seen once whatever order changes commit in), an owner screened for the first time, an
ownership import. Each runs in one transaction that holds the `ownership_changes` lock
row, updates the counterparty's recorded standing and inserts the outbox rows: a
crossing is planned exactly once, whatever restarts or replicas do. A crossing up is
also a hit (origin "ownership"), so its alert carries the Confirm / Not the same party
decisions.
A list change reaches the counterparties through two reverse indexes: listed entry ->
owners (the name index of owners) and owner -> owned (the holdings graph).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.routing import Routing
from bot.services.alerts.model import ChangeView
from bot.services.heap import settle_long_lived_objects
from bot.services.monitoring.listed import listed_of_change
from bot.services.monitoring.reverse import CounterpartyIndex, Party
from bot.services.ownership.crossing_alerts import crossing_messages
from bot.services.ownership.evaluation import CounterpartyOwnership, Watched
from bot.services.ownership.importer import owner_key
from bot.services.ownership.owners import screen_owners
from bot.services.ownership.service import OwnershipService
from bot.services.ownership.views import CrossingMessages
from storage.models import WatchlistRow
from storage.outbox import insert_planned_many
from storage.ownership import (
    adopt_holdings,
    counterparty_ids_by_key,
    counterparty_key,
    watched_by_ids,
)
from storage.ownership_owners import (
    owner_keys_by_id,
    owner_parties,
    owners_by_keys,
    owners_version,
    owners_with_entries,
)
from storage.ownership_standing import Standing, save_standings, standings
from storage.watch_hits import lock_cursor

log = logging.getLogger(__name__)

CURSOR = "ownership_changes"


@dataclass
class CrossingMonitor:
    ownership: OwnershipService
    routing: Routing
    # How a crossing reads (Block Kit, from the composition root).
    render: CrossingMessages
    watchlist_channel: str | None = None
    # Where its own rounds write: the runtime hands it the leader's fenced engine.
    engine: Engine | None = None
    _owners: tuple[tuple[int, int], CounterpartyIndex] | None = field(default=None, init=False)

    def run_once(self) -> int:
        """Screen owners never screened; returns how many crossings were alerted."""
        now = self.ownership.clock()
        with Session(self.engine or self.ownership.engine) as session, session.begin():
            lock_cursor(session, CURSOR, now=now)  # one evaluator at a time
            owners = dict.fromkeys(self.ownership.screen_new_owners(session))
            crossed = self.plan_crossings(session, owners=owners, touched=set(), now=now)
        if crossed:
            log.info("ownership.new_owners owners=%d crossings=%d", len(owners), crossed)
        return crossed

    def counterparties_screened(
        self, session: Session, rows: Sequence[WatchlistRow], *, now: datetime
    ) -> int:
        """New or renamed counterparties, in monitoring's transaction: holdings imported
        before a counterparty was watched count from the day it is."""
        lock_cursor(session, CURSOR, now=now)
        adopt_holdings(session, {owner_key(r.external_id): r.external_id for r in rows}, now=now)
        # Only those with holdings can be covered: a watchlist import of thousands with no
        # ownership data records nothing here (no holdings reads as not covered anyway).
        graph = self.ownership.book.graph(session)
        keys = {k for r in rows if graph.has_owners(k := counterparty_key(r.external_id))}
        if not keys:
            return 0
        return self.plan_crossings(session, owners={}, touched=keys, now=now)

    def changes_read(self, session: Session, views: Sequence[ChangeView], *, now: datetime) -> int:
        """Monitoring's batch of list changes, in its transaction (which flags them read)."""
        lock_cursor(session, CURSOR, now=now)
        causes = self.owners_touched(session, list(views))
        changed = self._rescreen(session, set(causes))
        owners: dict[str, ChangeView | None] = {k: causes[k] for k in changed}
        owners |= dict.fromkeys(self.ownership.screen_new_owners(session) - set(owners))
        crossed = self.plan_crossings(session, owners=owners, touched=set(), now=now)
        if crossed:
            log.info("ownership.changes_read changes=%d crossings=%d", len(views), crossed)
        return crossed

    def after_import(self, session: Session, touched: set[str]) -> int:
        """Inside an ownership import's transaction: its crossings commit with it."""
        now = self.ownership.clock()
        lock_cursor(session, CURSOR, now=now)  # one evaluator at a time, as for list changes
        owners = dict.fromkeys(self.ownership.screen_new_owners(session))
        return self.plan_crossings(session, owners=owners, touched=touched, now=now)

    def owner_index(self, session: Session) -> CounterpartyIndex:
        version = owners_version(session)
        if self._owners is None or self._owners[0] != version:
            parties = [Party(id=i, name=n) for i, n in owner_parties(session)]
            self._owners = (version, CounterpartyIndex.build(parties))
            settle_long_lived_objects()  # the index lives until owners change
        return self._owners[1]

    def owners_touched(self, session: Session, views: list[ChangeView]) -> dict[str, ChangeView]:
        """Owner key -> the first change that may change what the owner is."""
        found: dict[str, ChangeView] = {}
        listed = [(v, e) for v in views if (e := listed_of_change(v)) is not None]
        if listed:
            index = self.owner_index(session)
            ids: dict[int, ChangeView] = {}
            for view, entry in listed:
                for c in index.screen(entry, thresholds=self.ownership.thresholds):
                    ids.setdefault(c.counterparty_id, view)
            by_id = owner_keys_by_id(session, ids)
            found |= {by_id[i]: v for i, v in ids.items() if i in by_id}
        by_entry = {v.entry_key: v for v in views if v.entry_key}
        for owner in owners_with_entries(session, by_entry):
            found.setdefault(owner.owner_key, by_entry[owner.entry_key or ""])
        return found

    def _rescreen(self, session: Session, keys: set[str]) -> set[str]:
        if not keys:
            return set()
        self.ownership.screening.refresh()
        rows = list(owners_by_keys(session, keys).values())
        return screen_owners(
            session,
            self.ownership.screening.index,
            rows,
            thresholds=self.ownership.thresholds,
            now=self.ownership.clock(),
        )

    def plan_crossings(
        self,
        session: Session,
        *,
        owners: Mapping[str, ChangeView | None],
        touched: set[str],
        now: datetime,
    ) -> int:
        """Re-evaluate every counterparty below `owners` or `touched` holdings; alert and
        record those whose coverage changed. Batched: one listing may move thousands."""
        affected = self.affected(session, owners=owners, touched=touched)
        ids = counterparty_ids_by_key(session, affected)
        if not ids:
            return 0
        parties = [
            Watched(id=i, external_id=e, name=n, country=c)
            for i, e, n, c in watched_by_ids(session, ids.values())
        ]
        found = self.ownership.evaluated(session, parties)
        before = standings(session, ids.values())
        crossed: list[tuple[CounterpartyOwnership, ChangeView | None]] = []
        found_now: list[Standing] = []
        for item in found:
            coverage = item.coverage
            covered = coverage is not None and coverage.covered
            old = before.get(item.party.id)
            found_now.append(
                Standing(
                    counterparty_id=item.party.id,
                    listed=coverage.listed if coverage else 0.0,
                    possible=coverage.possible if coverage else 0.0,
                    covered=covered,
                )
            )
            if (old.covered if old is not None else False) != covered:
                crossed.append((item, affected.get(counterparty_key(item.party.external_id))))
        save_standings(session, found_now, stored=before, now=now)
        if crossed:
            planned = crossing_messages(
                session,
                crossed,
                ownership=self.ownership,
                routing=self.routing,
                watchlist_channel=self.watchlist_channel,
                render=self.render,
                now=now,
            )
            insert_planned_many(session, planned, now=now)
        return len(crossed)

    def affected(
        self,
        session: Session,
        *,
        owners: Mapping[str, ChangeView | None],
        touched: set[str],
    ) -> dict[str, ChangeView | None]:
        """Every node below a changed owner (through the reverse index owner -> owned),
        with the change that reached it first; touched holdings and what they own."""
        graph = self.ownership.book.graph(session)
        found: dict[str, ChangeView | None] = {}
        for key, view in owners.items():
            for node in graph.dependents([key]):
                if found.get(node) is None:
                    found[node] = view
        for node in touched | graph.dependents(touched):
            found.setdefault(node, None)
        return found

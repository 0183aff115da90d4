"""Monitoring of the affiliates rule: a counterparty whose listed share crosses 50 %
(either way) gets one alert, in the thread of the action that caused it.

Causes: a list change that lists, changes or delists an owner (read through its own
cursor, as name hits are), an owner screened for the first time, an ownership import.
Each runs in one transaction that holds the cursor row locked, updates the
counterparty's recorded standing and inserts the outbox rows: a crossing is planned
exactly once, whatever restarts or replicas do. A crossing up is also a hit (origin
"ownership"), so its alert carries the Confirm / Not the same party decisions.
A list change reaches the counterparties through two reverse indexes: listed entry ->
owners (the name index of owners) and owner -> owned (the holdings graph).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from bot.routing import Routing
from bot.services.alerts.grouping import action_key
from bot.services.alerts.model import ChangeView
from bot.services.monitoring.listed import ListedEntry
from bot.services.monitoring.reverse import CounterpartyIndex, Party
from bot.services.ownership.answer import ownership_answer, pct
from bot.services.ownership.evaluation import CounterpartyOwnership
from bot.services.ownership.owners import screen_owners
from bot.services.ownership.service import OwnershipService, watched
from bot.services.ownership.views import CrossingMessages, CrossingView
from storage.inserts import insert_many_new
from storage.outbox import PlannedMessage, insert_planned_many, threads_with_rows
from storage.ownership import (
    Standing,
    counterparty_ids_by_key,
    counterparty_key,
    hit_ids,
    owner_keys_by_id,
    owner_parties,
    owners_by_keys,
    owners_version,
    owners_with_entries,
    save_standings,
    standings,
)
from storage.watch_hits import lock_cursor
from storage.watchlist import counterparties_by_id

log = logging.getLogger(__name__)

CURSOR = "ownership_changes"
ORIGIN = "ownership"
CHANGE_BATCH = 5000
SCREENED_KINDS = frozenset({"added", "modified"})


@dataclass
class CrossingMonitor:
    ownership: OwnershipService
    routing: Routing
    # How a crossing reads (Block Kit, from the composition root).
    render: CrossingMessages
    watchlist_channel: str | None = None
    _owners: tuple[tuple[int, int], CounterpartyIndex] | None = field(default=None, init=False)

    def run_once(self) -> int:
        """Screen owners never screened; returns how many crossings were alerted."""
        now = self.ownership.clock()
        with Session(self.ownership.engine) as session, session.begin():
            lock_cursor(session, CURSOR, now=now)  # one evaluator at a time
            owners = dict.fromkeys(self.ownership.screen_new_owners(session))
            crossed = self.plan_crossings(session, owners=owners, touched=set(), now=now)
        if crossed:
            log.info("ownership.new_owners owners=%d crossings=%d", len(owners), crossed)
        return crossed

    def changes_read(self, session: Session, views: Sequence[ChangeView], *, now: datetime) -> int:
        """Monitoring's batch of list changes, in its transaction (which marks them read:
        each change is seen once, whatever order the changes committed in)."""
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
        return self._owners[1]

    def owners_touched(self, session: Session, views: list[ChangeView]) -> dict[str, ChangeView]:
        """Owner key -> the first change that may change what the owner is."""
        found: dict[str, ChangeView] = {}
        listed = [(v, e) for v in views if (e := _listed(v)) is not None]
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
        rows = counterparties_by_id(session, ids.values())
        found = self.ownership.evaluated(session, [watched(r) for r in rows.values()])
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
            insert_planned_many(session, self._messages(session, crossed, now=now), now=now)
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

    def _messages(
        self,
        session: Session,
        crossed: list[tuple[CounterpartyOwnership, ChangeView | None]],
        *,
        now: datetime,
    ) -> list[PlannedMessage]:
        state = self.ownership.state_today(session)
        answers = {
            item.party.id: ownership_answer(
                item,
                listed_itself=False,
                rule_state=state,
                required_countries=self.ownership.required_countries,
            )
            for item, _ in crossed
        }
        bases = {item.party.id: _basis(cause, now=now) for item, cause in crossed}
        hits = self._hits(
            session,
            [(item, bases[item.party.id], answers[item.party.id].lines) for item, _ in crossed],
            now=now,
        )
        routes: dict[int | None, list[tuple[str, str, str]]] = {}
        planned: list[PlannedMessage] = []
        for item, cause in crossed:
            key = cause.id if cause is not None else None
            if key not in routes:
                routes[key] = self._routes(session, cause)
            coverage = item.coverage
            view = CrossingView(
                counterparty_name=item.party.name,
                external_id=item.party.external_id,
                listed_share=pct(coverage.listed if coverage else 0.0),
                covered=coverage is not None and coverage.covered,
                lines=answers[item.party.id].lines,
                hit_id=hits.get(item.party.id),
            )
            message = self.render(view)
            tag = f"ownership:{item.party.id}:{bases[item.party.id]}"
            for channel, role, action in routes[key]:
                planned.append(
                    PlannedMessage(
                        dedupe_key=_digest("watch", tag, channel),
                        action_key=action or f"watch:{tag}",
                        channel=channel,
                        role=role,
                        text=message.text,
                        blocks=message.blocks,
                        change_ids=[cause.id] if cause is not None else [],
                    )
                )
        return planned

    def _routes(self, session: Session, cause: ChangeView | None) -> list[tuple[str, str, str]]:
        """(channel, role, action key) for an alert caused by `cause`: a reply in each
        channel that got the change's alert (a parent where it has no thread of it), and
        a message of its own in the watchlist channel; an import's in that channel."""
        found: list[tuple[str, str, str]] = []
        action = action_key(cause) if cause is not None else None
        channels = self.routing.channels_for([cause]) if cause is not None and action else []
        existing = threads_with_rows(session, {(str(action), c) for c in channels})
        for channel in channels:
            role = "reply" if (action, channel) in existing else "parent"
            found.append((channel, role, str(action)))
        watch = self.watchlist_channel
        if cause is None:
            watch = watch or self.routing.default_channel
        if watch and watch not in channels:
            found.append((watch, "parent", ""))
        return found

    def _hits(
        self,
        session: Session,
        crossings: list[tuple[CounterpartyOwnership, str, tuple[str, ...]]],
        *,
        now: datetime,
    ) -> dict[int, int]:
        """A hit per crossing up, for its decisions: counterparty id -> hit id."""
        # The crossing's own message carries the hit's decisions; only with nowhere to say it
        # does the hit wait for a channel, as a name hit does (then alerted as a hit).
        routed = bool(
            self.watchlist_channel
            or self.routing.default_channel
            or self.routing.by_list
            or self.routing.by_country
        )
        values = [
            _hit_values(item, basis=basis, lines=lines, now=now) | {"alert_planned": routed}
            for item, basis, lines in crossings
            if item.coverage is not None and item.coverage.covered
        ]
        insert_many_new(session, SQLModel.metadata.tables["watch_hit"], values)
        return hit_ids(session, {v["alert_key"]: v["counterparty_id"] for v in values})


def _basis(cause: ChangeView | None, *, now: datetime) -> str:
    return f"change:{cause.id}" if cause is not None else f"holdings:{now.isoformat()}"


def _hit_values(
    item: CounterpartyOwnership, *, basis: str, lines: tuple[str, ...], now: datetime
) -> dict[str, Any]:
    terms = item.terms
    entry_key = f"affiliates:{terms.key if terms else 'owners'}"
    digest = _digest(*lines[:-1])  # the facts, not the rule's state sentence
    return {
        "alert_key": _digest(item.party.id, entry_key, digest, basis),
        "counterparty_id": item.party.id,
        "entry_key": entry_key,
        "list_code": (terms.list_code if terms else None) or "",
        "entry_name": (terms.entry_name or terms.name) if terms else "listed owners",
        "matched_name": terms.name if terms else "listed owners",
        "score": item.coverage.listed if item.coverage else 0.0,
        "band": "match",
        "why": " · ".join(lines)[:4000],
        "content_digest": digest,
        "origin": ORIGIN,
        "detected_at": now,
    }


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def _listed(view: ChangeView) -> ListedEntry | None:
    if view.kind not in SCREENED_KINDS or not view.entry_key or not view.after:
        return None
    return ListedEntry.of_content(
        view.after,
        entry_key=view.entry_key,
        list_code=view.list_code or "",
        change_id=view.id,
        document_number=view.document_number,
        effective_date=view.effective_date,
    )

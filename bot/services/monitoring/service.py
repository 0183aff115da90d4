"""Counterparty monitoring: screen list changes against the watchlist, and new
counterparties against every list; record hits and plan their alerts, exactly once.

`run_once` is called after the alert planner (so the action's thread is planned
before a hit replies in it). Changes not yet read carry `watch_read = false`; they
are flagged read in the same transaction that records hits and outbox rows, under
the lock of the monitoring cursor row (one reader at a time): a crash before the
commit leaves everything for the next run, nothing is read twice, and a change
committed after a later one (ids are taken at insert, not at commit) is still
read. New or changed counterparties carry `screened_at = NULL` until screened.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.routing import Routing
from bot.services.alerts.model import ChangeView
from bot.services.answer_sources import REGULATION_SOURCE
from bot.services.monitoring.listed import ListedEntry, listed_of_change
from bot.services.monitoring.planning import (
    Report,
    delisted_in_thread,
    hit_in_thread,
    screening_hits,
)
from bot.services.monitoring.reports import ReportUploader, upload_due_reports
from bot.services.monitoring.reverse import Candidate, CounterpartyIndex, Party
from bot.services.monitoring.standing import alert_basis, alert_key
from bot.services.monitoring.views import HitMessages, HitView
from bot.services.screening import ScreeningService
from reference.lists import LISTS_NOT_ON_CSL
from screening import NO_MATCH, ScreeningError, Thresholds
from storage.models import ChangeRow, ListEntryRow, WatchHitRow, WatchlistRow
from storage.outbox import PlannedMessage, insert_planned
from storage.watch_hits import (
    expired_clearances,
    get_hit,
    hits_of_entries,
    insert_hit,
    latest_decisions,
    latest_hit_ids,
    lock_cursor,
    mark_delisted,
    mark_hits_planned,
    unplanned_hits,
)
from storage.watch_inputs import (
    all_entries,
    any_entry_stored,
    changes_unread,
    entries_with_keys,
    mark_read,
)
from storage.watch_reports import add_report
from storage.watchlist import (
    active_parties,
    counterparties_by_id,
    mark_all_unscreened,
    mark_screened,
    unscreened,
    watchlist_version,
)

log = logging.getLogger(__name__)

CURSOR = "list_changes"
CHANGE_BATCH = 5000
FORWARD_LIMIT = 5
# From this many counterparties screened at once, screen in the reverse direction.
BULK_REVERSE_FROM = 2000
# Hits that waited for a channel, planned per round.
PENDING_BATCH = 5000


@dataclass(frozen=True, slots=True)
class MonitorReport:
    changes_read: int = 0
    counterparties_screened: int = 0
    hits: int = 0


def _routes_anywhere(routing: Routing) -> bool:
    return bool(routing.default_channel or routing.by_list or routing.by_country)


class ChangeObserver(Protocol):
    """Told, inside monitoring's transactions, of what monitoring itself reads: list changes
    (flagged read in the same transaction) and counterparties screened (flagged screened)."""

    def changes_read(
        self, session: Session, views: Sequence[ChangeView], *, now: datetime
    ) -> int: ...

    def counterparties_screened(
        self, session: Session, rows: Sequence[WatchlistRow], *, now: datetime
    ) -> int: ...


@dataclass
class MonitoringService:
    engine: Engine
    screening: ScreeningService
    routing: Routing
    thresholds: Thresholds
    # How hits read (Block Kit, from the composition root): services plan, the Slack layer renders.
    messages: HitMessages
    watchlist_channel: str | None = None
    # More hits than this from one screening of new counterparties: one summary with a CSV.
    summary_over: int = 5
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    # Uploads the CSV of a summary into its thread (None: the terminal demo, tests).
    uploader: ReportUploader | None = None
    # Also told of each batch of changes, inside the transaction that marks them read, so
    # that they see every change exactly once whatever the commit order (the affiliates
    # rule's crossings of 50 %).
    observers: list[ChangeObserver] = field(default_factory=list)
    _index: tuple[tuple[int, int], CounterpartyIndex] | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def run_once(self) -> MonitorReport:
        with self._lock:
            read, from_changes = self.process_changes()
            screened, from_new = self.screen_unscreened()
            from_expired = self.realert_expired()
            self.plan_waiting_hits()
        return MonitorReport(
            changes_read=read,
            counterparties_screened=screened,
            hits=from_changes + from_new + from_expired,
        )

    def _channel(self) -> str | None:
        """Where hits of no action thread go: the watchlist channel, else the default one."""
        return self.watchlist_channel or self.routing.default_channel

    def plan_waiting_hits(self) -> int:
        """Alert the hits found while no channel was set (`watchlist import` before
        ALERT_CHANNEL was); returns how many. They stay waiting while there is none."""
        channel = self._channel()
        if not channel:
            return 0
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            rows = unplanned_hits(session, limit=PENDING_BATCH)
            if not rows:
                return 0
            views = hit_views(session, rows, newly_listed=False)
            planned, reports = screening_hits(
                views,
                channel=channel,
                screened=len(views),
                summary_over=self.summary_over,
                render=self.messages,
            )
            insert_planned(session, planned, now=now)
            _add_reports(session, reports, now=now)
            mark_hits_planned(session, [v.hit_id for v in views])
        log.info("monitoring.waiting_hits_planned hits=%d channel=%s", len(views), channel)
        return len(views)

    def realert_expired(self) -> int:
        """Pairs whose clearance expired (and whose entry is still listed) alert once more,
        without waiting for the entry to change."""
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            expired = expired_clearances(session, now=now)
            if not expired:
                return 0
            listed = listed_entries(session, {d.entry_key for d in expired})
            candidates: list[Candidate] = []
            for decision in expired:
                hit = get_hit(session, decision.hit_id)
                entry = listed.get(decision.entry_key)
                if hit is None or entry is None:
                    continue  # no longer listed: nothing to review again
                candidates.append(
                    Candidate(
                        counterparty_id=decision.counterparty_id,
                        entry=entry,
                        listed_name=hit.matched_name,
                        counterparty_name="",
                        score=hit.score,
                        band=hit.band,
                        why=f"clearance expired; {hit.why}",
                    )
                )
            new = self._record(session, candidates, origin="expired", now=now)
            channel = self._channel()
            planned, _ = screening_hits(
                [h for h, _ in new],
                channel=channel,
                screened=len(new),
                summary_over=len(new),
                render=self.messages,
            )
            insert_planned(session, planned, now=now)
            if planned:
                mark_hits_planned(session, [h.hit_id for h, _ in new])
        if new:
            log.info("monitoring.clearances_expired hits=%d", len(new))
        return len(new)

    def after_send(self) -> int:
        """Attach the CSVs of summaries the sender has posted; returns how many went up."""
        if self.uploader is None:
            return 0
        return upload_due_reports(self.engine, self.uploader, now=self.clock())

    # --- the reverse direction: list changes against the counterparties ---

    def process_changes(self) -> tuple[int, int]:
        """Read the changes not read yet; returns (changes read, new hits)."""
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            # The cursor row is now only the lock that makes one reader at a time.
            lock_cursor(session, CURSOR, now=now)
            rows = self._readable(session)
            if not rows:
                return 0, 0
            views = [ChangeView.of(r) for r in rows]
            candidates: list[tuple[ChangeView, Candidate]] = []
            listed = _with_stored_digests(
                session, [(v, e) for v in views if (e := listed_of_change(v)) is not None]
            )
            if listed:
                index = self.counterparty_index(session)
                for view, entry in listed:
                    candidates += [
                        (view, c) for c in index.screen(entry, thresholds=self.thresholds)
                    ]
            candidates = _best_per_pair(candidates)
            new = self._record(session, [c for _, c in candidates], origin="list_change", now=now)
            planned: list[PlannedMessage] = []
            by_candidate = {id(c): v for v, c in candidates}
            alerted: list[int] = []
            for hit, candidate in new:
                change = by_candidate[id(candidate)]
                messages = hit_in_thread(
                    session,
                    replace(hit, newly_listed=change.kind == "added"),
                    change=change,
                    routing=self.routing,
                    watchlist_channel=self.watchlist_channel,
                    render=self.messages,
                )
                # No channel to say it in: it waits for one (plan_waiting_hits).
                if messages:
                    alerted.append(hit.hit_id)
                planned += messages
            mark_hits_planned(session, alerted)
            planned += self._delist(session, [v for v in views if v.kind == "removed"], now=now)
            self._screen_again_for_new_lists(session, views)
            insert_planned(session, planned, now=now)
            for observer in self.observers:
                observer.changes_read(session, views, now=now)
            mark_read(session, [v.id for v in views])
        log.info("monitoring.changes_read changes=%d hits=%d", len(views), len(new))
        return len(views), len(new)

    def _screen_again_for_new_lists(self, session: Session, views: Sequence[ChangeView]) -> None:
        """A list's baseline (its entries stored for the first time) carries no per-entry
        changes: counterparties screened before it arrived (against the lists there were)
        are screened again, in this transaction, so none is left unscreened against it."""
        lists = sorted({v.list_code for v in views if v.kind == "baseline" and v.list_code})
        if lists:
            count = mark_all_unscreened(session)
            log.info("monitoring.new_lists lists=%s screen_again=%d", ",".join(lists), count)

    def _readable(self, session: Session) -> list[ChangeRow]:
        rows = changes_unread(session, limit=CHANGE_BATCH)
        if not _routes_anywhere(self.routing):
            return rows
        # Wait for the planner: a hit replies in the thread the planner opens.
        ready: list[ChangeRow] = []
        for row in rows:
            if not row.alert_planned:
                break
            ready.append(row)
        return ready

    def counterparty_index(self, session: Session) -> CounterpartyIndex:
        """The index of active counterparties, rebuilt only when the watchlist changed."""
        key = watchlist_version(session)
        if self._index is not None and self._index[0] == key:
            return self._index[1]
        parties = [
            Party(id=row_id, name=name, country=country, address=address)
            for row_id, name, country, address in active_parties(session)
        ]
        index = CounterpartyIndex.build(parties)
        self._index = (key, index)
        log.info("monitoring.index_built counterparties=%d", index.size)
        return index

    def _delist(
        self, session: Session, removals: Sequence[ChangeView], *, now: datetime
    ) -> list[PlannedMessage]:
        keys = {v.entry_key: v for v in removals if v.entry_key}
        hits = hits_of_entries(session, keys)
        if not hits:
            return []
        mark_delisted(session, [h.id for h in hits if h.id is not None], now=now)
        standing = latest_decisions(session, {(h.counterparty_id, h.entry_key) for h in hits})
        confirmed = [
            h
            for h in hits
            if (d := standing.get((h.counterparty_id, h.entry_key))) and d.decision == "confirm"
        ]
        views = hit_views(session, confirmed, newly_listed=False)
        planned: list[PlannedMessage] = []
        for hit, view in zip(confirmed, views, strict=True):
            planned += delisted_in_thread(
                session,
                view,
                change=keys[hit.entry_key],
                routing=self.routing,
                watchlist_channel=self.watchlist_channel,
                render=self.messages,
            )
        return planned

    # --- the forward direction: new counterparties against every list ---

    def screen_unscreened(self, *, limit: int = 200_000) -> tuple[int, int]:
        """Screen counterparties added or changed since they were last screened."""
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            rows = unscreened(session, limit=limit)
            if not rows:
                return 0, 0
            if not self._lists_loaded(session):
                # "No match" against no lists would be a lie: they wait for the first snapshot.
                return 0, 0
            candidates = self._forward(session, rows)
            new = self._record(session, candidates, origin="watch_added", now=now)
            planned, reports = screening_hits(
                [h for h, _ in new],
                channel=self._channel(),
                screened=len(rows),
                summary_over=self.summary_over,
                render=self.messages,
            )
            insert_planned(session, planned, now=now)
            _add_reports(session, reports, now=now)
            if planned:
                mark_hits_planned(session, [h.hit_id for h, _ in new])
            for observer in self.observers:
                observer.counterparties_screened(session, rows, now=now)
            mark_screened(session, [r.id for r in rows if r.id is not None], now=now)
        log.info("monitoring.counterparties_screened count=%d hits=%d", len(rows), len(new))
        return len(rows), len(new)

    def _lists_loaded(self, session: Session) -> bool:
        return any_entry_stored(session)

    def _forward(self, session: Session, rows: Sequence[WatchlistRow]) -> list[Candidate]:
        if len(rows) >= BULK_REVERSE_FROM:
            return self._bulk_reverse(session, rows)
        # The lists may have changed since the index was built (a baseline just arrived).
        self.screening.refresh()
        index = self.screening.index
        found: list[tuple[int, Any]] = []
        for row in rows:
            assert row.id is not None
            try:
                results = index.search(row.name, limit=FORWARD_LIMIT, thresholds=self.thresholds)
            # A counterparty name the engine cannot screen (too vague) hits nothing.
            except ScreeningError:
                continue
            found += [(row.id, r) for r in results if r.band != NO_MATCH]
        entries = listed_entries(session, {r.entry.entry_key for _, r in found})
        return [
            Candidate(
                counterparty_id=party_id,
                entry=entries[result.entry.entry_key],
                listed_name=result.matched_name,
                counterparty_name=result.matched_name,
                score=result.score,
                band=result.band,
                why=result.why,
            )
            for party_id, result in found
            if result.entry.entry_key in entries
        ]

    def _bulk_reverse(self, session: Session, rows: Sequence[WatchlistRow]) -> list[Candidate]:
        """Many new counterparties (an import): index them and query with every listed
        name, the cheaper direction once they outnumber a few thousand (bench/)."""
        index = CounterpartyIndex.build(
            Party(id=r.id or 0, name=r.name, country=r.country, address=r.address) for r in rows
        )
        found: list[Candidate] = []
        for entry in all_listed(session).values():
            found += index.screen(entry, thresholds=self.thresholds)
        return found

    # --- shared: decisions decide what alerts again, hits are inserted once ---

    def _record(
        self, session: Session, candidates: Sequence[Candidate], *, origin: str, now: datetime
    ) -> list[tuple[HitView, Candidate]]:
        if not candidates:
            return []
        pairs = {(c.counterparty_id, c.entry.entry_key) for c in candidates}
        standing = latest_decisions(session, pairs)
        last_hits = latest_hit_ids(session, pairs)
        inserted: list[tuple[int, Candidate]] = []
        for c in candidates:
            pair = (c.counterparty_id, c.entry.entry_key)
            basis = alert_basis(
                standing.get(pair), digest=c.entry.digest, now=now, last_hit=last_hits.get(pair)
            )
            if basis is None:
                continue
            hit_id = insert_hit(session, _hit_values(c, origin=origin, basis=basis, now=now))
            if hit_id is not None:
                inserted.append((hit_id, c))
                last_hits[pair] = hit_id
        hits = [get_hit(session, hit_id) for hit_id, _ in inserted]
        views = hit_views(
            session, [h for h in hits if h is not None], newly_listed=origin == "list_change"
        )
        return list(zip(views, [c for _, c in inserted], strict=True))


def _add_reports(session: Session, reports: Sequence[Report], *, now: datetime) -> None:
    for report in reports:
        add_report(
            session,
            outbox_key=report.outbox_key,
            filename=report.filename,
            content=report.content,
            now=now,
        )


def _with_stored_digests(
    session: Session, listed: list[tuple[ChangeView, ListedEntry]]
) -> list[tuple[ChangeView, ListedEntry]]:
    """The digest of the entry as stored now: one entity listed under several destinations
    is several changes of one rule but one entry, and must alert once."""
    stored = listed_entries(session, {e.entry_key for _, e in listed})
    return [
        (v, replace(e, digest=stored[e.entry_key].digest) if e.entry_key in stored else e)
        for v, e in listed
    ]


def _best_per_pair(
    candidates: list[tuple[ChangeView, Candidate]],
) -> list[tuple[ChangeView, Candidate]]:
    best: dict[tuple[int, str], tuple[ChangeView, Candidate]] = {}
    for view, c in candidates:
        pair = (c.counterparty_id, c.entry.entry_key)
        if pair not in best or c.score > best[pair][1].score:
            best[pair] = (view, c)
    return list(best.values())


def listed_entries(session: Session, keys: set[str]) -> dict[str, ListedEntry]:
    """The stored entries with these keys; the CSL's copy wins over a rule's (as in /screen)."""
    if not keys:
        return {}
    # Keys are chunked by value, so every row of one key arrives together.
    return _as_listed(entries_with_keys(session, keys))


def all_listed(session: Session) -> dict[str, ListedEntry]:
    """Every stored entry, by key (the CSL's copy wins)."""
    return _as_listed(all_entries(session))


def _as_listed(rows: Iterable[ListEntryRow]) -> dict[str, ListedEntry]:
    found: dict[str, ListedEntry] = {}
    for row in sorted(rows, key=lambda r: r.source == "csl"):
        if row.source == REGULATION_SOURCE and row.list_code not in LISTS_NOT_ON_CSL:
            continue  # the eCFR's copy of a CSL list is for reconciliation, as in /screen
        content = {
            "name": row.name,
            "aliases": row.aliases,
            "addresses": row.addresses,
            "countries": row.countries,
            "license_requirement": row.license_requirement,
            "license_policy": row.license_policy,
            "fr_citations": row.fr_citations,
        }
        found[row.entry_key] = ListedEntry.of_content(
            content,
            entry_key=row.entry_key,
            list_code=row.list_code,
            document_number=row.fr_document,
        )
    return found


def _hit_values(c: Candidate, *, origin: str, basis: str, now: datetime) -> dict[str, Any]:
    entry = c.entry
    return {
        "alert_key": alert_key(
            counterparty_id=c.counterparty_id,
            entry_key=entry.entry_key,
            digest=entry.digest,
            basis=basis,
        ),
        "counterparty_id": c.counterparty_id,
        "entry_key": entry.entry_key,
        "list_code": entry.list_code,
        "entry_name": entry.name,
        "matched_name": c.listed_name,
        "score": c.score,
        "band": c.band,
        "why": c.why[:4000],
        "content_digest": entry.digest,
        "origin": origin,
        "change_id": entry.change_id,
        "document_number": entry.document_number,
        "effective_date": entry.effective_date,
        "detected_at": now,
        # Set in the same transaction once its outbox rows are planned.
        "alert_planned": False,
    }


def hit_views(
    session: Session, hits: Sequence[WatchHitRow], *, newly_listed: bool
) -> list[HitView]:
    ids = {h.counterparty_id for h in hits}
    parties = counterparties_by_id(session, ids)
    views = []
    for hit in hits:
        party = parties[hit.counterparty_id]
        assert hit.id is not None
        views.append(
            HitView(
                hit_id=hit.id,
                counterparty_name=party.name,
                external_id=party.external_id,
                entry_name=hit.entry_name,
                list_code=hit.list_code,
                score=hit.score,
                band=hit.band,
                why=hit.why,
                matched_name=hit.matched_name,
                newly_listed=newly_listed,
                document_number=hit.document_number,
                effective_date=hit.effective_date,
            )
        )
    return views

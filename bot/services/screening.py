"""Screening against what storage holds: the index, kept current, and the audit trail.

The index is built from every stored CSL entry plus the Federal Register entries
the CSL does not have yet (labelled with their rule), and rebuilt in the
background when the lists change; a search never waits for a rebuild, it uses
the previous index until the new one is swapped in.

Every answer carries the lists' status (`bot.lists_status`): what the lists know
is read with the index, how recently they were refreshed is read per answer, so
a watcher that stops succeeding turns the next answer into "cannot clear".
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.services.answer_sources import REGULATION_SOURCE, source_label
from bot.services.audit_writer import AuditWriter
from bot.services.heap import settle_long_lived_objects
from bot.services.lists_status import (
    DEFAULT_MAX_AGE,
    STALE,
    UNCHECKED,
    ListsStatus,
    assess_lists,
    verdict,
)
from reference.lists import LISTS_NOT_ON_CSL
from screening import ScreeningEntry, ScreeningIndex, ScreeningResult, Thresholds
from screening.errors import ScreeningError
from storage.lists_facts import (
    ListContents,
    ListRefreshes,
    load_list_contents,
    load_list_refreshes,
)
from storage.models import ListEntryRow
from storage.screening_audit import AuditRecord, list_versions, record_screening
from storage.screening_lists import all_list_entries, lists_version

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ScreeningOutcome:
    query: str
    results: list[ScreeningResult]
    error: str | None = None
    audit_id: int | None = None
    versions: dict[str, Any] = field(default_factory=dict)
    # Per list code, candidates that scored high enough but did not fit in the limit.
    omitted: dict[str, int] = field(default_factory=dict)
    lists: ListsStatus = UNCHECKED

    @property
    def top_band(self) -> str:
        if self.error:
            return "error"
        return self.results[0].band if self.results else "no match"

    @property
    def verdict(self) -> str:
        """match / review / no match / cannot clear / error."""
        return verdict(self.top_band, self.lists)

    def addresses_of(self, result: ScreeningResult) -> tuple[str, ...]:
        return result.entry.addresses


def entry_of(row: ListEntryRow) -> ScreeningEntry:
    return ScreeningEntry(
        entry_key=row.entry_key,
        list_code=row.list_code,
        name=row.name,
        aliases=tuple(row.aliases or ()),
        entity_type=row.entity_type,
        countries=tuple(row.countries or ()),
        fr_citations=tuple(row.fr_citations or ()),
        source=source_label(row.source, fr_document=row.fr_document),
        source_urls=tuple(row.source_urls or ()),
        addresses=tuple(row.addresses or ()),
    )


def load_entries(session: Session) -> list[ScreeningEntry]:
    return [entry_of(r) for r in _screened_rows(session)]


def _screened_rows(session: Session) -> list[ListEntryRow]:
    rows = all_list_entries(session)
    on_csl = {r.entry_key for r in rows if r.source == "csl"}
    return [r for r in rows if _screened(r, on_csl=on_csl)]


def _screened(row: ListEntryRow, *, on_csl: set[str]) -> bool:
    if row.source == "csl":
        return True
    if row.source == REGULATION_SOURCE:
        # The eCFR's copies of the CSL's lists are for reconciliation; only the lists the
        # CSL does not carry (§ 744.22(f)(2)) are screened from it.
        return row.list_code in LISTS_NOT_ON_CSL
    return row.entry_key not in on_csl


@dataclass(frozen=True, slots=True)
class Asker:
    """Who screened, for the audit row: where from ("slack", "cli", ...) and, in Slack, who."""

    origin: str
    user_id: str | None = None
    user_name: str | None = None
    channel_id: str | None = None


@dataclass(frozen=True, slots=True)
class LoadedIndex:
    """An index and what it was built from, swapped in as one value."""

    index: ScreeningIndex
    version: tuple[int, int, int]
    # Recorded with every screening this index answers.
    list_versions: dict[str, Any]
    contents: ListContents


@dataclass
class ScreeningService:
    engine: Engine
    thresholds: Thresholds
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    # Older than this since the last refresh, the lists cannot clear a name (LISTS_MAX_AGE).
    max_age: timedelta = DEFAULT_MAX_AGE
    # Seconds the lists' refresh dates, read from the database, serve further answers.
    # They move once a poll at most, and the staleness limits are hours and days; one
    # read per answer was a third of the database work under load.
    refreshes_max_age: float = 1.0
    # A long-running server (`run`) keeps each new index out of full garbage collections
    # (bot.services.heap); off elsewhere: a test process builds hundreds of indexes.
    settle_heap: bool = False
    _loaded: LoadedIndex | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _refreshes: tuple[float, ListRefreshes] | None = field(default=None, init=False)
    _writer: AuditWriter = field(init=False)

    def __post_init__(self) -> None:
        # Its thread starts with the first queued row: the CLI never queues any.
        self._writer = AuditWriter(self.engine)

    @property
    def loaded(self) -> LoadedIndex:
        if self._loaded is None:
            self.refresh()
        assert self._loaded is not None
        return self._loaded

    @property
    def index(self) -> ScreeningIndex:
        return self.loaded.index

    def refresh(self, *, force: bool = False) -> bool:
        """Rebuild the index if the lists changed; True when it was rebuilt."""
        with self._lock:
            with Session(self.engine) as session:
                version = lists_version(session)
                current = self._loaded
                if not force and current is not None and current.version == version:
                    return False
                rows = _screened_rows(session)
                versions = list_versions(session)
                contents = load_list_contents(session, today=self.clock().date())
            index = ScreeningIndex.build([entry_of(r) for r in rows])
            self._loaded = LoadedIndex(
                index=index,
                version=version,
                list_versions=versions,
                contents=contents,
            )
        log.info("screening.index_built entries=%d names=%d", len(index), index.name_count)
        if self.settle_heap:
            settle_long_lived_objects()
        return True

    def refresh_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self._refresh_logged, name="index-refresh", daemon=True)
        thread.start()
        return thread

    def _refresh_logged(self) -> None:
        try:
            self.refresh()
        # A failed rebuild keeps the previous index serving; the next check tries again.
        except Exception:
            log.exception("screening.index_refresh_failed")

    def lists_status(self) -> ListsStatus:
        """Whether the lists can clear a name now, and their dates."""
        contents = self.loaded.contents
        try:
            refreshes = self._list_refreshes()
        except SQLAlchemyError as exc:
            # The index is in memory and can still find hits; without the refresh dates
            # no name can be cleared, which the answer says instead of failing.
            log.warning("screening.lists_state_unreadable error=%s", type(exc).__name__)
            return ListsStatus(
                state=STALE,
                reasons=("the lists' refresh dates could not be read from the database",),
                csl_as_of=contents.csl_newest_entry,
                fr_newest=contents.fr_newest,
            )
        return assess_lists(contents, refreshes, now=self.clock(), max_age=self.max_age)

    def _list_refreshes(self) -> ListRefreshes:
        cached, now = self._refreshes, time.monotonic()
        if cached is not None and now - cached[0] < self.refreshes_max_age:
            return cached[1]
        with Session(self.engine) as session:
            refreshes = load_list_refreshes(session)
        self._refreshes = (now, refreshes)
        return refreshes

    def search(self, query: str, *, limit: int = 10) -> ScreeningOutcome:
        """Screen without auditing yet (see `record`): what /screen answers within Slack's 3 s."""
        loaded = self.loaded
        status = self.lists_status()
        versions = loaded.list_versions | {"lists": status.as_json()}
        try:
            answer = loaded.index.screen(query, limit=limit, thresholds=self.thresholds)
        except ScreeningError as exc:
            return ScreeningOutcome(
                query=query, results=[], error=str(exc), versions=versions, lists=status
            )
        return ScreeningOutcome(
            query=query,
            results=list(answer.results),
            versions=versions,
            omitted=answer.omitted,
            lists=status,
        )

    def record(
        self,
        outcome: ScreeningOutcome,
        *,
        origin: str,
        user_id: str | None = None,
        user_name: str | None = None,
        channel_id: str | None = None,
    ) -> int:
        """Write the audit row of a screening; returns its id."""
        record = self._audit_record(outcome, Asker(origin, user_id, user_name, channel_id))
        with Session(self.engine) as session, session.begin():
            return record_screening(session, record)

    def record_later(self, outcome: ScreeningOutcome, asker: Asker) -> None:
        """Queue the audit row for the batch writer (an answer already sent: /screen)."""
        self._writer.submit(self._audit_record(outcome, asker))

    def close(self, timeout: float = 10.0) -> None:
        """Write the queued audit rows (at shutdown)."""
        self._writer.close(timeout)

    def _audit_record(self, outcome: ScreeningOutcome, asker: Asker) -> AuditRecord:
        return AuditRecord(
            origin=asker.origin,
            query=outcome.query[:2000],
            screened_at=self.clock(),
            list_versions=outcome.versions,
            results=[_audit_result(r) for r in outcome.results],
            top_band=outcome.top_band,
            lists_state=outcome.lists.state,
            user_id=asker.user_id,
            user_name=asker.user_name,
            channel_id=asker.channel_id,
            error=outcome.error,
        )

    def screen(
        self,
        query: str,
        *,
        origin: str,
        limit: int = 10,
        user_id: str | None = None,
        user_name: str | None = None,
        channel_id: str | None = None,
    ) -> ScreeningOutcome:
        """Search and audit in one step (the CLI, batch files, a shared answer)."""
        outcome = self.search(query, limit=limit)
        audit_id = self.record(
            outcome, origin=origin, user_id=user_id, user_name=user_name, channel_id=channel_id
        )
        return replace(outcome, audit_id=audit_id)


def _audit_result(result: ScreeningResult) -> dict[str, Any]:
    entry = result.entry
    return {
        "name": result.matched_name,
        "entry_name": entry.name,
        "list": entry.list_code,
        "score": round(result.score, 4),
        "band": result.band,
        "entry_key": entry.entry_key,
        "source": entry.source,
    }

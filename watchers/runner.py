"""Run sources: one poll each, failures isolated, streaks counted, outages reported once.

A source's `poll` either records everything it found or raises. The runner then
saves the source's state in its own short transaction: validators and the
last success, or one more failure. After `down_after` failures in a row it
records a single "source_down" change; the first success after that records
one "source_recovered" change. Both carry dedupe keys tied to the outage, so
a restart cannot report one outage twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.changes import record_event
from storage.list_state import change_dedupe_key
from storage.source_state import SourceState, load_source_state, save_failure, save_success
from watchers.http import HttpFetcher
from watchers.sources.base import PollContext, PollResult, Source

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PollReport:
    source: str
    ok: bool
    result: PollResult | None = None
    error: str | None = None
    events: tuple[str, ...] = ()  # "source_down" / "source_recovered" recorded now


def poll_source(
    source: Source, *, engine: Engine, fetcher: HttpFetcher, now: datetime, down_after: int
) -> PollReport:
    with Session(engine) as session:
        state = load_source_state(session, source.name)
    try:
        result = source.poll(PollContext(engine=engine, fetcher=fetcher, now=now, state=state))
    # A broad catch is right here and only here: one broken source must not stop the others.
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        log.warning("poll.failed source=%s error=%s", source.name, error, exc_info=True)
        return _record_failure(
            source.name, state, engine=engine, now=now, error=error, down_after=down_after
        )
    events: list[str] = []
    with Session(engine) as session, session.begin():
        save_success(
            session,
            source.name,
            now=now,
            etag=result.etag,
            last_modified=result.last_modified,
            cursor=result.cursor,
            keep_validators=result.status == "not_modified",
        )
        if state.down:
            record_event(
                session,
                dedupe_key=_outage_key(state, "source_recovered"),
                source=source.name,
                kind="source_recovered",
                now=now,
                summary=f"{source.name} recovered after {state.consecutive_failures} failed polls",
            )
            events.append("source_recovered")
    log.info(
        "poll.ok source=%s status=%s changes=%d", source.name, result.status, len(result.changes)
    )
    return PollReport(source=source.name, ok=True, result=result, events=tuple(events))


def _record_failure(
    name: str, state: SourceState, *, engine: Engine, now: datetime, error: str, down_after: int
) -> PollReport:
    events: list[str] = []
    with Session(engine) as session, session.begin():
        streak, went_down = save_failure(session, name, now=now, error=error, down_after=down_after)
        if went_down:
            record_event(
                session,
                dedupe_key=_outage_key(state, "source_down"),
                source=name,
                kind="source_down",
                now=now,
                summary=f"{name} failed {streak} polls in a row: {error}",
            )
            events.append("source_down")
    return PollReport(source=name, ok=False, error=error, events=tuple(events))


def _outage_key(state: SourceState, kind: str) -> str:
    # An outage is identified by the last success before it.
    since = state.last_success_at.isoformat() if state.last_success_at else "never"
    return change_dedupe_key(state.source, kind, since)


def poll_all(
    sources: Iterable[Source],
    *,
    engine: Engine,
    fetcher: HttpFetcher,
    clock: Callable[[], datetime],
    down_after: int,
) -> list[PollReport]:
    return [
        poll_source(s, engine=engine, fetcher=fetcher, now=clock(), down_after=down_after)
        for s in sources
    ]

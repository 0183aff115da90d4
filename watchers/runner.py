"""Run sources: one poll each, failures isolated, streaks counted, outages reported once.

A source's `poll` either records everything it found or raises. The runner then
saves the source's state in its own short transaction: validators and the
last success, or one more failure with its diagnosis (`watchers.diagnosis`).
After `down_after` failures in a row it records a single "source_down" change,
or, for a source that has never once succeeded, a single
"source_never_succeeded" change whose summary says why (the source is asked
once more to tell a bot-detection page from a plain 403); the first success
after either records one "source_recovered" change. All carry dedupe keys tied
to the outage, so a restart cannot report one outage twice.

Logging: one line per failed poll, with its cause. Expected failures (the source
cannot be fetched or parsed, the database is away) carry no traceback, except at
DEBUG; any other exception type is a bug and is logged with its traceback. A poll
on a replica that lost the leadership (storage.leadership) records nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key, record_event
from storage.leadership import LeadershipLost
from storage.source_state import SourceState, load_source_state, save_failure, save_success
from watchers.csl.importer import SnapshotRefused
from watchers.diagnosis import Diagnosis, diagnose_failure
from watchers.errors import FetchError, ParseError
from watchers.http import HttpFetcher
from watchers.source import PollContext, PollResult, Source
from watchers.source_check import check_source, target_of

log = logging.getLogger(__name__)

# What a source or the database may do to a correct program; anything else is a bug.
EXPECTED_FAILURES: tuple[type[BaseException], ...] = (
    FetchError,
    ParseError,
    SnapshotRefused,
    DBAPIError,
    OSError,
)


@dataclass(frozen=True, slots=True)
class PollReport:
    source: str
    ok: bool
    result: PollResult | None = None
    error: str | None = None
    # "source_down" / "source_never_succeeded" / "source_recovered" recorded now
    events: tuple[str, ...] = ()


def poll_source(
    source: Source, *, engine: Engine, fetcher: HttpFetcher, now: datetime, down_after: int
) -> PollReport:
    try:
        return _poll(source, engine=engine, fetcher=fetcher, now=now, down_after=down_after)
    except LeadershipLost as exc:
        log.info("poll.skipped source=%s reason=%s", source.name, exc)
        return PollReport(source=source.name, ok=False, error=f"not leader: {exc}")
    except DBAPIError as exc:  # the database is away: nothing to record the failure in
        log.warning("poll.failed source=%s error=%s", source.name, describe(exc))
        return PollReport(source=source.name, ok=False, error=describe(exc))


def describe(exc: BaseException) -> str:
    """One line: the exception type and the first line of its message (or its cause's)."""
    original = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    message = str(original).strip().splitlines()
    return f"{type(original).__name__}: {message[0] if message else ''}".rstrip(": ")


def _log_failure(source: str, exc: Exception) -> None:
    expected = isinstance(exc, EXPECTED_FAILURES)
    debug = log.isEnabledFor(logging.DEBUG)
    log.warning(
        "poll.failed source=%s error=%s",
        source,
        describe(exc),
        exc_info=not expected or debug,
    )


def _poll(
    source: Source, *, engine: Engine, fetcher: HttpFetcher, now: datetime, down_after: int
) -> PollReport:
    with Session(engine) as session:
        state = load_source_state(session, source.name)
    try:
        result = source.poll(PollContext(engine=engine, fetcher=fetcher, now=now, state=state))
    except LeadershipLost:
        raise
    # A broad catch is right here and only here: one broken source must not stop the others.
    except Exception as exc:
        diagnosis = _diagnosis(source, exc)
        error = f"{describe(exc)} — {diagnosis.text}"
        _log_failure(source.name, exc)
        return _record_failure(
            source,
            state,
            engine=engine,
            fetcher=fetcher,
            now=now,
            error=error,
            diagnosis=diagnosis,
            down_after=down_after,
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
            newest_item_on=result.newest_item,
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
    source: Source,
    state: SourceState,
    *,
    engine: Engine,
    fetcher: HttpFetcher,
    now: datetime,
    error: str,
    diagnosis: Diagnosis,
    down_after: int,
) -> PollReport:
    name = source.name
    events: list[str] = []
    # Asked before the transaction, so that no row lock is held across an HTTP request.
    first_outage = state.never_succeeded and not state.down
    if first_outage and state.consecutive_failures + 1 >= down_after:
        diagnosis = _checked_diagnosis(source, fetcher, fallback=diagnosis)
    with Session(engine) as session, session.begin():
        streak, went_down = save_failure(session, name, now=now, error=error, down_after=down_after)
        if went_down and state.never_succeeded:
            # One alert for the life of the source, with what to do about it.
            record_event(
                session,
                dedupe_key=_outage_key(state, "source_never_succeeded"),
                source=name,
                kind="source_never_succeeded",
                now=now,
                summary=f"{name} never succeeded: {diagnosis.text}",
            )
            events.append("source_never_succeeded")
        elif went_down:
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


def _diagnosis(source: Source, error: BaseException) -> Diagnosis:
    target = target_of(source)
    return diagnose_failure(error, expected=target.expected if target else "json")


def _checked_diagnosis(source: Source, fetcher: HttpFetcher, *, fallback: Diagnosis) -> Diagnosis:
    try:
        checked = check_source(source, fetcher=fetcher).diagnosis
    # A broad catch is right here: the check only refines a diagnosis we already have.
    except Exception:
        log.warning("poll.check_failed source=%s", source.name, exc_info=True)
        return fallback
    return fallback if checked.usable else checked


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

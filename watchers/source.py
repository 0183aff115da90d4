"""The interface every source implements, and what it hands back to the runner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Engine

from storage.source_state import SourceState
from watchers.http import FetchResult, HttpFetcher
from watchers.poll_windows import PollWindows


@dataclass(frozen=True, slots=True)
class PollContext:
    engine: Engine
    fetcher: HttpFetcher
    now: datetime
    state: SourceState

    def fetch_if_changed(self, url: str, *, source: str, accept: str) -> FetchResult:
        """A conditional GET with the validators this source stored after its last success."""
        return self.fetcher.get(
            url,
            source=source,
            etag=self.state.etag,
            last_modified=self.state.last_modified,
            accept=accept,
        )


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one successful poll did. `changes` are one-line descriptions of new change rows."""

    status: str  # "not_modified" | "unchanged" | "baseline" | "changed"
    changes: tuple[str, ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    cursor: dict[str, Any] | None = None
    # The date of the newest item the source showed, for a source that dates its items.
    newest_item: date | None = None


@dataclass(frozen=True, slots=True)
class SourceSchedule:
    interval_seconds: int
    # Random delay added to each run, so replicas and sources do not poll in lockstep.
    jitter_seconds: int = 30
    # Times of day polled every `fast.fast_seconds` instead (the Public Inspection desk).
    fast: PollWindows | None = None


class Source(Protocol):
    """One place we poll. `poll` fetches, parses and records; it raises on any failure
    and must leave stored state untouched when it does."""

    name: str
    schedule: SourceSchedule

    def poll(self, ctx: PollContext) -> PollResult: ...

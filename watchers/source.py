"""The interface every source implements, and what it hands back to the runner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Engine

from storage.source_state import SourceState
from watchers.http import FetchResult, HttpFetcher


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


@dataclass(frozen=True, slots=True)
class SourceSchedule:
    interval_seconds: int
    # Random delay added to each run, so replicas and sources do not poll in lockstep.
    jitter_seconds: int = 30


class Source(Protocol):
    """One place we poll. `poll` fetches, parses and records; it raises on any failure
    and must leave stored state untouched when it does."""

    name: str
    schedule: SourceSchedule

    def poll(self, ctx: PollContext) -> PollResult: ...


@dataclass(frozen=True, slots=True)
class SourcesConfig:
    """Everything sources need from the settings (watchers never read the environment)."""

    csl_url: str
    fr_api_url: str
    press_feeds: tuple[str, ...]
    # HTML news-listing pages (read item by item); empty: none.
    press_pages: tuple[str, ...] = ()
    csl_interval: int = 3600
    fr_interval: int = 900
    public_inspection_interval: int = 600
    press_interval: int = 900
    max_removed_share: float = 0.10
    # Federal Register rules published this many days before the first poll have their
    # entries loaded (for screening) as part of the baseline, without alerts.
    fr_baseline_days: int = 30

"""The composition root: validated settings in, every collaborator built once.

`AppRoot` is made once per process: by the CLI for each command (it is the commands'
context), and so by `run` and `demo`. It hands out the database engine, the clock, the
screening thresholds, the Slack client (through the one factory, `bot.slack.client`), the
alert transport, the fetcher, the sources (each kind built from its own settings, which
`bot.kind_settings` reads), the alert routing and the screening and monitoring services.
Nothing else turns settings into these; the module-level builders below exist for the
tests and benchmarks that assemble one piece on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.errors import UserError
from bot.kind_settings import load_sources_config
from bot.routing import Routing, RoutingError
from bot.services.monitoring.service import MonitoringService
from bot.services.ownership.crossings import CrossingMonitor
from bot.services.ownership.service import OwnershipService
from bot.services.rules_calendar import rule_state
from bot.services.screening import ScreeningService
from bot.settings import Settings, pool_size_of, thresholds_of
from bot.slack.blocks.monitoring import BlockKitHitMessages
from bot.slack.blocks.ownership import crossing_message
from bot.slack.client import bot_client
from bot.slack.transport import SlackTransport
from screening import Thresholds
from storage.engine import create_db_engine, is_sqlite
from storage.migrate import is_up_to_date, upgrade
from watchers.http import HttpFetcher
from watchers.kind_settings import SourcesConfig
from watchers.registry import build_sources, configured_urls, rate_limits
from watchers.source import Source


def utc_now() -> datetime:
    return datetime.now(UTC)


def fetcher_for(settings: Settings, sources: SourcesConfig) -> HttpFetcher:
    # Hosts that ask for a request rate get it, wherever the kinds' settings point them.
    return HttpFetcher(
        connect_timeout=settings.http_connect_timeout,
        read_timeout=settings.http_read_timeout,
        total_timeout=settings.http_total_timeout,
        max_bytes=settings.http_max_bytes,
        retries=settings.http_retries,
        rate_limits=rate_limits(sources),
        # Only the configured sources' own origins may be at a non-public address.
        home_urls=configured_urls(sources),
    )


def routing_of(settings: Settings) -> Routing:
    try:
        return Routing.parse(
            settings.alert_routes,
            default_channel=settings.alert_channel,
            ops_channel=settings.ops_channel,
        )
    except RoutingError as exc:
        raise UserError(f"setting ALERT_ROUTES: {exc}") from None


def monitoring_of(
    settings: Settings, *, engine: Engine, screening: ScreeningService | None = None
) -> MonitoringService:
    thresholds = thresholds_of(settings)
    return MonitoringService(
        engine=engine,
        screening=screening or ScreeningService(engine=engine, thresholds=thresholds),
        routing=routing_of(settings),
        thresholds=thresholds,
        watchlist_channel=settings.watchlist_channel,
        messages=BlockKitHitMessages(),
    )


def affiliates_rule_state(session: Session, today: date) -> str | None:
    """The affiliates rule's state today, as the rules calendar words it; None when no
    rule read says anything of it (answers then say the state is not known)."""
    state = rule_state(session, subject="affiliates", today=today)
    return state.sentence() if state is not None else None


@dataclass
class AppRoot:
    """One process's collaborators, each built on first use and then shared."""

    settings: Settings
    # Each source kind's settings; the CLI reads them at start, next to `settings`.
    sources_config: SourcesConfig = field(default_factory=load_sources_config)
    clock: Callable[[], datetime] = field(default=utc_now)
    _engine: Engine | None = field(default=None, repr=False)
    _screening: ScreeningService | None = field(default=None, repr=False)
    _ownership: OwnershipService | None = field(default=None, repr=False)

    # --- time and database -------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_db_engine(
                self.settings.database_url, pool_size=pool_size_of(self.settings)
            )
        return self._engine

    def migrated_engine(self) -> Engine:
        """The engine, after checking migrations.

        The embedded SQLite default migrates itself: it has one user and no other
        replica that could race it. PostgreSQL is migrated on purpose, by
        `entitywatch db upgrade` (the compose file runs it before the bot starts).
        """
        engine = self.engine
        if not is_up_to_date(engine):
            if not is_sqlite(engine):
                raise UserError(
                    "the database schema is not up to date: run `entitywatch db upgrade`"
                )
            upgrade(engine)
        return engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    # --- Slack -------------------------------------------------------------------------
    def slack_client(self) -> WebClient:
        return bot_client(self.settings)

    def slack_transport(self) -> SlackTransport:
        return SlackTransport(client=bot_client(self.settings, for_delivery=True))

    # --- sources -----------------------------------------------------------------------
    @cached_property
    def fetcher(self) -> HttpFetcher:
        return fetcher_for(self.settings, self.sources_config)

    def sources(self, *, only: str | None = None) -> list[Source]:
        return build_sources(self.sources_config, only=only)

    # --- alerts and screening ----------------------------------------------------------
    @cached_property
    def routing(self) -> Routing:
        return routing_of(self.settings)

    @cached_property
    def thresholds(self) -> Thresholds:
        return thresholds_of(self.settings)

    def screening(self) -> ScreeningService:
        """Over the stored lists, on this root's clock. An empty database is screened too:
        the answer is "cannot clear: lists not loaded", never a clean "no match"."""
        if self._screening is None:
            self._screening = ScreeningService(
                engine=self.migrated_engine(),
                thresholds=self.thresholds,
                clock=self.clock,
                max_age=self.settings.lists_max_age,
            )
        return self._screening

    def ownership(self) -> OwnershipService:
        if self._ownership is None:
            self._ownership = OwnershipService(
                engine=self.migrated_engine(),
                screening=self.screening(),
                thresholds=self.thresholds,
                required_countries=self.settings.ownership_required_countries,
                rule_state=affiliates_rule_state,
                clock=self.clock,
            )
        return self._ownership

    def crossings(self) -> CrossingMonitor:
        return CrossingMonitor(
            ownership=self.ownership(),
            routing=self.routing,
            watchlist_channel=self.settings.watchlist_channel,
            render=crossing_message,
        )

    def monitoring(self) -> MonitoringService:
        """Counterparty monitoring with the affiliates rule's crossings read alongside (every
        caller: the runtime, `alerts send`, `watchlist import`, the demo)."""
        service = monitoring_of(
            self.settings, engine=self.migrated_engine(), screening=self.screening()
        )
        service.clock = self.clock  # one clock per process, as the other collaborators
        service.observers.append(self.crossings())
        return service

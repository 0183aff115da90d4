"""Build the monitoring service from settings (the CLI, `run` and the demo share it)."""

from __future__ import annotations

from sqlalchemy import Engine

from bot.services.monitoring.service import MonitoringService
from bot.services.runtime import routing_of
from bot.services.screening import ScreeningService
from bot.settings import Settings, thresholds_of


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
    )

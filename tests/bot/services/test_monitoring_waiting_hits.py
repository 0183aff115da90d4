"""Work a screening would otherwise leave undone (issue 23.3): hits found while no channel
is configured are alerted once one is; counterparties screened before a list arrived
are screened against it.

Tried: a counterparty screened (as `watchlist import` does) by a process with neither
ALERT_CHANNEL nor WATCHLIST_CHANNEL; then a leader with a channel runs its rounds. The
hit must reach Slack, once, and a second round must not post it again. And a
counterparty screened while only the Federal Register's entries were stored, then the
CSL's first snapshot.
"""

from __future__ import annotations

from sqlalchemy import Engine

from bot.routing import Routing
from bot.services.monitoring.service import MonitoringService
from bot.services.screening import ScreeningService
from bot.slack.blocks.monitoring import BlockKitHitMessages
from screening import Thresholds
from tests.bot.services.alerts.test_delivery import Clock, run_sources
from tests.bot.services.test_monitoring import (
    WATCH_CHANNEL,
    add_watchlist,
    clock,
    counterparty_posts,
    deliver,
    monitoring,
)
from tests.fakes.slack_api import FakeSlackApi
from tests.watchers.recorded import RecordedSites

__all__ = ["clock"]  # a fixture shared with the module it comes from


def test_a_hit_found_with_no_channel_is_alerted_once_a_channel_is_set(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    run_sources(engine, sites, "csl")
    thresholds = Thresholds()
    nowhere = MonitoringService(
        engine=engine,
        screening=ScreeningService(engine=engine, thresholds=thresholds),
        routing=Routing(default_channel=None),
        thresholds=thresholds,
        messages=BlockKitHitMessages(),
        clock=clock,
    )
    add_watchlist(engine, "id,name,country\nC-32,32 Group China Limited,HK\n", clock)
    assert nowhere.screen_unscreened() == (1, 1)
    assert nowhere.run_once().hits == 0  # still no channel: it keeps waiting
    deliver(engine, monitoring(engine, clock, channel=WATCH_CHANNEL), slack_api, clock)
    (hit,) = counterparty_posts(slack_api, WATCH_CHANNEL)
    assert "may be the listed 32 Group China Ltd. (Entity List" in str(hit["text"])
    deliver(engine, monitoring(engine, clock, channel=WATCH_CHANNEL), slack_api, clock)
    assert len(counterparty_posts(slack_api, WATCH_CHANNEL)) == 1


def test_counterparties_screened_before_a_list_arrived_are_screened_against_it(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    """Screened while only the Federal Register's entries were stored, a counterparty is
    screened again when the CSL's first snapshot arrives, and its CSL hit is posted."""
    run_sources(engine, sites, "federal_register")
    service = monitoring(engine, clock, channel=WATCH_CHANNEL)
    add_watchlist(engine, "id,name,country\nC-32,32 Group China Limited,HK\n", clock)
    deliver(engine, service, slack_api, clock)
    assert service.screen_unscreened() == (0, 0)  # screened already, against what there was
    assert counterparty_posts(slack_api, WATCH_CHANNEL) == []
    run_sources(engine, sites, "csl")
    deliver(engine, service, slack_api, clock)
    (hit,) = counterparty_posts(slack_api, WATCH_CHANNEL)
    assert "may be the listed 32 Group China Ltd. (Entity List" in str(hit["text"])

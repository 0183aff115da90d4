"""Every way monitoring runs also reads crossings of 50 %, and a counterparty watched after
its holdings were imported counts from the day it is watched.

`AppRoot.monitoring()` is what the runtime, `alerts send`, `watchlist import` and the demo
use: crossings must come with it (a monitor built without them flags the list change read
and the crossing is never seen again). Real CSL snapshots through the real watcher, the
real planner and sender, the fake Slack Web API; the rule's state from the real calendar
(no rule read here: "not known").
"""

from __future__ import annotations

from sqlalchemy import Engine

from bot.app import AppRoot
from bot.services.alerts.planner import plan_alerts
from bot.settings import load_settings
from bot.slack.blocks.alerts import BlockKitAlertMessages
from tests.bot.ownership.test_crossings import (
    clock,
    covered,
    crossings,
    deliver,
    own,
    ownership_posts,
)
from tests.bot.services.alerts.test_delivery import (
    CHANNEL,
    ROUTING,
    Clock,
    make_sender,
    run_sources,
)
from tests.bot.services.test_monitoring import add_watchlist, csl_with_acme
from tests.fakes.slack_api import FakeSlackApi
from tests.watchers.recorded import RecordedSites

__all__ = ["clock"]  # a fixture shared with the crossings' own tests

HOLDINGS = "owned,owner,percent\nS-1,Acme Robotics Trading Co. Ltd.,60\nS-1,Family Trust,40\n"


def deliver_as_alerts_send(
    engine: Engine, db_url: str, slack_api: FakeSlackApi, clock: Clock
) -> None:
    """What `entitywatch alerts send` does, through the composition root."""
    settings = load_settings(database_url=db_url, alert_channel=CHANNEL)
    root = AppRoot(settings=settings, clock=clock, _engine=engine)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    root.monitoring().run_once()
    root.crossings().run_once()
    make_sender(engine, slack_api, clock).drain()


def test_the_composition_roots_monitoring_reads_crossings(
    engine: Engine, db_url: str, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    run_sources(engine, sites, "csl")
    add_watchlist(engine, "id,name,country\nS-1,Harbour Precision Parts GmbH,DE\n", clock)
    assert own(engine, clock, HOLDINGS, crossings(engine, clock)) == 0
    deliver_as_alerts_send(engine, db_url, slack_api, clock)
    sites.serve_csl(csl_with_acme())
    run_sources(engine, sites, "csl")
    deliver_as_alerts_send(engine, db_url, slack_api, clock)
    deliver_as_alerts_send(engine, db_url, slack_api, clock)
    (post,) = ownership_posts(slack_api)
    assert "Harbour Precision Parts GmbH (id S-1) is now 60 % owned" in str(post["text"])
    assert "not known" in str(post["blocks"])  # no rule read: the state is not guessed


def test_a_counterparty_watched_after_its_holdings_is_evaluated_when_first_screened(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    sites.serve_csl(csl_with_acme())
    run_sources(engine, sites, "csl")
    add_watchlist(engine, "id,name,country\nS-9,Other Co,DE\n", clock)
    # Holdings of S-1 before S-1 is watched: nothing to alert yet.
    assert own(engine, clock, HOLDINGS, crossings(engine, clock)) == 0
    deliver(engine, slack_api, clock)
    assert ownership_posts(slack_api) == []
    add_watchlist(engine, "id,name,country\nS-1,Harbour Precision Parts GmbH,DE\n", clock)
    deliver(engine, slack_api, clock)
    deliver(engine, slack_api, clock)  # and again, as after a restart: nothing more
    (post,) = ownership_posts(slack_api)
    assert "Harbour Precision Parts GmbH (id S-1) is now 60 % owned" in str(post["text"])
    # S-9, watched with no holdings, is not evaluated at all: no standing recorded for it.
    assert covered(engine) == {2: True}

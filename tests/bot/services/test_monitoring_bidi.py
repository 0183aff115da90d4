"""A watched counterparty stored with a right-to-left override and its letters reversed
displays as a name that gets listed: it gets its hit, and the alert shows the control.

The real watcher records the CSL snapshots, the real monitoring step screens, the real
sender posts to the fake Slack Web API (helpers of test_monitoring.py).
"""

from __future__ import annotations

from sqlalchemy import Engine

from tests.bot.services.alerts.test_delivery import Clock, run_sources
from tests.bot.services.test_monitoring import (
    add_watchlist,
    clock,  # noqa: F401  (fixture)
    counterparty_posts,
    csl_with_acme,
    deliver,
    monitoring,
)
from tests.fakes.slack_api import FakeSlackApi
from tests.watchers.recorded import RecordedSites

SHOWN = "ACME Robotics Trading Limited"
STORED = "\u202e" + SHOWN[::-1]  # what a screen shows as SHOWN


def test_a_counterparty_that_displays_as_a_listed_name_gets_its_hit(
    engine: Engine,
    slack_api: FakeSlackApi,
    sites: RecordedSites,
    clock: Clock,  # noqa: F811
) -> None:
    run_sources(engine, sites, "csl")
    add_watchlist(engine, f"id,name,country\nC-9,{STORED},HK\n", clock)
    service = monitoring(engine, clock)
    deliver(engine, service, slack_api, clock)
    assert counterparty_posts(slack_api) == []
    sites.serve_csl(csl_with_acme())
    run_sources(engine, sites, "csl")
    deliver(engine, service, slack_api, clock)
    (hit,) = counterparty_posts(slack_api)
    text = str(hit["text"])
    assert "may be the newly listed Acme Robotics Trading Co., Ltd. (Entity List" in text
    # The alert shows the control as an escape and what the name displays as.
    assert f"\\u202e{SHOWN[::-1]} (displays as “{SHOWN}”)" in text
    assert "\u202e" not in text

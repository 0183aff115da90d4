"""Monitoring of the affiliates rule end to end: real CSL snapshots through the real
watcher, the real planner, monitoring step and sender, the fake Slack Web API.

Tried: an owner listed by a new snapshot (one alert, in the thread of the change, with
the decision buttons), the same snapshot polled again and a restarted service (nothing
more), the owner delisted (one alert that the share fell under 50 %), an ownership
import that pushes a counterparty over 50 % (one alert, in the import's transaction),
the same import again (nothing), and a chain through a holding company.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.services.alerts.planner import plan_alerts
from bot.services.monitoring.decisions import decide
from bot.services.ownership.crossings import CrossingMonitor
from bot.services.ownership.csv_rows import OwnershipColumns
from bot.services.ownership.importer import import_ownership
from bot.services.ownership.service import OwnershipService
from bot.services.screening import ScreeningService
from bot.slack.blocks.alerts import BlockKitAlertMessages
from bot.slack.blocks.ownership import crossing_message
from screening import Thresholds
from storage.models import OwnershipStandingRow, WatchHitRow
from tests.bot.services.alerts.test_delivery import (
    CHANNEL,
    ROUTING,
    Clock,
    make_sender,
    run_sources,
)
from tests.bot.services.test_monitoring import (
    SAMPLE,
    add_watchlist,
    csl_with_acme,
    monitoring,
)
from tests.fakes.slack_api import FakeSlackApi
from tests.watchers.recorded import RecordedSites

COLUMNS = OwnershipColumns(owned="owned", owner="owner", percent="percent")


@pytest.fixture
def clock() -> Clock:
    return Clock()


def crossings(engine: Engine, clock: Clock) -> CrossingMonitor:
    thresholds = Thresholds()
    service = OwnershipService(
        engine=engine,
        screening=ScreeningService(engine=engine, thresholds=thresholds),
        thresholds=thresholds,
        rule_state=lambda _session, today: f"in force since 2026-11-10 (asked {today})",
        clock=clock,
    )
    return CrossingMonitor(ownership=service, routing=ROUTING, render=crossing_message)


def own(engine: Engine, clock: Clock, text: str, monitor: CrossingMonitor) -> int:
    report = import_ownership(
        engine,
        io.BytesIO(text.encode()),
        columns=COLUMNS,
        imported_by="test",
        now=clock(),
        after=monitor.after_import,
    )
    assert report.refused_count == 0, report.refused
    return report.crossings


def deliver(engine: Engine, slack_api: FakeSlackApi, clock: Clock) -> None:
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    # Fresh services each time, as after a restart; crossings are read with the hits.
    watch = monitoring(engine, clock)
    monitor = crossings(engine, clock)
    watch.observers.append(monitor)
    watch.run_once()
    monitor.run_once()
    make_sender(engine, slack_api, clock).drain()


def ownership_posts(slack_api: FakeSlackApi) -> list[dict[str, object]]:
    texts = ("Counterparty", "is now", "no longer 50 %")
    return [
        m
        for m in slack_api.messages(CHANNEL)
        if str(m["text"]).startswith(texts[0]) and any(t in str(m["text"]) for t in texts[1:])
    ]


def covered(engine: Engine) -> dict[int, bool]:
    with Session(engine) as session:
        return {r.counterparty_id: r.covered for r in session.scalars(select(OwnershipStandingRow))}


def test_an_owner_listed_then_delisted_alerts_once_each_way_in_the_changes_thread(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    run_sources(engine, sites, "csl")
    add_watchlist(engine, "id,name,country\nS-1,Harbour Precision Parts GmbH,DE\n", clock)
    monitor = crossings(engine, clock)
    holdings = "owned,owner,percent\nS-1,Acme Robotics Trading Co. Ltd.,60\nS-1,Family Trust,40\n"
    assert own(engine, clock, holdings, monitor) == 0  # ACME is not listed yet
    deliver(engine, slack_api, clock)
    assert ownership_posts(slack_api) == []

    sites.serve_csl(csl_with_acme())
    run_sources(engine, sites, "csl")
    deliver(engine, slack_api, clock)
    (post,) = ownership_posts(slack_api)
    assert "Harbour Precision Parts GmbH (id S-1) is now 60 % owned by listed parties" in str(
        post["text"]
    )
    assert post.get("thread_ts")  # in the thread of the CSL change's alert
    blocks = str(post["blocks"])
    assert (
        "Acme Robotics Trading Co. Ltd. (EL: Acme Robotics Trading Co., Ltd.) 60 % direct" in blocks
    )
    assert "Presumption of denial" in blocks and "in force since 2026-11-10" in blocks
    assert "watch_confirm" in blocks and "watch_clear" in blocks
    # Polled again, with fresh services: nothing more.
    run_sources(engine, sites, "csl")
    deliver(engine, slack_api, clock)
    assert len(ownership_posts(slack_api)) == 1
    with Session(engine) as session:
        (hit,) = session.scalars(select(WatchHitRow).where(WatchHitRow.origin == "ownership"))
    assert hit.band == "match" and hit.score == pytest.approx(0.6)
    # The hit takes the same decisions as a name hit.
    said = decide(
        engine,
        hit_id=hit.id or 0,
        decision="confirm",
        reason="KYC: same group",
        user_id="U1",
        now=clock(),
    )
    assert "onfirm" in said, said

    sites.serve_csl(SAMPLE)
    run_sources(engine, sites, "csl")
    deliver(engine, slack_api, clock)
    posts = ownership_posts(slack_api)
    assert len(posts) == 2
    assert "is no longer 50 % owned by listed parties (0 % now)" in str(posts[1]["text"])
    assert list(covered(engine).values()) == [False]


def test_an_import_that_crosses_alerts_once_and_chains_count(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    sites.serve_csl(csl_with_acme())
    run_sources(engine, sites, "csl")
    add_watchlist(engine, "id,name,country\nS-2,Nordlicht Components AG,DE\n", clock)
    deliver(engine, slack_api, clock)
    monitor = crossings(engine, clock)
    # ACME holds 80 % of Kestrel, so Kestrel is covered and counts whole: 40 %, under 50 %.
    chain = "owned,owner,percent\nS-2,Kestrel Holdings BV,40\nKestrel Holdings BV,Acme Robotics Trading Co. Ltd.,80\n"
    assert own(engine, clock, chain, monitor) == 0
    assert own(engine, clock, chain, monitor) == 0
    # Kestrel now holds 70 %: over 50 %, one alert; the same file again adds nothing.
    more = chain.replace("S-2,Kestrel Holdings BV,40", "S-2,Kestrel Holdings BV,70")
    assert own(engine, clock, more, monitor) == 1
    assert own(engine, clock, more, monitor) == 0
    make_sender(engine, slack_api, clock).drain()
    (post,) = ownership_posts(slack_api)
    assert "Nordlicht Components AG (id S-2) is now 70 % owned by listed parties" in str(
        post["text"]
    )
    assert "Kestrel Holdings BV (covered: owned 50 % or more by listed parties) 70 % direct" in str(
        post["blocks"]
    )

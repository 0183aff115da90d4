"""A source that never once succeeded: one alert that says why, through the real runner,
planner and sender to the fake Slack Web API; its first success replies in that thread.

Tried: a listing page answering 403 with a bot-detection page for a week of polls.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from bot.routing import Routing
from bot.services.alerts.planner import plan_alerts
from bot.slack.blocks.alerts import BlockKitAlertMessages
from tests.bot.services.alerts.test_delivery import Clock, make_sender
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.source_replies import Reply
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import LISTING, RecordedSites
from watchers.http import HttpFetcher
from watchers.registry import build_sources
from watchers.runner import poll_source

CHANNEL = "C0ALERTS"
BOT_PAGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<p>Checking your browser before accessing the site. Enable JavaScript and cookies."
    b"</p></body></html>"
)


def test_one_alert_that_says_why_then_the_recovery_in_its_thread(
    engine: Engine, slack_api: FakeSlackApi, source_server: SourceServer
) -> None:
    sites = RecordedSites(server=source_server)
    source_server.route_reply(LISTING, Reply(status=403, body=BOT_PAGE, content_type="text/html"))
    (page,) = build_sources(sites.config(), only="press_page")
    fetcher = HttpFetcher(retries=0, rate_limits={})
    clock = Clock()
    routing = Routing(default_channel=CHANNEL)
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    for day in range(7):
        now = start + timedelta(days=day)
        poll_source(page, engine=engine, fetcher=fetcher, now=now, down_after=3)
        plan_alerts(engine, messages=BlockKitAlertMessages(), routing=routing, now=clock())
        make_sender(engine, slack_api, clock).drain()
    (alert,) = slack_api.messages(CHANNEL)
    body = alert["blocks"][1]["text"]["text"]
    assert body == (
        f"{page.name} never succeeded: 403 with a bot-detection page: this site blocks "
        "automated clients; drop or replace this source"
    )

    sites.serve_listing()
    poll_source(page, engine=engine, fetcher=fetcher, now=start + timedelta(days=8), down_after=3)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=routing, now=clock())
    make_sender(engine, slack_api, clock).drain()
    # The first success is also the source's baseline, announced on its own.
    parent, baseline, recovery = slack_api.messages(CHANNEL)
    assert recovery["thread_ts"] == parent["ts"]
    assert recovery["text"] == f"✅ Source recovered: {page.name}"
    assert baseline["text"] == "entitywatch baseline recorded"

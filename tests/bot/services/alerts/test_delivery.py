"""Alerts end to end: real watchers make changes, the planner fills the outbox, the sender
posts through the real slack_sdk client to the local fake Slack Web API.

Failures tried: a 429 with Retry-After, a 500, permanent errors (channel_not_found,
not_in_channel, invalid_auth), an answer lost after Slack stored the message, and
the process killed between the post and the commit. Each alert is posted exactly once.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.routing import Routing
from bot.services.alerts.planner import plan_alerts
from bot.services.alerts.sender import OutboxSender
from bot.slack.blocks.alerts import BlockKitAlertMessages
from bot.slack.transport import SlackTransport
from storage.changes import change_dedupe_key, record_event
from storage.models import OutboxRow
from tests.fakes.slack_api import FakeSlackApi, PostedMessage, SimulatedCrash
from tests.watchers.recorded import RecordedSites
from watchers.http import HttpFetcher
from watchers.registry import build_sources
from watchers.runner import poll_all

CHANNEL = "C0ALERTS"
ROUTING = Routing(default_channel=CHANNEL)


class Clock:
    def __init__(self) -> None:
        # Just before the fake Slack's first message ts (1700000000, 2023-11-14 22:13:20 UTC),
        # so that "posted after this outbox row was created" holds as it does live.
        self.now = datetime(2023, 11, 14, 22, 0, tzinfo=UTC)
        self.mono = 1000.0

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def sleep(self, seconds: float) -> None:
        self.mono += seconds
        self.now += timedelta(seconds=seconds)

    def advance(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.fixture
def clock(slack_api: FakeSlackApi) -> Clock:
    """The test's time; the fake Slack stamps messages with it, as Slack does with its own."""
    test_clock = Clock()
    slack_api.use_clock(lambda: test_clock.now.timestamp())
    return test_clock


def make_sender(engine: Engine, slack_api: FakeSlackApi, clock: Clock, **kw: Any) -> OutboxSender:
    transport = SlackTransport.create(token=slack_api.token, base_url=slack_api.base_url)
    return OutboxSender(
        engine=engine,
        transport=transport,
        clock=clock,
        sleep=clock.sleep,
        monotonic=clock.monotonic,
        **kw,
    )


def run_sources(engine: Engine, sites: RecordedSites, *names: str) -> None:
    sources = [s for n in names for s in build_sources(sites.config(), only=n)]
    fetcher = HttpFetcher(retries=0, rate_limits={})
    reports = poll_all(
        sources, engine=engine, fetcher=fetcher, clock=lambda: datetime.now(UTC), down_after=3
    )
    assert all(r.ok for r in reports), [r.error for r in reports]


@pytest.fixture
def rule_after_baseline(engine: Engine, sites: RecordedSites) -> None:
    """The Federal Register and CSL baselines, before FR Doc 2023-03929 appears."""
    sites.serve_documents("9999-10002")
    run_sources(engine, sites, "federal_register", "csl")


def posted(slack_api: FakeSlackApi, channel: str = CHANNEL) -> list[dict[str, Any]]:
    return slack_api.messages(channel)


def test_first_run_announces_one_baseline_summary(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock, rule_after_baseline: None
) -> None:
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    make_sender(engine, slack_api, clock).drain()
    (summary,) = posted(slack_api)
    assert summary["blocks"][0]["text"]["text"] == "entitywatch baseline recorded"
    assert "EL: baseline of 22 entries" in summary["blocks"][1]["text"]["text"]


def test_rule_alert_then_thread_replies_and_parent_update(
    engine: Engine,
    slack_api: FakeSlackApi,
    clock: Clock,
    sites: RecordedSites,
    rule_after_baseline: None,
) -> None:
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    sender = make_sender(engine, slack_api, clock)
    sender.drain()
    sites.serve_public_inspection(number="2023-03929")
    run_sources(engine, sites, "public_inspection")
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    sender.drain()
    sites.serve_documents("2023-03929", "9999-10002")
    run_sources(engine, sites, "federal_register")
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    sender.drain()
    messages = posted(slack_api)
    assert len(messages) == 3  # baseline, the public-inspection parent, the publication reply
    parent, reply = messages[1], messages[2]
    first_post = slack_api.calls("chat.postMessage")[1].params
    assert first_post["text"].startswith("Entity List rule on public inspection")
    # The parent now shows the published rule (chat.update), the thread the signals.
    assert parent["blocks"][0]["text"]["text"].startswith("Entity List: 13 entries added")
    assert reply["thread_ts"] == parent["ts"]
    reply_text = " ".join(b["text"]["text"] for b in reply["blocks"] if b["type"] == "section")
    assert "Published in the Federal Register" in reply_text and "88 FR 12170" in reply_text
    assert (
        "Entity List: 13 entries added (China 5, Russia 3, Canada 2, France 1, Luxembourg 1, ...)"
        in reply_text
    )
    (update,) = slack_api.calls("chat.update")
    assert update.params["ts"] == parent["ts"]
    assert update.params["text"].startswith("Entity List: 13 entries added")
    assert "License requirement" in str(update.params["blocks"])
    # Nothing is posted twice however often planner and sender run.
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    sender.drain()
    assert len(posted(slack_api)) == 3


def _many_changes(
    engine: Engine,
    count: int,
    *,
    list_code: str = "EL",
    country: str = "CN",
    at: datetime = datetime(2026, 11, 2, tzinfo=UTC),
) -> None:
    with Session(engine) as session, session.begin():
        for i in range(count):
            record_event(
                session,
                dedupe_key=change_dedupe_key("test", str(i), list_code, country),
                source="federal_register",
                kind="added",
                now=at,
                list_code=list_code,
                document_number=f"2026-{list_code}{country}",
                after={
                    "name": f"Company {i}",
                    "countries": [country],
                    "license_policy": "Presumption of denial." * 20,
                },
                entry_key=f"{list_code}:company {i}",
                entry_name=f"Company {i} Trading Co., Ltd.",
                summary="x",
            )


def test_a_large_action_is_split_within_slack_limits(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock
) -> None:
    _many_changes(engine, 130)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    make_sender(engine, slack_api, clock).drain()
    messages = posted(slack_api)
    assert len(messages) == 4
    assert all(len(m["blocks"]) <= 50 for m in messages)
    assert all(len(b["text"]["text"]) <= 3000 for m in messages for b in m["blocks"] if "text" in b)
    assert [m.get("thread_ts") for m in messages[1:]] == [messages[0]["ts"]] * 3
    assert messages[1]["text"].endswith("(part 2 of 4)")


def test_routing_by_list_and_country(engine: Engine, slack_api: FakeSlackApi, clock: Clock) -> None:
    _many_changes(engine, 2, list_code="MEU", country="RU")
    _many_changes(engine, 2, list_code="EL", country="CN")
    routing = Routing.parse(
        "list:MEU=C0MEU01,country:CN=C0CHINA", default_channel=CHANNEL, ops_channel=None
    )
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=routing, now=clock())
    make_sender(engine, slack_api, clock).drain()
    assert len(posted(slack_api, "C0MEU01")) == 1 and len(posted(slack_api, "C0CHINA")) == 1
    assert posted(slack_api) == []


def test_rate_limit_is_honoured_and_one_message_per_second_per_channel(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock
) -> None:
    _many_changes(engine, 1, country="CN")
    _many_changes(engine, 1, country="RU")
    _many_changes(engine, 1, country="IR")
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    slack_api.fail_next("chat.postMessage", status=429, retry_after=7)
    sender = make_sender(engine, slack_api, clock)
    first = sender.run_once()
    assert first.retried == 3 and posted(slack_api) == []  # the channel is paused for 7 s
    assert sender.run_once().sent == 0  # not due yet
    clock.advance(7)
    start = clock.mono
    assert sender.drain().sent == 3
    assert len(posted(slack_api)) == 3
    assert clock.mono - start >= 2.0  # three posts in one channel take two pauses of a second


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "invalid_auth"])
def test_permanent_errors_fail_once_with_the_reason(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock, error: str
) -> None:
    _many_changes(engine, 1)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    slack_api.fail_next("chat.postMessage", error=error, times=5)
    sender = make_sender(engine, slack_api, clock)
    assert sender.drain().failed == 1
    clock.advance(3600)
    sender.drain()
    assert len(slack_api.calls("chat.postMessage")) == 1
    with Session(engine) as session:
        row = session.scalars(select(OutboxRow)).one()
    assert row.status == "failed" and row.last_error == f"chat_postMessage: {error}"


def test_server_errors_are_retried_then_sent_once(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock
) -> None:
    _many_changes(engine, 1)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    slack_api.fail_next("chat.postMessage", status=500, times=2)
    sender = make_sender(engine, slack_api, clock)
    for _ in range(3):
        sender.run_once()
        clock.advance(10)
    assert len(posted(slack_api)) == 1


def test_lost_answer_is_found_in_the_channel_not_posted_again(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock
) -> None:
    _many_changes(engine, 1)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())

    def crash_once(message: PostedMessage) -> None:
        slack_api.on_post(None)
        raise SimulatedCrash

    slack_api.on_post(crash_once)
    sender = make_sender(engine, slack_api, clock)
    assert sender.run_once().retried == 1
    clock.advance(5)
    report = sender.run_once()
    assert report.recovered == 1 and report.sent == 0
    assert len(posted(slack_api)) == 1


class KilledAfterPost(BaseException):
    """Stands for SIGKILL: nothing after the post runs, not even `except Exception`."""


def test_process_killed_between_post_and_commit_posts_once(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock
) -> None:
    _many_changes(engine, 3, country="CN")
    _many_changes(engine, 3, country="RU")
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    first = make_sender(engine, slack_api, clock, batch=10)
    real_post = first.transport.post
    posts = {"n": 0}

    def post_then_die(**kwargs: Any) -> str:
        ts = real_post(**kwargs)
        posts["n"] += 1
        if posts["n"] == 1:
            raise KilledAfterPost
        return ts

    first.transport.post = post_then_die  # type: ignore[method-assign]
    with pytest.raises(KilledAfterPost):
        first.run_once()
    # A new process starts; the dead one's lease runs out, and its claim is taken over.
    clock.advance(121)
    restarted = make_sender(engine, slack_api, clock)
    report = restarted.drain()
    assert report.recovered == 1 and report.sent == 1
    assert len(posted(slack_api)) == 2
    with Session(engine) as session:
        rows = session.scalars(select(OutboxRow)).all()
    assert {r.status for r in rows} == {"sent"} and len({r.slack_ts for r in rows}) == 2


def test_nothing_is_planned_without_a_channel(engine: Engine, clock: Clock) -> None:
    _many_changes(engine, 1)
    assert (
        plan_alerts(
            engine,
            messages=BlockKitAlertMessages(),
            routing=Routing(default_channel=None),
            now=clock(),
        )
        == 0
    )
    assert plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock()) == 1


def test_failed_alerts_are_listed_with_the_reason(
    engine: Engine,
    db_url: str,
    slack_api: FakeSlackApi,
    clock: Clock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli.main import main

    _many_changes(engine, 1)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    slack_api.fail_next("chat.postMessage", error="not_in_channel")
    make_sender(engine, slack_api, clock).drain()
    assert main(["alerts", "list", "--failed", "--database-url", db_url]) == 0
    out = capsys.readouterr().out
    assert "failed" in out and "reason: chat_postMessage: not_in_channel" in out


def test_weekly_digest_job_is_scheduled_and_hands_the_digest_over(
    engine: Engine, db_url: str
) -> None:
    from apscheduler.triggers.cron import CronTrigger

    from bot.app import AppRoot
    from bot.cli.output.terminal_transport import TerminalTransport
    from bot.runtime import build_runtime
    from bot.services.digest.model import Digest
    from bot.settings import load_settings

    settings = load_settings(
        database_url=db_url, digest_day="fri", digest_time="16:30", digest_timezone="Europe/Berlin"
    )
    received: list[Digest] = []
    runtime = build_runtime(
        AppRoot(settings=settings, _engine=engine),
        transport=TerminalTransport(out=io.StringIO()),
        digest_sink=received.append,
    )
    job = runtime.scheduler.get_job("digest")
    assert job is not None and isinstance(job.trigger, CronTrigger)
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["day_of_week"], fields["hour"], fields["minute"]) == ("fri", "16", "30")
    assert str(job.trigger.timezone) == "Europe/Berlin"
    _many_changes(engine, 3, at=datetime.now(UTC) - timedelta(days=1))
    try:
        job.func()  # on PostgreSQL this also takes the leader lock
    finally:
        runtime.leader.release()
    assert len(received) == 1 and received[0].total_actions == 3


def test_replies_of_a_failed_parent_do_not_wait_forever(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock
) -> None:
    _many_changes(engine, 45)  # two messages: a parent and one continuation reply
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    slack_api.fail_next("chat.postMessage", error="msg_too_long")
    report = make_sender(engine, slack_api, clock).drain()
    assert (report.failed, report.sent) == (1, 1)
    (alone,) = posted(slack_api)
    assert alone.get("thread_ts") is None and alone["text"].endswith("(part 2 of 2)")


def test_concurrent_senders_post_each_alert_once(engine: Engine, slack_api: FakeSlackApi) -> None:
    import threading

    for country in ("CN", "RU", "IR", "KP", "BY", "SY"):
        _many_changes(engine, 1, country=country)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=datetime.now(UTC))
    transport = SlackTransport.create(token=slack_api.token, base_url=slack_api.base_url)
    senders = [
        OutboxSender(engine=engine, transport=transport, channel_interval=0.0) for _ in range(3)
    ]
    threads = [threading.Thread(target=s.drain) for s in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    texts = [m["text"] for m in posted(slack_api)]
    assert len(texts) == 6 and len(set(texts)) == 6


def test_transient_trouble_is_retried_for_hours_then_shown_and_requeued(
    engine: Engine,
    db_url: str,
    slack_api: FakeSlackApi,
    clock: Clock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli.main import main

    _many_changes(engine, 1)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    slack_api.fail_next("chat.postMessage", status=503, times=1000)
    sender = make_sender(engine, slack_api, clock)
    for _ in range(30):  # ten hours of retries with backoff capped at ten minutes
        sender.run_once()
        clock.advance(1200)
    with Session(engine) as session:
        assert session.scalars(select(OutboxRow.status)).one() == "pending"
    clock.advance(3 * 3600)
    sender.run_once()
    with Session(engine) as session:
        row = session.scalars(select(OutboxRow)).one()
    assert row.status == "failed" and row.last_error and row.last_error.startswith("gave up after")
    slack_api.reset()
    assert main(["alerts", "retry", "--database-url", db_url]) == 0
    assert "requeued 1 failed alert" in capsys.readouterr().out
    # The CLI requeued it as of the real time; a sender on the real clock sends it.
    transport = SlackTransport.create(token=slack_api.token, base_url=slack_api.base_url)
    OutboxSender(engine=engine, transport=transport).drain()
    assert len(posted(slack_api)) == 1

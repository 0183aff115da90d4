"""Exactly once when the outcome of a post is unknown, within Slack's history limits.

Tried, through the real sender, slack_sdk and the fake Slack Web API, on SQLite and
PostgreSQL: an answer lost after Slack stored the message, then a lookup refused
with `missing_scope` (the row fails saying "may have been posted"; `alerts retry`
looks it up before posting); a 429 and an error answer (definite: never looked up);
a sender killed between post and commit while a channel is busy with human
messages, under a fake Slack that allows one history read a minute and 15
messages a read. Every alert lands once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.services.alerts.planner import plan_alerts
from bot.services.alerts.sender import OutboxSender
from bot.services.lists_status import UNCHECKED
from bot.slack.blocks.alerts import BlockKitAlertMessages
from bot.slack.home import home_view, load_home
from bot.slack.transport import SlackTransport
from storage.models import OutboxRow
from tests.bot.services.alerts.test_delivery import (
    CHANNEL,
    ROUTING,
    Clock,
    KilledAfterPost,
    _many_changes,
    make_sender,
    posted,
)
from tests.fakes.slack_api import FakeSlackApi, PostedMessage, SimulatedCrash

HISTORY = ("conversations.history", "conversations.replies")


@pytest.fixture
def clock(slack_api: FakeSlackApi) -> Clock:
    test_clock = Clock()
    slack_api.use_clock(lambda: test_clock.now.timestamp())
    return test_clock


def history_calls(slack_api: FakeSlackApi) -> list[Any]:
    return [c for c in slack_api.calls() if c.method in HISTORY]


def lose_next_answer(slack_api: FakeSlackApi) -> None:
    """Slack stores the next message, but its answer never arrives."""

    def crash_once(message: PostedMessage) -> None:
        slack_api.on_post(None)
        raise SimulatedCrash

    slack_api.on_post(crash_once)


def outbox(engine: Engine) -> list[OutboxRow]:
    with Session(engine) as session:
        return list(session.scalars(select(OutboxRow).order_by(OutboxRow.id)))


def lost_answer_then_lookup_refused(engine: Engine, slack_api: FakeSlackApi, clock: Clock) -> None:
    _many_changes(engine, 1)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    lose_next_answer(slack_api)
    sender = make_sender(engine, slack_api, clock)
    assert sender.run_once().retried == 1
    slack_api.fail_next("conversations.history", error="missing_scope")
    clock.advance(5)
    assert sender.run_once().failed == 1
    assert len(posted(slack_api)) == 1


def test_requeued_alert_whose_outcome_was_unknown_is_looked_up_not_posted_twice(
    engine: Engine,
    db_url: str,
    slack_api: FakeSlackApi,
    clock: Clock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli.main import main

    lost_answer_then_lookup_refused(engine, slack_api, clock)
    # The operator adds the scope and requeues; the CLI requeues as of the real time.
    assert main(["alerts", "retry", "--database-url", db_url]) == 0
    assert "requeued 1 failed alert" in capsys.readouterr().out
    transport = SlackTransport.create(token=slack_api.token, base_url=slack_api.base_url)
    report = OutboxSender(engine=engine, transport=transport).drain()
    assert (report.recovered, report.sent) == (1, 0)
    assert len(posted(slack_api)) == 1
    (row,) = outbox(engine)
    assert row.status == "sent" and row.slack_ts == posted(slack_api)[0]["ts"]
    assert row.outcome_unknown_since is None


def test_a_failed_lookup_says_may_have_been_posted_in_the_cli_and_app_home(
    engine: Engine,
    db_url: str,
    slack_api: FakeSlackApi,
    clock: Clock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli.main import main

    lost_answer_then_lookup_refused(engine, slack_api, clock)
    assert main(["alerts", "list", "--failed", "--database-url", db_url]) == 0
    out = capsys.readouterr().out
    assert "may have been posted" in out and "conversations_history: missing_scope" in out
    with Session(engine) as session:
        view = home_view(load_home(session, now=clock()), now=clock(), lists=UNCHECKED)
    assert "may have been posted" in str(view["blocks"])
    # A definite failure does not say so.
    _many_changes(engine, 1, country="RU")
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    slack_api.fail_next("chat.postMessage", error="not_in_channel")
    make_sender(engine, slack_api, clock).drain()
    main(["alerts", "list", "--failed", "--database-url", db_url])
    lines = capsys.readouterr().out.splitlines()
    assert ["may have been posted" in line for line in lines] == [False, True]


def test_operator_who_checked_the_channel_can_post_without_a_lookup(
    engine: Engine,
    db_url: str,
    slack_api: FakeSlackApi,
    clock: Clock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli.main import main

    lost_answer_then_lookup_refused(engine, slack_api, clock)
    assert main(["alerts", "retry", "--checked-not-posted", "99", "--database-url", db_url]) == 1
    assert "only IDs of failed alerts" in capsys.readouterr().err
    slack_api.reset()  # the operator deleted the message that did land
    (row,) = outbox(engine)
    assert row.id is not None
    assert (
        main(["alerts", "retry", "--checked-not-posted", str(row.id), "--database-url", db_url])
        == 0
    )
    transport = SlackTransport.create(token=slack_api.token, base_url=slack_api.base_url)
    assert OutboxSender(engine=engine, transport=transport).drain().sent == 1
    assert history_calls(slack_api) == [] and len(posted(slack_api)) == 1


def test_definite_answers_are_never_looked_up(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock
) -> None:
    for country in ("CN", "RU", "IR", "KP"):
        _many_changes(engine, 1, country=country)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    slack_api.fail_next("chat.postMessage", status=429, retry_after=3)
    slack_api.fail_next("chat.postMessage", error="internal_error")  # an answer: not stored
    sender = make_sender(engine, slack_api, clock)
    for _ in range(30):
        sender.run_once()
        clock.advance(1)
    assert [r.status for r in outbox(engine)] == ["sent"] * 4
    texts = [m["text"] for m in posted(slack_api)]
    assert len(texts) == 4 == len(set(texts))
    assert history_calls(slack_api) == []


def test_recovery_under_one_history_read_a_minute_loses_and_doubles_nothing(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock
) -> None:
    """Slack's limit for apps distributed outside the Marketplace, on the test's clock."""
    slack_api.limit_history(per_minute=1, max_messages=15, clock=lambda: clock.now.timestamp())
    countries = ("CN", "RU", "IR", "KP", "BY", "SY", "CU", "VE")
    for country in countries:
        _many_changes(engine, 1, country=country)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())

    # 1. A sender is killed between Slack storing its first post and the commit.
    first = make_sender(engine, slack_api, clock, lookups_per_minute=1)
    real_post = first.transport.post

    def post_then_die(**kwargs: Any) -> str:
        real_post(**kwargs)
        raise KilledAfterPost

    first.transport.post = post_then_die  # type: ignore[method-assign]
    with pytest.raises(KilledAfterPost):
        first.run_once()
    # 2. People talk in the channel: the lost message is now behind 20 others.
    for i in range(20):
        clock.advance(1)
        slack_api_post(slack_api, f"human message {i}")
    # 3. The next sender meets a 429 on a post (definite) and loses one answer (unknown).
    slack_api.fail_next("chat.postMessage", status=429, retry_after=5)
    lose_next_answer(slack_api)
    sender = make_sender(engine, slack_api, clock, lookups_per_minute=1)
    waited = False
    for _ in range(900):
        sender.run_once()
        rows = outbox(engine)
        waited = waited or any("lookup budget" in (r.last_error or "") for r in rows)
        if all(r.status == "sent" for r in rows):
            break
        clock.advance(1)

    rows = outbox(engine)
    assert [r.status for r in rows] == ["sent"] * len(countries)  # 0 lost
    alerts = [m for m in posted(slack_api) if m.get("metadata")]
    keys = [m["metadata"]["event_payload"]["outbox_key"] for m in alerts]
    assert sorted(keys) == sorted(r.dedupe_key for r in rows)  # 0 doubled
    assert {r.slack_ts for r in rows} == {m["ts"] for m in alerts}
    calls = history_calls(slack_api)
    assert all(c.status == 200 for c in calls), "the budget kept every read within Slack's limit"
    assert all(int(c.params["limit"]) <= 15 and c.params.get("latest") for c in calls)
    # Two rows had an unknown outcome; the killed one needed two pages (21 messages).
    assert len(calls) == 3 and waited


def slack_api_post(slack_api: FakeSlackApi, text: str) -> None:
    from slack_sdk import WebClient

    WebClient(token=slack_api.token, base_url=slack_api.base_url).chat_postMessage(
        channel=CHANNEL, text=text
    )


def test_lookup_window_starts_at_the_claim_not_at_planning(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock
) -> None:
    _many_changes(engine, 1)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    clock.advance(3600)  # planned an hour before it was first tried
    lose_next_answer(slack_api)
    sender = make_sender(engine, slack_api, clock)
    claimed = clock()
    sender.run_once()
    clock.advance(5)
    assert sender.run_once().recovered == 1
    (call,) = history_calls(slack_api)
    oldest = float(call.params["oldest"])
    assert claimed.timestamp() - 60 <= oldest <= claimed.timestamp()
    assert float(call.params["latest"]) - oldest < timedelta(minutes=2).total_seconds()

"""Reminders before a scheduled change of the affiliates rule: 14 days, 1 day and on the day,
each one outbox row exactly once (SQLite and PostgreSQL), none for a change a later rule
cancelled; and the leader's scheduler job posting them to the fake Slack."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.routing import Routing
from bot.runtime import build_runtime
from bot.services.rule_reminders import REMINDER_SECONDS, plan_rule_reminders
from bot.settings import load_settings
from bot.slack.blocks.reminders import reminder_blocks
from bot.slack.transport import SlackTransport
from storage.models import OutboxRow
from tests.bot.rules.meaning_rows import insert_affiliates_history, insert_rule
from tests.fakes.slack_api import FakeSlackApi

ROUTING = Routing(default_channel="C0ALERTS", by_list={"EL": "C0ENTITY"})
NOW = datetime(2026, 10, 1, 12, tzinfo=UTC)


def reminders(engine: Engine) -> list[tuple[str, str]]:
    with Session(engine) as session:
        rows = session.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()
        return [(r.channel, r.text) for r in rows]


def plan(engine: Engine, day: str) -> int:
    return plan_rule_reminders(
        engine, render=reminder_blocks, routing=ROUTING, today=date.fromisoformat(day), now=NOW
    )


def test_each_reminder_is_planned_once(engine: Engine) -> None:
    insert_affiliates_history(engine)
    for day in ("2026-10-26", "2025-12-01", "2026-11-11"):
        assert plan(engine, day) == 0, day  # too early, past, after the change
    assert plan(engine, "2026-10-27") == 1
    assert plan(engine, "2026-10-27") == 0  # the same day again (a restart, another replica)
    assert plan(engine, "2026-10-30") == 0  # the 14-day reminder already went out
    assert plan(engine, "2026-11-09") == 1
    assert plan(engine, "2026-11-10") == 1
    assert plan(engine, "2026-11-10") == 0
    label = "Affiliates rule (owned 50 % or more by listed parties)"
    assert reminders(engine) == [
        ("C0ENTITY", f"In 14 days, on 2026-11-10: {label} is in force again (FR Doc 2025-19846)"),
        ("C0ENTITY", f"Tomorrow, on 2026-11-10: {label} is in force again (FR Doc 2025-19846)"),
        ("C0ENTITY", f"Today, on 2026-11-10: {label} is in force again (FR Doc 2025-19846)"),
    ]


def test_a_missed_day_sends_only_the_nearest_reminder(engine: Engine) -> None:
    insert_affiliates_history(engine)
    assert plan(engine, "2026-11-09") == 1  # down for the 14-day reminder: the 1-day one only
    ((_, text),) = reminders(engine)
    assert text.startswith("Tomorrow, on 2026-11-10")


def test_a_later_rule_cancels_the_reminder(engine: Engine) -> None:
    insert_affiliates_history(engine)
    insert_rule(
        engine,
        document="2026-90001",
        meaning=[
            {"subject": "affiliates", "action": "suspended", "from": "2026-11-10",
             "until": "2027-11-09"},
            {"subject": "affiliates", "action": "reimposed", "from": "2027-11-10"},
        ],
        published=date(2026, 10, 20),
    )  # fmt: skip
    assert plan(engine, "2026-10-27") == 0
    assert plan(engine, "2026-11-10") == 0
    assert plan(engine, "2027-10-27") == 1
    ((_, text),) = reminders(engine)
    assert text.endswith("is in force again (FR Doc 2026-90001)")


def test_no_channel_plans_nothing(engine: Engine) -> None:
    insert_affiliates_history(engine)
    nowhere = Routing(default_channel=None)
    assert (
        plan_rule_reminders(
            engine, render=reminder_blocks, routing=nowhere, today=date(2026, 10, 27), now=NOW
        )
        == 0
    )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_leaders_job_posts_the_reminder_to_slack(
    engine: Engine, db_url: str, slack_api: FakeSlackApi
) -> None:
    insert_affiliates_history(engine)
    settings = load_settings(
        database_url=db_url,
        alert_channel="C0ALERTS",
        slack_bot_token=SecretStr(slack_api.token),
        slack_api_url=slack_api.base_url,
    )
    # 2026-11-09 at 23:30 in Washington is already the 10th in UTC: the day is Washington's.
    clock = datetime(2026, 11, 10, 4, 30, tzinfo=UTC)
    root = AppRoot(settings=settings, _engine=engine, clock=lambda: clock)
    transport = SlackTransport.create(token=slack_api.token, base_url=slack_api.base_url)
    runtime = build_runtime(root, transport=transport)
    try:
        job = runtime.scheduler.get_job("rule-reminders")
        assert job is not None and job.trigger.interval.total_seconds() == REMINDER_SECONDS
        job.func()
        job.func()  # the next round: nothing new
        runtime.deliver()
        # The two rules' own alerts go out too (their rows were never planned here).
        posted = slack_api.messages("C0ALERTS")
        (message,) = [m for m in posted if m["text"].startswith("Tomorrow")]
        assert message["text"].startswith("Tomorrow, on 2026-11-10: Affiliates rule")
        assert ":calendar:" in str(message["blocks"])
    finally:
        runtime.leader.release()
        runtime.screening.close()

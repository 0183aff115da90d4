"""The alerts of reconciliation and of the eCFR, planned by the real planner and posted through
the real sender to the fake Slack Web API: a lag goes to the operations channel, its end
replies in its thread; an eCFR amendment no rule read explains opens a thread in the alert
channel; a new military-intelligence end user is a list action with its citation.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine

from bot.routing import Routing
from bot.services.alerts.planner import plan_alerts
from bot.services.reconciliation.service import ReconciliationService
from bot.slack.blocks.alerts import BlockKitAlertMessages
from tests.bot.reconcile_setup import (
    LATER,
    RULE_PARTIES,
    import_snapshot,
    poll_kind,
    record_rule_2023_03929,
    sample_with,
    serve_ecfr_text,
)
from tests.bot.services.alerts.test_delivery import Clock, clock, make_sender
from tests.conftest import fixture_bytes
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import ECFR_VERSIONS

ALERTS, OPS = "C0ALERTS", "C0OPSCHAN"
ROUTING = Routing(default_channel=ALERTS, ops_channel=OPS)
__all__ = ["clock"]  # the fixture, shared with test_delivery


def deliver(engine: Engine, slack_api: FakeSlackApi, clock: Clock) -> None:
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    make_sender(engine, slack_api, clock).drain()


def texts(message: dict[str, Any]) -> str:
    found: list[str] = []
    for block in message.get("blocks") or []:
        if "text" in block:
            found.append(str(block["text"].get("text", "")))
        found += [str(e.get("text", "")) for e in block.get("elements") or []]
    return " ".join(found)


def test_a_lag_alerts_operations_once_and_its_end_replies_in_its_thread(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock, source_server: SourceServer
) -> None:
    record_rule_2023_03929(engine, source_server)
    import_snapshot(engine, sample_with(()), moment=LATER)
    deliver(engine, slack_api, clock)  # the baselines and the rule's own alert
    before = len(slack_api.messages(ALERTS))
    assert slack_api.messages(OPS) == [] or all(
        "lags" not in texts(m) for m in slack_api.messages(OPS)
    )
    ReconciliationService(engine=engine, clock=lambda: LATER).run_once()
    deliver(engine, slack_api, clock)
    (lag,) = [m for m in slack_api.messages(OPS) if "lags" in texts(m)]
    assert lag["blocks"][0]["text"]["text"] == "⚠️ The CSL lags FR Doc 2023-03929"
    assert "The CSL lacks 13 of the 13 entries FR Doc 2023-03929 added, in force since " in (
        texts(lag)
    )
    assert len(slack_api.messages(ALERTS)) == before  # nothing for the compliance channel
    import_snapshot(engine, sample_with(RULE_PARTIES), moment=LATER + timedelta(days=1))
    ReconciliationService(engine=engine, clock=lambda: LATER + timedelta(days=1)).run_once()
    ReconciliationService(engine=engine, clock=lambda: LATER + timedelta(days=2)).run_once()
    deliver(engine, slack_api, clock)
    replies = [
        m
        for m in slack_api.messages(OPS)
        if m.get("thread_ts") == lag["ts"] and m["ts"] != lag["ts"]
    ]
    assert len(replies) == 1, [texts(r) for r in replies]
    assert "The CSL has caught up with FR Doc 2023-03929" in texts(replies[0])


def test_an_unexplained_ecfr_amendment_opens_a_thread_for_the_compliance_channel(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock, source_server: SourceServer
) -> None:
    answer = json.loads(fixture_bytes("ecfr", "versions-title-15-part-744.json"))
    source_server.route(ECFR_VERSIONS, body=json.dumps(answer).encode())
    assert poll_kind(engine, source_server, "ecfr", moment=LATER).ok
    extra = dict(answer["content_versions"][-1], amendment_date="2023-03-02", date="2023-03-02")
    answer["content_versions"].append(extra)
    source_server.route(ECFR_VERSIONS, body=json.dumps(answer).encode())
    assert poll_kind(engine, source_server, "ecfr", moment=LATER).ok
    assert poll_kind(engine, source_server, "ecfr", moment=LATER + timedelta(hours=7)).ok
    deliver(engine, slack_api, clock)
    (alert,) = [m for m in slack_api.messages(ALERTS) if "eCFR amendment" in texts(m)]
    assert alert["blocks"][0]["text"]["text"] == (
        "⚠️ eCFR amendment with no rule read: Supplement No. 4 to Part 744"
    )
    assert "*Effective date:* 2023-03-02" in texts(alert)
    assert "a rule may have been missed" in texts(alert)


def test_a_new_military_intelligence_end_user_is_alerted_with_its_citation(
    engine: Engine, slack_api: FakeSlackApi, clock: Clock, source_server: SourceServer
) -> None:
    serve_ecfr_text(source_server)
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER).ok
    deliver(engine, slack_api, clock)
    added = fixture_bytes("ecfr", "ECFR-title15-part744-excerpt.xml").replace(
        b"<CITA TYPE",
        b"<P>(xi) <I>Nicaragua.</I> Quillby Signals Directorate (QSD).</P>\n<CITA TYPE",
    )
    serve_ecfr_text(source_server, added)
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER + timedelta(days=1)).ok
    deliver(engine, slack_api, clock)
    alert = slack_api.messages(ALERTS)[-1]
    assert alert["blocks"][0]["text"]["text"] == (
        "Military-Intelligence End-User list: 1 entry added (Nicaragua 1)"
    )
    body = texts(alert)
    assert "Regulation text (eCFR) changed: 15 CFR 744.22(f)(2)" in body
    assert "Quillby Signals Directorate" in body and "15 CFR 744.22(f)(2)(xi)" in body

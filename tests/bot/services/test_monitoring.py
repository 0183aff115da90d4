"""Counterparty monitoring end to end: real watchers record a CSL snapshot or a rule,
the real planner and monitoring step fill the outbox, the real sender posts to the fake
Slack Web API. Tried: the same change polled again, a restarted service (fresh caches),
a cleared pair under a bookkeeping change, a content change and an expired clearance.
"""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from bot.services.alerts.planner import plan_alerts
from bot.services.monitoring.confirmed import confirmed_lines
from bot.services.monitoring.csv_rows import Columns
from bot.services.monitoring.decisions import StandingNotes, decide
from bot.services.monitoring.importer import import_watchlist
from bot.services.monitoring.reports import SlackReportUploader
from bot.services.monitoring.service import MonitoringService
from bot.services.screening import ScreeningService
from bot.slack.blocks.alerts import BlockKitAlertMessages
from bot.slack.blocks.monitoring import BlockKitHitMessages
from screening import Thresholds
from storage.models import WatchHitRow
from storage.watch_hits import NewDecision, record_decision
from tests.bot.services.alerts.test_delivery import (
    CHANNEL,
    ROUTING,
    Clock,
    make_sender,
    run_sources,
)
from tests.conftest import fixture_bytes
from tests.fakes.slack_api import FakeSlackApi
from tests.watchers.recorded import RecordedSites

WATCH_CHANNEL = "C0WATCH"
SAMPLE = fixture_bytes("csl", "consolidated-2019-sample.csv")


@pytest.fixture
def clock() -> Clock:
    return Clock()


def acme_row(*, address: str, policy: str, remarks: str) -> bytes:
    """One more Entity List row in the 2019 layout (28 columns, by header name)."""
    header = next(csv.reader([SAMPLE.split(b"\n", 1)[0].decode()]))
    values = dict.fromkeys(header, "")
    values.update(
        source="Entity List (EL) - Bureau of Industry and Security",
        name="Acme Robotics Trading Co., Ltd.",
        addresses=address,
        federal_register_notice="88 FR 1234",
        start_date="2023-01-05",
        license_requirement="For all items subject to the EAR.",
        license_policy=policy,
        remarks=remarks,
        alt_names="Acme Robotic Trading",
    )
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([values[h] for h in header])
    return out.getvalue().encode()


def monitoring(engine: Engine, clock: Clock, *, channel: str | None = None) -> MonitoringService:
    thresholds = Thresholds()
    return MonitoringService(
        engine=engine,
        screening=ScreeningService(engine=engine, thresholds=thresholds),
        routing=ROUTING,
        thresholds=thresholds,
        messages=BlockKitHitMessages(),
        watchlist_channel=channel,
        clock=clock,
    )


def add_watchlist(engine: Engine, csv_text: str, clock: Clock) -> None:
    import_watchlist(
        engine,
        io.BytesIO(csv_text.encode()),
        columns=Columns(name="name", id="id", country="country"),
        added_by="test",
        now=clock(),
    )


def csl_with_acme(
    *,
    address: str = "12 Harbour Road, Wan Chai, HK",
    policy: str = "Presumption of denial.",
    remarks: str = "",
) -> bytes:
    row = acme_row(address=address, policy=policy, remarks=remarks)
    return SAMPLE.rstrip(b"\n") + b"\n" + row


def deliver(
    engine: Engine, service: MonitoringService, slack_api: FakeSlackApi, clock: Clock
) -> None:
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    service.run_once()
    make_sender(engine, slack_api, clock).drain()


def counterparty_posts(slack_api: FakeSlackApi, channel: str = CHANNEL) -> list[dict[str, object]]:
    return [m for m in slack_api.messages(channel) if str(m["text"]).startswith("Counterparty ")]


def test_rule_adding_a_counterparty_alerts_once_in_the_rules_thread(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    sites.serve_documents("9999-10002")
    run_sources(engine, sites, "federal_register", "csl")
    add_watchlist(
        engine,
        "id,name,country\nC-123,Spacety Company Limited,LU\nC-7,Blue Harbor Foods,US\n",
        clock,
    )
    service = monitoring(engine, clock, channel=WATCH_CHANNEL)
    deliver(engine, service, slack_api, clock)
    assert counterparty_posts(slack_api) == []
    sites.serve_documents("2023-03929", "9999-10002")
    run_sources(engine, sites, "federal_register")
    deliver(engine, service, slack_api, clock)
    (hit,) = counterparty_posts(slack_api)
    parent = slack_api.messages(CHANNEL)[1]
    assert hit["thread_ts"] == parent["ts"]
    assert str(hit["text"]).startswith(
        "Counterparty Spacety Company Limited (id C-123) may be the newly listed Spacety Co., Ltd. "
        "(Entity List, FR Doc 2023-03929, effective 2023-02-24): "
    )
    buttons = [
        e["action_id"] for b in hit["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert buttons == ["watch_confirm", "watch_clear"]
    assert len(counterparty_posts(slack_api, WATCH_CHANNEL)) == 1
    # The next poll finds nothing new; a restarted service (no cache, same database) neither.
    run_sources(engine, sites, "federal_register")
    deliver(engine, service, slack_api, clock)
    deliver(engine, monitoring(engine, clock, channel=WATCH_CHANNEL), slack_api, clock)
    assert len(counterparty_posts(slack_api)) == 1
    assert len(counterparty_posts(slack_api, WATCH_CHANNEL)) == 1


def acme_listed_after_it_is_watched(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> MonitoringService:
    """ACME Robotics on the watchlist against the sample lists, then listed by a new CSL
    snapshot: one hit, alerted. Returns the monitoring service that alerted it."""
    run_sources(engine, sites, "csl")
    add_watchlist(engine, "id,name,country\nC-9,ACME Robotics Trading Limited,HK\n", clock)
    service = monitoring(engine, clock)
    deliver(engine, service, slack_api, clock)
    sites.serve_csl(csl_with_acme())
    run_sources(engine, sites, "csl")
    deliver(engine, service, slack_api, clock)
    return service


def _hit_ids(engine: Engine) -> list[int]:
    with Session(engine) as session:
        return [h for h in session.scalars(select(WatchHitRow.id).order_by(WatchHitRow.id)) if h]


def test_csl_snapshot_alerts_once_and_a_cleared_pair_stays_quiet_until_it_changes_or_expires(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    service = acme_listed_after_it_is_watched(engine, slack_api, sites, clock)
    (hit,) = counterparty_posts(slack_api)
    assert "may be the newly listed Acme Robotics Trading Co., Ltd. (Entity List" in str(
        hit["text"]
    )
    assert hit.get("thread_ts")  # in the thread of the CSL change's alert
    run_sources(engine, sites, "csl")
    deliver(engine, monitoring(engine, clock), slack_api, clock)
    assert len(counterparty_posts(slack_api)) == 1

    (hit_id,) = _hit_ids(engine)
    with Session(engine) as session, session.begin():
        record_decision(
            session,
            NewDecision(
                hit_id=hit_id,
                decision="clear",
                reason="different company, Kowloon",
                decided_by="U1",
                decided_at=clock(),
                expires_at=clock() + timedelta(days=30),
            ),
        )
    # A bookkeeping change (remarks) of the listed entry: the cleared pair stays quiet.
    sites.serve_csl(csl_with_acme(remarks="updated"))
    run_sources(engine, sites, "csl")
    deliver(engine, service, slack_api, clock)
    assert len(counterparty_posts(slack_api)) == 1
    # A new address: the content changed, the pair alerts again (once).
    sites.serve_csl(csl_with_acme(address="1 Other Street, Kowloon, HK", remarks="updated"))
    run_sources(engine, sites, "csl")
    deliver(engine, service, slack_api, clock)
    assert len(counterparty_posts(slack_api)) == 2

    hit_id = _hit_ids(engine)[-1]
    with Session(engine) as session, session.begin():
        record_decision(
            session,
            NewDecision(
                hit_id=hit_id,
                decision="clear",
                reason="still not them",
                decided_by="U1",
                decided_at=clock(),
                expires_at=clock() + timedelta(days=1),
            ),
        )
    sites.serve_csl(csl_with_acme(address="1 Other Street, Kowloon, HK", remarks="again"))
    run_sources(engine, sites, "csl")
    deliver(engine, service, slack_api, clock)
    assert len(counterparty_posts(slack_api)) == 2
    # Two days later the clearance has expired: the next change of the entry alerts again.
    clock.advance(2 * 86400)
    sites.serve_csl(csl_with_acme(address="1 Other Street, Kowloon, HK", remarks="third"))
    run_sources(engine, sites, "csl")
    deliver(engine, service, slack_api, clock)
    assert len(counterparty_posts(slack_api)) == 3
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(WatchHitRow)) == 3


def test_new_counterparty_is_screened_against_every_list(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    run_sources(engine, sites, "csl")
    service = monitoring(engine, clock, channel=WATCH_CHANNEL)
    deliver(engine, service, slack_api, clock)
    add_watchlist(engine, "id,name,country\nC-32,32 Group China Limited,HK\n", clock)
    deliver(engine, service, slack_api, clock)
    (hit,) = counterparty_posts(slack_api, WATCH_CHANNEL)
    assert "may be the listed 32 Group China Ltd. (Entity List" in str(hit["text"])
    deliver(engine, monitoring(engine, clock, channel=WATCH_CHANNEL), slack_api, clock)
    assert len(counterparty_posts(slack_api, WATCH_CHANNEL)) == 1


def test_a_confirmed_match_removed_from_its_list_is_no_longer_listed(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    service = acme_listed_after_it_is_watched(engine, slack_api, sites, clock)
    (hit_id,) = _hit_ids(engine)
    with Session(engine) as session, session.begin():
        record_decision(
            session,
            NewDecision(
                hit_id=hit_id,
                decision="confirm",
                reason="it is them",
                decided_by="U1",
                decided_at=clock(),
            ),
        )
    sites.serve_csl(SAMPLE)
    run_sources(engine, sites, "csl")
    deliver(engine, service, slack_api, clock)
    (gone,) = [m for m in slack_api.messages(CHANNEL) if "no longer listed" in str(m["text"])]
    assert str(gone["text"]).startswith(
        "Confirmed match no longer listed: Acme Robotics Trading Co., Ltd. was removed from the "
        "Entity List (counterparty ACME Robotics Trading Limited, id C-9)"
    )
    assert gone.get("thread_ts")
    with Session(engine) as session:
        (line,) = confirmed_lines(session)
    assert "no longer listed since" in line


def test_an_import_with_many_hits_posts_one_summary_with_a_csv(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    run_sources(engine, sites, "csl")
    service = monitoring(engine, clock, channel=WATCH_CHANNEL)
    service.uploader = SlackReportUploader(
        WebClient(token=slack_api.token, base_url=slack_api.base_url)
    )
    deliver(engine, service, slack_api, clock)
    names = [
        "32 Group China Limited",
        "3K Aviation Consulting & Logistics",
        "54th Research Institute China",
        "A. Leib Limited",
        "ACTeam Logistics Limited",
        "Gryphon Aerospace Inc",
        "Gulf Eagle Contracting",
        "Blue Harbor Foods",
    ]
    add_watchlist(
        engine,
        "id,name,country\n" + "".join(f"C-{i},{n},\n" for i, n in enumerate(names)),
        clock,
    )
    deliver(engine, service, slack_api, clock)
    service.after_send()
    (summary,) = slack_api.messages(WATCH_CHANNEL)
    assert str(summary["text"]).startswith("Watchlist screening: ")
    assert "possible matches among 8 counterparties" in str(summary["text"])
    (upload,) = slack_api.files
    assert upload.thread_ts == summary["ts"] and upload.channel == WATCH_CHANNEL
    table = list(csv.DictReader(io.StringIO(upload.content.decode("utf-8"))))
    assert len(table) >= 6
    assert "C-0" in {r["counterparty_id"] for r in table}
    assert "Blue Harbor Foods" not in {r["counterparty_name"] for r in table}
    # Planned and uploaded once, whatever runs again.
    deliver(engine, service, slack_api, clock)
    service.after_send()
    assert len(slack_api.messages(WATCH_CHANNEL)) == 1 and len(slack_api.files) == 1


def test_counterparties_added_before_any_list_wait_for_the_first_snapshot(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    service = monitoring(engine, clock, channel=WATCH_CHANNEL)
    add_watchlist(engine, "id,name,country\nC-32,32 Group China Limited,HK\n", clock)
    assert service.screen_unscreened() == (0, 0)  # no list loaded: no "no match" either
    run_sources(engine, sites, "csl")
    deliver(engine, service, slack_api, clock)
    (hit,) = counterparty_posts(slack_api, WATCH_CHANNEL)
    assert "may be the listed 32 Group China Ltd." in str(hit["text"])


def test_an_expired_clearance_alerts_once_more_without_waiting_for_a_change(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    run_sources(engine, sites, "csl")
    service = monitoring(engine, clock, channel=WATCH_CHANNEL)
    add_watchlist(engine, "id,name,country\nC-32,32 Group China Limited,HK\n", clock)
    deliver(engine, service, slack_api, clock)
    (hit_id,) = _hit_ids(engine)
    with Session(engine) as session, session.begin():
        record_decision(
            session,
            NewDecision(
                hit_id=hit_id,
                decision="clear",
                reason="a different group",
                decided_by="U1",
                decided_at=clock(),
                expires_at=clock() + timedelta(days=180),
            ),
        )
    clock.advance(179 * 86400)
    deliver(engine, service, slack_api, clock)
    assert len(counterparty_posts(slack_api, WATCH_CHANNEL)) == 1
    clock.advance(2 * 86400)
    deliver(engine, service, slack_api, clock)
    deliver(engine, monitoring(engine, clock, channel=WATCH_CHANNEL), slack_api, clock)
    posts = counterparty_posts(slack_api, WATCH_CHANNEL)
    assert len(posts) == 2
    assert "clearance expired" in json.dumps(posts[1]["blocks"])


def test_standing_notes_ask_only_about_decided_entries_and_see_a_new_decision(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    acme_listed_after_it_is_watched(engine, slack_api, sites, clock)
    (hit_id,) = _hit_ids(engine)
    with Session(engine) as session:
        acme_key = session.get_one(WatchHitRow, hit_id).entry_key
    notes = StandingNotes(engine, max_age=0.5)
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert notes([acme_key, "other-entry"]) == {}
        for _ in range(20):  # undecided entries: nothing more is asked within max_age
            assert notes([acme_key]) == {}
        assert len(statements) == 1
        # Decided in this process: the very next answer shows it.
        decide(
            engine, hit_id=hit_id, decision="confirm", reason="it is them", user_id="U1",
            now=clock(),
        )  # fmt: skip
        (line,) = notes([acme_key, "other-entry"])[acme_key]
        assert "ACME Robotics Trading Limited (id C-9) confirmed as a match by U1" in line
        # Decided elsewhere (another replica, straight into the database): seen after max_age.
        with Session(engine) as session, session.begin():
            record_decision(
                session,
                NewDecision(
                    hit_id=hit_id, decision="resolve", reason="closed", decided_by="U2",
                    decided_at=clock(),
                ),
            )  # fmt: skip
        time.sleep(0.6)
        (line,) = notes([acme_key])[acme_key]
        assert "resolved by U2" in line
    finally:
        event.remove(engine, "before_cursor_execute", seen)

"""Bad input on the Public Inspection desk: never a crash, never a silent drop.

Tried here: a filing with no raw text, a raw text that is a PDF, an HTML error page
served with 200, a 404, a 503 that clears, and DATES in a form nobody expects. Each filing is recorded,
logged with what and where, and alerted conservatively ("Part 744 rule: read it", or
"Effective date: see rule"); the other filings of the desk carry on.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.alerts.model import ChangeView
from bot.services.alerts.planner import plan_alerts
from bot.slack.blocks.alerts import BlockKitAlertMessages, render_action
from storage.models import SourceStateRow
from tests.conftest import fixture_bytes
from tests.fakes.source_replies import Reply, html_error_page, not_found, server_error
from tests.fakes.source_server import SourceServer
from tests.watchers.federal_register.part744_sites import Part744Sites
from tests.watchers.federal_register.test_part744_rules import (
    ROUTING,
    Clock,
    _block_text,
    outbox,
    rows,
    run,
)
from watchers.http import HttpFetcher

UNREADABLE = "9999-07420"  # a BIS rule whose title names no list: only its text could tell


@pytest.fixture
def sites(source_server: SourceServer) -> Part744Sites:
    return Part744Sites(server=source_server)


@pytest.fixture
def fetcher() -> HttpFetcher:
    # No reply here is slow on purpose: a read time-out only fires on a loaded machine
    # (a CI run logged "timed out" for a 404 the local server was still sending).
    return HttpFetcher(connect_timeout=5.0, read_timeout=10.0, retries=0, rate_limits={})


@pytest.mark.parametrize(
    ("case", "reply", "logged"),
    [
        ("no-raw-text", None, "fr.pi_no_raw_text"),
        (
            "pdf",
            Reply(body=b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", content_type="application/pdf"),
            "a PDF",
        ),
        ("html-200", html_error_page(), "HTML"),
        ("404", not_found(), "404"),
    ],
)
def test_an_unreadable_filing_is_alerted_as_read_it_and_the_desk_carries_on(
    engine: Engine,
    fetcher: HttpFetcher,
    sites: Part744Sites,
    caplog: pytest.LogCaptureFixture,
    case: str,
    reply: Reply | None,
    logged: str,
) -> None:
    # Filed at 12:45 UTC: past the grace period in which a missing text is awaited.
    clock = Clock(datetime(2025, 10, 17, 13, 30, tzinfo=UTC))
    sites.serve_desk(
        sites.filing(UNREADABLE, raw_text=reply is not None), sites.filing("2025-19001")
    )
    if reply is not None:
        sites.serve_raw_text(UNREADABLE, reply)
    with caplog.at_level(logging.INFO, logger="watchers.federal_register"):
        report = run(engine, fetcher, sites, "public_inspection", clock)
    assert report.ok, report.error
    filed = rows(engine, "public_inspection")
    assert set(filed) == {UNREADABLE, "2025-19001"}  # the good filing carried on
    after = filed[UNREADABLE].after or {}
    assert after["classification"] == "unreadable" and after["meaning"] == []
    assert after["read_problem"]
    assert filed[UNREADABLE].effective_date is None
    assert any(logged in r.getMessage() and UNREADABLE in r.getMessage() for r in caplog.records)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    (alert,) = [m for m in outbox(engine) if m.action_key == f"fr:{UNREADABLE}"]
    text = _block_text(alert)
    assert alert.text.startswith("Part 744 rule: read it")
    assert "read the rule itself" in text
    assert "*Effective date:* see rule (the filing's text could not be read)" in text


def test_dates_in_an_unexpected_form_give_see_rule_and_a_log_line(
    engine: Engine, fetcher: HttpFetcher, sites: Part744Sites, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock(datetime(2025, 9, 29, 13, tzinfo=UTC))
    sites.serve_desk(sites.filing("2025-19001"))
    raw = (
        b"15 CFR Parts 744\n\nExpansion of End-User Controls To Cover Affiliates of Certain "
        b"Listed Entities\n\nACTION: Interim final rule.\n\nSUMMARY: Affiliates owned 50 "
        b"percent or more by listed parties are covered (fixture).\n\nDATES: The rule takes "
        b"hold once the Secretary so decides.\n"
    )
    # The desk as it is, the raw text replaced.
    sites.serve_raw_text("2025-19001", Reply(body=raw, content_type="text/plain"))
    with caplog.at_level(logging.INFO, logger="watchers.federal_register"):
        assert run(engine, fetcher, sites, "public_inspection", clock).ok
    row = rows(engine, "public_inspection")["2025-19001"]
    after = row.after or {}
    assert after["effective"]["kind"] == "unknown" and row.effective_date is None
    assert after["classification"] == "meaning"
    assert any("fr.pi_dates_unexpected" in r.getMessage() for r in caplog.records)
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    (alert,) = [m for m in outbox(engine) if m.action_key == "fr:2025-19001"]
    assert "*Effective date:* see rule (its DATES text could not be read)" in _block_text(alert)


def test_a_raw_text_not_there_yet_is_awaited_then_read_and_never_dropped(
    engine: Engine, fetcher: HttpFetcher, sites: Part744Sites
) -> None:
    # 2025-19846 was filed at 13:45 UTC; its title names no list, only its text can tell.
    clock = Clock(datetime(2025, 11, 10, 13, 46, tzinfo=UTC))
    sites.serve_desk(sites.filing("2025-19846"), sites.filing("9999-07440"))
    sites.serve_raw_text("2025-19846", server_error(503))
    assert run(engine, fetcher, sites, "public_inspection", clock).ok
    assert set(rows(engine, "public_inspection")) == {"9999-07440"}  # the other carried on
    with Session(engine) as session:
        state = session.get(SourceStateRow, "public_inspection")
        assert state is not None and state.etag is None  # the next poll reads the desk again
    text = fixture_bytes("federal_register", "part744", "2025-19846.txt")
    sites.serve_raw_text("2025-19846", Reply(body=text, content_type="text/plain"))
    assert run(engine, fetcher, sites, "public_inspection", clock).ok
    row = rows(engine, "public_inspection")["2025-19846"]
    assert (row.after or {})["classification"] == "meaning"
    assert (row.after or {})["effective"]["kind"] == "on_filing"
    assert row.effective_date == date(2025, 11, 10)


def test_a_raw_text_still_missing_after_the_grace_period_is_alerted_as_read_it(
    engine: Engine, fetcher: HttpFetcher, sites: Part744Sites
) -> None:
    clock = Clock(datetime(2025, 11, 10, 13, 46, tzinfo=UTC))
    sites.serve_desk(sites.filing("2025-19846"))
    sites.serve_raw_text("2025-19846", server_error(503))
    assert run(engine, fetcher, sites, "public_inspection", clock).ok
    assert rows(engine, "public_inspection") == {}
    clock.now += timedelta(minutes=20)
    assert run(engine, fetcher, sites, "public_inspection", clock).ok
    after = rows(engine, "public_inspection")["2025-19846"].after or {}
    # Its title still tells what it is about; the dates are for the reader to check.
    assert after["read_problem"] and after["effective"]["kind"] == "unread"
    assert after["classification"] in ("meaning", "unreadable")


def test_the_thread_parent_takes_the_published_reading_over_an_unread_filing() -> None:
    def view(id_: int, kind: str, after: dict[str, object]) -> ChangeView:
        return ChangeView(
            id=id_,
            source="federal_register" if kind == "rule_published" else "public_inspection",
            kind=kind,
            list_code="EL",
            entry_key=None,
            entry_name=None,
            before=None,
            after=after,
            fields=None,
            document_number="2025-19846",
            effective_date=date(2025, 11, 10),
            detected_at=datetime(2025, 11, 12, tzinfo=UTC),
            summary=None,
            snapshot_id=None,
        )

    title = "One Year Suspension of Expansion of End-User Controls"
    filing = view(1, "public_inspection", {"title": title, "classification": "unreadable"})
    rule = view(
        2,
        "rule_published",
        {
            "title": title,
            "citation": "90 FR 50857",
            "classification": "meaning",
            "meaning": [
                {
                    "subject": "affiliates",
                    "action": "suspended",
                    "from": "2025-11-10",
                    "until": "2026-11-09",
                    "summary": "Suspends it.",
                }
            ],
        },
    )
    assert render_action([filing])[0].text.startswith("Part 744 rule: read it")
    parent = render_action([filing, rule])[0]
    assert parent.text.startswith("Part 744 rule published changes what a listing means")

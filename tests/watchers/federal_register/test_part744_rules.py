"""Rules selected by regulation (15 CFR part 744), classified, and alerted in their own form.

Real HTTP to a local Federal Register, the real watchers, real SQL, the real planner.
Fixtures: the reconstructed metadata of FR Docs 2025-19001 and 2025-19846 and a hand-made
part 744 rule that changes nothing about listed parties (fixtures/federal_register/part744).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.routing import Routing
from bot.services.alerts.planner import plan_alerts
from bot.services.digest.data import collect_digest
from bot.slack.blocks.alerts import BlockKitAlertMessages
from storage.models import ChangeRow, OutboxRow
from tests.fakes.source_replies import not_found
from tests.fakes.source_server import SourceServer
from tests.watchers.federal_register.part744_sites import DOCUMENTS, Part744Sites
from watchers.http import HttpFetcher
from watchers.registry import build_sources
from watchers.runner import PollReport, poll_all

CHANNEL = "C0ALERTS"
ROUTING = Routing(default_channel=CHANNEL)
AFFILIATES_IN_FORCE = [
    {
        "subject": "affiliates",
        "action": "in_force",
        "from": "2025-09-29",
        "until": None,
    },
    {"subject": "tgl", "action": "expires", "from": "2025-09-29", "until": "2025-11-28"},
]
AFFILIATES_SUSPENDED = [
    {"subject": "affiliates", "action": "suspended", "from": "2025-11-10", "until": "2026-11-09"},
    {"subject": "affiliates", "action": "reimposed", "from": "2026-11-10", "until": None},
]


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def sites(source_server: SourceServer) -> Part744Sites:
    return Part744Sites(server=source_server)


@pytest.fixture
def fetcher() -> HttpFetcher:
    # No reply here is slow on purpose: a read time-out only fires on a loaded machine
    # (a CI run logged "timed out" for a 404 the local server was still sending).
    return HttpFetcher(connect_timeout=5.0, read_timeout=10.0, retries=0, rate_limits={})


def run(
    engine: Engine, fetcher: HttpFetcher, sites: Part744Sites, name: str, clock: Clock
) -> PollReport:
    sources = build_sources(sites.config(), only=name)
    (report,) = poll_all(sources, engine=engine, fetcher=fetcher, clock=clock, down_after=3)
    return report


def rows(engine: Engine, kind: str) -> dict[str, ChangeRow]:
    with Session(engine) as session:
        found = session.scalars(select(ChangeRow).where(ChangeRow.kind == kind)).all()
        return {r.document_number or "": r for r in found}


def meanings(row: ChangeRow) -> list[dict[str, Any]]:
    assert row.after is not None
    return [{k: m[k] for k in ("subject", "action", "from", "until")} for m in row.after["meaning"]]


def outbox(engine: Engine) -> list[OutboxRow]:
    with Session(engine) as session:
        return list(session.scalars(select(OutboxRow).order_by(OutboxRow.id)))


def test_the_baseline_reads_two_years_of_part_744_rules_and_alerts_none(
    engine: Engine, fetcher: HttpFetcher, sites: Part744Sites
) -> None:
    sites.serve_documents("2025-19846", "9999-07440", "2025-19001")
    # A year after the rules: older than the 30-day entry window, within the history.
    report = run(
        engine, fetcher, sites, "federal_register", Clock(datetime(2026, 10, 1, tzinfo=UTC))
    )
    assert report.ok and report.result and report.result.status == "baseline"
    (first, *_) = sites.server.requests(DOCUMENTS)
    assert first.params["conditions[cfr][title]"] == ["15"]
    assert first.params["conditions[cfr][part]"] == ["744"]
    assert first.params["conditions[publication_date][gte]"] == ["2024-10-01"]
    assert "cfr_references" in first.params["fields[]"]
    baseline = rows(engine, "rule_baseline")
    assert set(baseline) == {"2025-19001", "2025-19846", "9999-07440"}
    assert (
        baseline["2025-19001"].after and baseline["2025-19001"].after["classification"] == "meaning"
    )
    assert meanings(baseline["2025-19001"]) == AFFILIATES_IN_FORCE
    assert meanings(baseline["2025-19846"]) == AFFILIATES_SUSPENDED
    other = baseline["9999-07440"].after or {}
    assert other["classification"] == "other" and other["meaning"] == []
    assert other["cfr_parts"] == [744, 762]
    # Every summary is one sentence of its own.
    assert all(m["summary"].endswith(".") for m in (baseline["2025-19846"].after or {})["meaning"])
    assert rows(engine, "rule_published") == {}
    plan_alerts(
        engine,
        messages=BlockKitAlertMessages(),
        routing=ROUTING,
        now=datetime(2026, 10, 1, tzinfo=UTC),
    )
    texts = [m.text for m in outbox(engine)]
    assert texts == ["entitywatch baseline recorded"]


def test_a_history_rule_whose_xml_fails_is_classified_from_its_metadata(
    engine: Engine, fetcher: HttpFetcher, sites: Part744Sites
) -> None:
    sites.serve_documents("2025-19846", "2025-19001")
    xml = "/documents/full_text/xml/2025/11/12/2025-19846.xml"
    sites.server.route_reply(xml, not_found())
    report = run(
        engine, fetcher, sites, "federal_register", Clock(datetime(2026, 10, 1, tzinfo=UTC))
    )
    assert report.ok, report.error
    assert sites.server.hits(xml) == 1
    # The API's own DATES field still gives the span.
    assert meanings(rows(engine, "rule_baseline")["2025-19846"]) == AFFILIATES_SUSPENDED


def test_a_suspension_is_alerted_in_its_own_form_and_a_passing_amendment_only_in_the_digest(
    engine: Engine, fetcher: HttpFetcher, sites: Part744Sites
) -> None:
    clock = Clock(datetime(2025, 11, 12, 10, tzinfo=UTC))
    sites.serve_documents("2025-19001")
    assert run(engine, fetcher, sites, "federal_register", clock).ok  # baseline
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    sites.serve_documents("2025-19846", "9999-07440", "2025-19001")
    report = run(engine, fetcher, sites, "federal_register", clock)
    assert report.ok and report.result and report.result.status == "changed"
    published = rows(engine, "rule_published")
    assert meanings(published["2025-19846"]) == AFFILIATES_SUSPENDED
    assert published["2025-19846"].effective_date == date(2025, 11, 10)
    assert (published["9999-07440"].after or {})["classification"] == "other"
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    alerts = [m for m in outbox(engine) if m.action_key.startswith("fr:")]
    assert [m.action_key for m in alerts] == ["fr:2025-19846"]  # no alert for 9999-07440
    (alert,) = alerts
    text = _block_text(alert)
    assert "changes what a listing means" in text
    assert "suspended from 2025-11-10 until 2026-11-09" in text
    assert "reimposed from 2026-11-10" in text
    assert "*End dates:*" in text and "2026-11-09" in text
    assert "90 FR 50857" in text and "*Effective date:* 2025-11-10" in text
    # The passing amendment is a digest line, not an alert.
    with Session(engine) as session:
        digest = collect_digest(session, since=clock() - timedelta(days=1), until=clock())
    assert {r.document_number for r in digest.rules} == {"2025-19846", "9999-07440"}


def test_public_inspection_reads_the_raw_text_says_effective_on_filing_and_threads_publication(
    engine: Engine, fetcher: HttpFetcher, sites: Part744Sites
) -> None:
    clock = Clock(datetime(2025, 9, 29, 12, 46, tzinfo=UTC))
    sites.serve_documents("9999-07440")
    assert run(engine, fetcher, sites, "federal_register", clock).ok  # baseline
    sites.serve_desk(sites.filing("2025-19001"), sites.filing("9999-07420"))
    report = run(engine, fetcher, sites, "public_inspection", clock)
    assert report.ok, report.error
    filed = rows(engine, "public_inspection")
    assert set(filed) == {"2025-19001"}  # 9999-07420 amends part 742 only
    row = filed["2025-19001"]
    assert row.effective_date == date(2025, 9, 29)
    after = row.after or {}
    assert after["effective"]["kind"] == "on_filing"
    assert after["effective"]["filed"] == "2025-09-29 08:45 ET"
    assert after["cfr_parts"] == [732, 734, 736, 744, 748]
    assert meanings(row) == AFFILIATES_IN_FORCE
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    # The part 742 filing's raw text is not fetched again on the next changed desk.
    sites.serve_desk(
        sites.filing("2025-19001"), sites.filing("9999-07420"), sites.filing("9999-07440")
    )
    assert run(engine, fetcher, sites, "public_inspection", clock).ok
    assert sites.server.hits("/raw/9999-07420.txt") == 1
    assert sites.server.hits("/raw/2025-19001.txt") == 1
    assert (rows(engine, "public_inspection")["9999-07440"].after or {})[
        "classification"
    ] == "other"
    sites.serve_documents("2025-19001", "9999-07440")
    assert run(engine, fetcher, sites, "federal_register", clock).ok
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    thread = [m for m in outbox(engine) if m.action_key == "fr:2025-19001"]
    assert [m.role for m in thread] == ["parent", "reply"]
    parent = _block_text(thread[0])
    assert "Part 744 rule on public inspection changes what a listing means" in parent
    assert "*Effective date:* 2025-09-29, effective on filing (2025-09-29 08:45 ET)" in parent
    assert (
        "TGL" not in parent and "Temporary general license (expires) expires 2025-11-28" in parent
    )
    assert "Published in the Federal Register" in _block_text(thread[1])
    assert not [m for m in outbox(engine) if m.action_key == "fr:9999-07440"]


def test_a_part_744_rule_without_xml_is_alerted_as_read_it_and_odd_cfr_references_are_skipped(
    engine: Engine, fetcher: HttpFetcher, sites: Part744Sites
) -> None:
    clock = Clock(datetime(2025, 10, 20, 15, tzinfo=UTC))
    sites.serve_documents("2025-19001")
    assert run(engine, fetcher, sites, "federal_register", clock).ok  # baseline
    odd = [{"title": "fifteen", "part": 744}, "744", {"title": 15}, {"title": 15, "part": "744"}]
    sites.serve_documents(
        "9999-07440",
        "2025-19001",
        overrides={"9999-07440": {"full_text_xml_url": None, "cfr_references": odd}},
    )
    report = run(engine, fetcher, sites, "federal_register", clock)
    assert report.ok, report.error
    row = rows(engine, "rule_published")["9999-07440"]
    after = row.after or {}
    assert after["cfr_parts"] == [744]  # the one well-formed reference
    assert after["classification"] == "unreadable"
    plan_alerts(engine, messages=BlockKitAlertMessages(), routing=ROUTING, now=clock())
    (alert,) = [m for m in outbox(engine) if m.action_key == "fr:9999-07440"]
    assert alert.text.startswith("Part 744 rule: read it (published)")
    assert "read the rule itself" in _block_text(alert)


def _block_text(message: OutboxRow) -> str:
    parts: list[str] = []
    for block in message.blocks or []:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(str(text.get("text", "")))
        for element in block.get("elements", []):
            parts.append(str(element.get("text", "")))
    return "\n".join(parts)

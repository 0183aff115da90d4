"""Watchers end to end: real HTTP to a local server, real SQL, the real runner.

Misbehaviour tried here: 404, 500, 429 with Retry-After, an answer slower than the
read timeout, an HTML error page with status 200, truncated XML and JSON, a body
cut off mid-transfer. Each must fail only its own source, leave stored list state
exactly as it was, and be recovered from on the next good poll.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.models import ChangeRow, ListEntryRow, SourceStateRow
from tests.conftest import fixture_bytes
from tests.fakes.source_replies import Reply, html_error_page, not_found, rate_limited, server_error
from tests.storage.helpers import dump_state, rewrite_csv
from tests.watchers.recorded import CSL, DOCUMENTS, FEED, PUBLIC_INSPECTION, RecordedSites
from watchers.http import HttpFetcher
from watchers.registry import build_sources
from watchers.runner import PollReport, poll_all, poll_source
from watchers.source import Source

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def fetcher(sleeps: list[float]) -> HttpFetcher:
    return HttpFetcher(
        connect_timeout=2.0, read_timeout=0.5, retries=2, backoff=0.01, sleep=sleeps.append
    )


def poll(
    engine: Engine, fetcher: HttpFetcher, sources: list[Source], clock: Clock
) -> dict[str, PollReport]:
    reports = poll_all(sources, engine=engine, fetcher=fetcher, clock=clock, down_after=3)
    return {r.source: r for r in reports}


def kinds(engine: Engine, source: str | None = None) -> list[str]:
    with Session(engine) as session:
        stmt = select(ChangeRow.kind).order_by(ChangeRow.id)
        if source:
            stmt = stmt.where(ChangeRow.source == source)
        return list(session.scalars(stmt))


def test_first_poll_is_a_baseline_and_the_second_is_all_304(
    engine: Engine, fetcher: HttpFetcher, sites: RecordedSites
) -> None:
    sources = build_sources(sites.config())
    clock = Clock()
    first = poll(engine, fetcher, sources, clock)
    assert {n: r.ok for n, r in first.items()} == {s.name: True for s in sources}
    assert first["csl"].result and first["csl"].result.status == "baseline"
    assert (
        first["federal_register"].result and first["federal_register"].result.status == "baseline"
    )
    # Public inspection has no silent baseline: today's filing is news.
    assert kinds(engine, "public_inspection") == ["public_inspection"]
    before = dump_state(engine)
    second = poll(engine, fetcher, sources, clock)
    assert {r.result.status for r in second.values() if r.result} == {"not_modified"}
    assert dump_state(engine) == before


def test_new_rule_after_baseline_is_recorded_once_per_entry(
    engine: Engine, fetcher: HttpFetcher, sites: RecordedSites
) -> None:
    (fr,) = build_sources(sites.config(), only="federal_register")
    clock = Clock()
    sites.serve_documents("9999-10002")  # baseline sees only an older document
    poll(engine, fetcher, [fr], clock)
    sites.serve_documents("2023-03929", "9999-10002")
    report = poll(engine, fetcher, [fr], clock)["federal_register"]
    assert report.ok and report.result and report.result.status == "changed"
    with Session(engine) as session:
        rows = session.scalars(
            select(ChangeRow).where(ChangeRow.document_number == "2023-03929")
        ).all()
    assert [r.kind for r in rows].count("rule_published") == 1
    added = [r for r in rows if r.kind == "added"]
    assert len(added) == 13
    assert all(r.effective_date and r.effective_date.isoformat() == "2023-02-24" for r in added)
    assert {r.after["fr_citations"][0] for r in added if r.after} == {"88 FR 12170"}
    before = dump_state(engine)
    poll(engine, fetcher, [fr], clock)
    poll(engine, fetcher, [fr], clock)
    assert dump_state(engine) == before


def test_public_inspection_then_publication_share_the_document_number(
    engine: Engine, fetcher: HttpFetcher, sites: RecordedSites
) -> None:
    fr, pi = (
        build_sources(sites.config(), only=n)[0] for n in ("federal_register", "public_inspection")
    )
    clock = Clock()
    sites.serve_documents("9999-10002")
    poll(engine, fetcher, [fr], clock)  # baseline
    sites.serve_public_inspection(number="2023-03929")
    poll(engine, fetcher, [pi], clock)
    sites.serve_documents("2023-03929", "9999-10002")
    poll(engine, fetcher, [fr], clock)
    with Session(engine) as session:
        found = session.scalars(
            select(ChangeRow.kind)
            .where(ChangeRow.document_number == "2023-03929")
            .order_by(ChangeRow.id)
        ).all()
    assert found[:2] == ["public_inspection", "rule_published"]


def test_press_items_after_the_baseline(
    engine: Engine, fetcher: HttpFetcher, sites: RecordedSites
) -> None:
    (press,) = build_sources(sites.config(), only="press")
    clock = Clock()
    sites.serve_feed(
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"
    )
    poll(engine, fetcher, [press], clock)
    sites.serve_feed()
    poll(engine, fetcher, [press], clock)
    with Session(engine) as session:
        rows = session.scalars(
            select(ChangeRow).where(ChangeRow.source == press.name).order_by(ChangeRow.id)
        ).all()
    by_kind = {r.kind: r for r in rows}
    assert sorted(r.kind for r in rows) == ["announcement", "baseline", "press_item", "press_item"]
    seed = by_kind["announcement"].after
    assert seed and seed["lists"] == ["EL"] and seed["action"] == "add" and seed["count"] == 28
    assert seed["countries"] == ["CN"]
    poll(engine, fetcher, [press], clock)
    assert len(kinds(engine, press.name)) == 4


TRUNCATED_XML = fixture_bytes("federal_register", "2023-03929.xml")[:20000]

# (route, reply that breaks it, source that must fail)
MISBEHAVIOUR = [
    ("404", CSL, not_found(), "csl"),
    ("500", DOCUMENTS, server_error(500), "federal_register"),
    ("429", PUBLIC_INSPECTION, rate_limited(retry_after=3600), "public_inspection"),
    ("slow", CSL, Reply(body=b"source,name\n", content_type="text/csv", delay=2.0), "csl"),
    ("html-200", DOCUMENTS, html_error_page(), "federal_register"),
    ("html-feed", FEED, html_error_page(), "press"),
    ("truncated-json", PUBLIC_INSPECTION, Reply(body=b'{"count": 3, "results": [{"doc', content_type="application/json"), "public_inspection"),
    ("truncated-xml", "/documents/full_text/xml/2023/02/27/2023-03929.xml", Reply(body=TRUNCATED_XML, content_type="text/xml"), "federal_register"),
    ("cut-off-body", CSL, Reply(body=fixture_bytes("csl", "consolidated-2019-sample.csv"), content_type="text/csv", truncate="connection"), "csl"),
    ("truncated-csv", CSL, Reply(body=fixture_bytes("csl", "consolidated-2019-sample.csv")[:30000], content_type="text/csv"), "csl"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "path", "reply", "failing"), MISBEHAVIOUR, ids=[m[0] for m in MISBEHAVIOUR]
)
def test_misbehaving_source_fails_alone_and_leaves_state_untouched(
    engine: Engine,
    fetcher: HttpFetcher,
    sites: RecordedSites,
    label: str,
    path: str,
    reply: Reply,
    failing: str,
) -> None:
    sources = build_sources(sites.config())
    clock = Clock()
    sites.serve_documents("9999-10002")
    poll(engine, fetcher, sources, clock)  # baselines
    # Fresh content everywhere, so that every healthy source has something to do.
    sites.serve_documents("2023-03929", "9999-10002")
    sites.serve_csl(
        fixture_bytes("csl", "consolidated-2019-sample.csv").replace(b"BURKAN", b"BURKAN NEW")
    )
    sites.server.route_reply(path, reply)
    before = dump_state(engine)
    reports = poll(engine, fetcher, sources, clock)
    failed = {n for n, r in reports.items() if not r.ok}
    assert {n.split(":")[0] for n in failed} == {failing}
    assert all(r.ok for n, r in reports.items() if n not in failed)
    after = dump_state(engine)
    untouched = [s.name for s in sources if s.name in failed]
    for table in ("list_entry", "change", "snapshot"):
        assert _rows_of(after[table], untouched) == _rows_of(before[table], untouched), table
    with Session(engine) as session:
        state = session.get(SourceStateRow, next(iter(failed)))
        assert state and state.consecutive_failures == 1 and state.last_error
    # The next good poll recovers.
    sites.serve_everything()
    sites.serve_documents("2023-03929", "9999-10002")
    assert all(r.ok for r in poll(engine, fetcher, sources, clock).values())


def _rows_of(rows: list[tuple[object, ...]], sources: list[str]) -> list[tuple[object, ...]]:
    names = {s.split(":")[0] for s in sources} | set(sources)
    source_names = {"federal_register": {"federal_register"}, "csl": {"csl"}}
    wanted = set().union(*(source_names.get(n, {n}) for n in names))
    return [r for r in rows if any(isinstance(v, str) and v in wanted for v in r[:5])]


def test_outage_is_reported_once_and_recovery_once(
    engine: Engine, fetcher: HttpFetcher, sites: RecordedSites
) -> None:
    (csl,) = build_sources(sites.config(), only="csl")
    clock = Clock()
    poll(engine, fetcher, [csl], clock)
    sites.server.route_reply(CSL, server_error(503))
    for _ in range(6):
        report = poll_source(csl, engine=engine, fetcher=fetcher, now=clock(), down_after=3)
        assert not report.ok
    assert kinds(engine, "csl").count("source_down") == 1
    sites.serve_csl()
    for _ in range(2):
        assert poll_source(csl, engine=engine, fetcher=fetcher, now=clock(), down_after=3).ok
    assert kinds(engine, "csl").count("source_recovered") == 1
    with Session(engine) as session:
        state = session.get(SourceStateRow, "csl")
        assert state and not state.down and state.consecutive_failures == 0


def test_retry_after_is_honoured(
    engine: Engine, fetcher: HttpFetcher, sites: RecordedSites, sleeps: list[float]
) -> None:
    (pi,) = build_sources(sites.config(), only="public_inspection")
    good = sites.json_reply(sites.public_inspection_payload())
    sites.server.route_sequence(PUBLIC_INSPECTION, [rate_limited(retry_after=2), good])
    fetcher.max_backoff = 5
    report = poll_source(pi, engine=engine, fetcher=fetcher, now=T0, down_after=3)
    assert report.ok
    assert sleeps == [2.0]


def test_csl_catching_up_with_a_rule_joins_its_document(
    engine: Engine, fetcher: HttpFetcher, sites: RecordedSites
) -> None:
    fr, csl = (build_sources(sites.config(), only=n)[0] for n in ("federal_register", "csl"))
    clock = Clock()
    sites.serve_documents("9999-10002")
    poll(engine, fetcher, [fr, csl], clock)  # baselines
    sites.serve_documents("2023-03929", "9999-10002")
    poll(engine, fetcher, [fr], clock)

    def add_aook(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        el = next(r for r in rows if r["source"].startswith("Entity List"))
        return [*rows, dict(el, name="AOOK Technology Ltd.", alt_names="", addresses="Beijing, CN")]

    sites.serve_csl(rewrite_csv(fixture_bytes("csl", "consolidated-2019-sample.csv"), add_aook))
    poll(engine, fetcher, [csl], clock)
    with Session(engine) as session:
        added = session.scalars(
            select(ChangeRow).where(ChangeRow.source == "csl", ChangeRow.kind == "added")
        ).one()
    assert added.entry_name == "AOOK Technology Ltd." and added.document_number == "2023-03929"


def test_federal_register_follows_next_page_url_until_a_known_rule(
    engine: Engine, fetcher: HttpFetcher, sites: RecordedSites
) -> None:
    (fr,) = build_sources(sites.config(), only="federal_register")
    clock = Clock()
    sites.serve_documents("9999-10002")
    poll(engine, fetcher, [fr], clock)  # baseline knows 9999-10002
    first = sites.documents_payload("2023-03929")
    second = sites.documents_payload("2019-22210", "9999-10002")
    second["results"][0]["full_text_xml_url"] = None  # a rule whose XML is not out yet
    first["total_pages"] = second["total_pages"] = 2
    first["next_page_url"] = sites.server.url(DOCUMENTS + "?page=2")
    sites.server.route_reply(DOCUMENTS, sites.json_reply(first))
    sites.server.route_reply(DOCUMENTS + "?page=2", sites.json_reply(second))
    assert poll(engine, fetcher, [fr], clock)["federal_register"].ok
    with Session(engine) as session:
        published = session.scalars(
            select(ChangeRow.document_number).where(ChangeRow.kind == "rule_published")
        ).all()
    # 2019-22210 is only on page 2: the watcher followed next_page_url to find it.
    assert sorted(published) == ["2019-22210", "2023-03929"]


def test_a_rule_the_parser_cannot_read_is_announced_and_does_not_block_the_source(
    engine: Engine, fetcher: HttpFetcher, sites: RecordedSites
) -> None:
    (fr,) = build_sources(sites.config(), only="federal_register")
    clock = Clock()
    sites.serve_documents("9999-10002")
    poll(engine, fetcher, [fr], clock)  # baseline
    # A rule whose XML has no table and no amendatory text we understand.
    unreadable = b"<RULE><PREAMB><SUBJECT>Technical corrections</SUBJECT></PREAMB></RULE>"
    sites.server.route(
        "/documents/full_text/xml/2023/02/27/2023-03929.xml",
        body=unreadable,
        content_type="text/xml",
    )
    sites.serve_documents("2023-03929", "9999-10002")
    report = poll(engine, fetcher, [fr], clock)["federal_register"]
    assert report.ok
    with Session(engine) as session:
        rule = session.scalars(select(ChangeRow).where(ChangeRow.kind == "rule_published")).one()
    assert rule.document_number == "2023-03929" and rule.after and rule.after["parse_error"]
    assert "entries could not be read" in (rule.summary or "")


def test_an_entity_under_several_destinations_is_one_entry_with_all_countries(
    engine: Engine, fetcher: HttpFetcher, sites: RecordedSites
) -> None:
    (fr,) = build_sources(sites.config(), only="federal_register")
    clock = Clock()
    sites.serve_documents("9999-10002")
    poll(engine, fetcher, [fr], clock)
    sites.serve_documents("2023-03929", "9999-10002")
    poll(engine, fetcher, [fr], clock)
    with Session(engine) as session:
        head = session.scalars(
            select(ListEntryRow).where(ListEntryRow.name == "China HEAD Aerospace Technology Co.")
        ).one()
    assert head.countries and {"CN", "FR"} <= set(head.countries)

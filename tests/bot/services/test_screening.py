"""The screening index follows the stored lists, fed by the real CSL importer and FR watcher.

The Federal Register rule 2023-03929 (which adds AOOK Technology Ltd.) is served
by the local source server and recorded by the real watcher; the 2019 CSL sample
does not know AOOK until a later snapshot adds it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session

from bot.services.screening import ScreeningService
from screening import Thresholds
from storage.models import ScreeningAuditRow
from tests.bot.lists_ages import import_current_sample
from tests.conftest import fixture_bytes
from tests.fakes.source_server import SourceServer
from tests.storage.helpers import rewrite_csv
from tests.watchers.recorded import RecordedSites
from watchers.csl.importer import ImportOutcome, import_csl
from watchers.http import HttpFetcher
from watchers.registry import build_sources
from watchers.runner import poll_all

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
AOOK = "AOOK Technology"


def import_sample(engine: Engine, *, add_aook: bool = False, at: datetime = T0) -> ImportOutcome:
    def with_aook(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        el = next(r for r in rows if r["source"].startswith("Entity List"))
        return [*rows, dict(el, name="AOOK Technology Ltd.", alt_names="", addresses="Beijing, CN")]

    data = fixture_bytes("csl", "consolidated-2019-sample.csv")
    if add_aook:
        data = rewrite_csv(data, with_aook)
    return import_csl(engine, data, now=at, origin="test", max_removed_share=0.1)


def record_rule_2023_03929(engine: Engine, server: SourceServer) -> None:
    """Baseline the FR watcher on an older rule, then let it find 2023-03929."""
    sites = RecordedSites(server=server)
    sites.serve_rule_xml()
    (fr,) = build_sources(sites.config(), only="federal_register")
    fetcher = HttpFetcher(connect_timeout=2.0, read_timeout=2.0, retries=0, backoff=0.0)
    for documents, minutes in ((("9999-10002",), 1), (("2023-03929", "9999-10002"), 2)):
        sites.serve_documents(*documents)
        (report,) = poll_all([fr], engine=engine, fetcher=fetcher, clock=at(minutes), down_after=3)
        assert report.ok, report.error


def at(minutes: int) -> Callable[[], datetime]:
    moment = T0 + timedelta(minutes=minutes)
    return lambda: moment


def aook_hits(service: ScreeningService) -> list[tuple[str, str, str]]:
    outcome = service.screen(AOOK, origin="cli", user_name="tester")
    return [
        (r.entry.name, r.entry.source, r.band)
        for r in outcome.results
        if "aook" in r.entry.name.lower()
    ]


def test_index_follows_the_lists_from_rule_to_csl(
    engine: Engine, source_server: SourceServer
) -> None:
    first = import_sample(engine)
    service = ScreeningService(engine=engine, thresholds=Thresholds())
    assert len(service.index) == 115  # built from storage on first use
    assert aook_hits(service) == []
    assert service.refresh() is False

    record_rule_2023_03929(engine, source_server)
    assert service.refresh() is True
    assert aook_hits(service) == [("AOOK Technology Ltd.", "FR 2023-03929", "match")]
    assert service.refresh() is False

    second = import_sample(engine, add_aook=True, at=T0 + timedelta(hours=1))
    assert second.lists["EL"].added == 1
    assert service.refresh() is True
    # The CSL row replaces the rule's row: one AOOK, labelled with the CSL.
    assert aook_hits(service) == [("AOOK Technology Ltd.", "CSL", "match")]
    assert service.refresh() is False

    with Session(engine) as session:
        audits = list(session.scalars(select(ScreeningAuditRow).order_by(ScreeningAuditRow.id)))
    assert [a.list_versions and a.list_versions["csl"] for a in audits] == [
        first.content_hash,
        first.content_hash,
        second.content_hash,
    ]
    assert [(a.origin, a.user_name, a.query, a.result_count > 0) for a in audits] == [
        ("cli", "tester", AOOK, False),
        ("cli", "tester", AOOK, True),
        ("cli", "tester", AOOK, True),
    ]
    assert audits[1].list_versions and audits[1].list_versions["federal_register_change"]
    # Every answer is dated with the newest rule whose entries were read.
    assert audits[1].list_versions["lists"]["fr_newest"] == {
        "document_number": "2023-03929",
        "publication_date": "2023-02-27",
        "citation": "88 FR 12170",
    }
    assert [a.lists_state for a in audits] == ["stale"] * 3  # the 2019 sample is old


def test_answers_turn_to_cannot_clear_when_the_clock_passes_max_age(engine: Engine) -> None:
    import_current_sample(engine, at=T0)
    moments = iter([T0 + timedelta(days=2), T0 + timedelta(days=3, minutes=1)])
    now = next(moments)
    service = ScreeningService(
        engine=engine, thresholds=Thresholds(), clock=lambda: now, max_age=timedelta(days=3)
    )
    fresh = service.screen("Acme Widgets", origin="cli")
    assert (fresh.verdict, fresh.lists.state, fresh.lists.reason) == ("no match", "fresh", None)
    now = next(moments)
    stale = service.screen("Acme Widgets", origin="cli")
    assert (stale.verdict, stale.lists.state) == ("cannot clear", "stale")
    assert stale.lists.reason == "lists are 3 days old: last refresh 2026-11-02"
    assert stale.lists.csl_as_of == date(2026, 10, 23)  # the sample's newest entry, moved


@pytest.mark.parametrize("query", ["", "   ", "Co., Ltd.", "x" * 501])
def test_refused_query_is_audited_with_its_error(engine: Engine, query: str) -> None:
    import_sample(engine)
    service = ScreeningService(engine=engine, thresholds=Thresholds())
    outcome = service.screen(query, origin="cli")
    assert outcome.error and outcome.results == [] and outcome.top_band == "error"
    with Session(engine) as session:
        row = session.scalars(select(ScreeningAuditRow)).one()
    assert (row.query, row.error, row.top_band) == (query, outcome.error, "error")


ADDRESS_ONLY = "Unit 12, 9/F Meadowgate Tower, 41 Halberd Road, Kwai Chung, Hong Kong"


def test_addresses_from_storage_are_screened(engine: Engine) -> None:
    def with_address_only(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        el = next(r for r in rows if r["source"].startswith("Entity List"))
        address_row = dict(el, name=ADDRESS_ONLY, type="address", alt_names="", addresses="")
        return [*rows, address_row]

    data = rewrite_csv(fixture_bytes("csl", "consolidated-2019-sample.csv"), with_address_only)
    import_csl(engine, data, now=T0, origin="test", max_removed_share=0.1)
    service = ScreeningService(engine=engine, thresholds=Thresholds())
    # The address-only entry, typed as a clerk would: abbreviated, in another order.
    outcome = service.search("Unit 12, 9/F, Meadowgate Tower, 41 Halberd Rd, Kwai Chung", limit=3)
    best = outcome.results[0]
    assert (best.entry.name, best.entry.entity_type) == (ADDRESS_ONLY, "address")
    assert (best.matched_on, best.band) == ("address", "match")
    # A CSL entity's own address (stored in the addresses column) finds the entity.
    outcome = service.search("Room 1905, 19/F Nam Wo Hong Bldg, 148 Wing Lok Street", limit=3)
    assert outcome.results[0].entry.name == "32 Group China Ltd."
    assert outcome.results[0].matched_on == "address"
    # A company name is never matched against addresses.
    assert all(r.matched_on == "name" for r in service.search("Meadowgate Tower").results)


def test_unreadable_refresh_dates_cannot_clear_but_still_find_hits(engine: Engine) -> None:
    """Tried: the source_state table gone after the index was built (a broken database)."""
    import_current_sample(engine, at=T0)
    service = ScreeningService(
        engine=engine, thresholds=Thresholds(), clock=lambda: T0, refreshes_max_age=0
    )
    assert service.search("Acme Widgets").verdict == "no match"
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE source_state"))
    unlisted = service.search("Acme Widgets")
    assert (unlisted.verdict, unlisted.lists.state) == ("cannot clear", "stale")
    assert unlisted.lists.reason == "the lists' refresh dates could not be read from the database"
    assert service.search("ABU SALEM Ibrahim").verdict == "match"


def test_refresh_dates_are_read_once_per_max_age_not_once_per_answer(engine: Engine) -> None:
    import_current_sample(engine, at=T0)
    service = ScreeningService(
        engine=engine, thresholds=Thresholds(), clock=lambda: T0, refreshes_max_age=0.5
    )
    service.refresh()
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        for _ in range(20):
            assert service.search("Acme Widgets").verdict == "no match"
        reads_in_a_burst = sum("source_state" in s for s in statements)
        time.sleep(0.6)
        service.search("Acme Widgets")
        reads_after_max_age = sum("source_state" in s for s in statements)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    # Two sources' states (CSL and Federal Register), read once for the 20 answers ...
    assert reads_in_a_burst == 2
    # ... and again once the dates are older than the max age.
    assert reads_after_max_age == 4

"""Counterparty monitoring and the digest with the military-intelligence end users read from
the eCFR text by the real `ecfr_text` source: the first reading screens the watchlist again
(a counterparty screened before the list existed is found), a new end user hits the
counterparty it resembles in its own alert's thread, and the weekly digest counts it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.digest.data import collect_digest
from tests.bot.reconcile_setup import LATER, poll_kind, serve_ecfr_text
from tests.bot.services.alerts.test_delivery import CHANNEL, Clock, clock
from tests.bot.services.test_monitoring import (
    add_watchlist,
    counterparty_posts,
    deliver,
    monitoring,
)
from tests.conftest import fixture_bytes
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import RecordedSites

__all__ = ["clock"]  # a fixture shared with the module it comes from

NEW_UNIT = b"<P>(xi) <I>Nicaragua.</I> Quillby Signals Directorate (QSD).</P>\n<CITA TYPE"


def test_the_first_reading_screens_counterparties_screened_before_it(
    engine: Engine, slack_api: FakeSlackApi, sites: RecordedSites, clock: Clock
) -> None:
    from tests.bot.services.alerts.test_delivery import run_sources

    run_sources(engine, sites, "csl")
    add_watchlist(engine, "id,name,country\nS-1,Reconnaissance General Bureau,KP\n", clock)
    service = monitoring(engine, clock)
    deliver(engine, service, slack_api, clock)
    assert counterparty_posts(slack_api) == []  # screened against the CSL: nothing
    run_sources(engine, sites, "ecfr_text")
    deliver(engine, service, slack_api, clock)
    (hit,) = counterparty_posts(slack_api)
    assert "Reconnaissance General Bureau" in str(hit["text"])
    assert "Military-Intelligence End-User list" in str(hit["text"])
    deliver(engine, service, slack_api, clock)
    assert len(counterparty_posts(slack_api)) == 1


def test_a_new_end_user_hits_its_lookalike_and_the_digest_counts_it(
    engine: Engine, slack_api: FakeSlackApi, source_server: SourceServer, clock: Clock
) -> None:
    serve_ecfr_text(source_server)
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER).ok
    add_watchlist(engine, "id,name,country\nN-7,Quillby Signals Directorate,NI\n", clock)
    service = monitoring(engine, clock)
    deliver(engine, service, slack_api, clock)
    assert counterparty_posts(slack_api) == []
    text = fixture_bytes("ecfr", "ECFR-title15-part744-excerpt.xml").replace(
        b"<CITA TYPE", NEW_UNIT
    )
    serve_ecfr_text(source_server, text)
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER + timedelta(days=1)).ok
    deliver(engine, service, slack_api, clock)
    (hit,) = counterparty_posts(slack_api)
    action = next(m for m in slack_api.messages(CHANNEL) if "1 entry added" in str(m["text"]))
    assert hit["thread_ts"] == action["ts"]
    assert "may be the newly listed Quillby Signals Directorate" in str(hit["text"])
    with Session(engine) as session:
        digest = collect_digest(
            session,
            since=datetime(2020, 1, 1, tzinfo=UTC),
            until=datetime.now(UTC) + timedelta(days=1),
        )
    assert [(t.key, t.added) for t in digest.by_list] == [("MIEU", 1)]
    (names,) = digest.new_names
    assert (names.list_code, names.names) == ("MIEU", ("Quillby Signals Directorate",))


def test_bulk_screening_reads_the_end_users_but_not_the_ecfrs_copy_of_the_csl_lists(
    engine: Engine, source_server: SourceServer
) -> None:
    from bot.services.monitoring.service import all_listed

    serve_ecfr_text(source_server)
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER).ok
    with Session(engine) as session:
        listed = all_listed(session)
    assert {entry.list_code for entry in listed.values()} == {"MIEU"}
    assert len(listed) == 13

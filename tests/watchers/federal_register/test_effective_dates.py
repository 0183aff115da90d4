"""The effective date comes from the document itself, never from its publication date.

FR Doc 2023-03929 was published 2023-02-27 and took effect 2023-02-24 (its DATES
line). Both paths are driven for real: the public-inspection watcher and the Federal
Register watcher poll the local recorded sites, write to the database, and the alert
is rendered from the stored change rows.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.services.alerts.model import ChangeView
from bot.slack.blocks.alerts import render_action
from storage.models import ChangeRow, ListEntryRow
from tests.conftest import fixture_bytes
from tests.watchers.recorded import DOCUMENTS, RecordedSites
from watchers.federal_register.preamble import read_preamble
from watchers.http import HttpFetcher
from watchers.registry import build_sources
from watchers.runner import poll_all
from watchers.source import Source

XML_PATH = "/documents/full_text/xml/2023/02/27/2023-03929.xml"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def _poll(engine: Engine, source: Source, clock: Clock) -> None:
    fetcher = HttpFetcher(connect_timeout=2.0, read_timeout=2.0, retries=0, backoff=0.0)
    (report,) = poll_all([source], engine=engine, fetcher=fetcher, clock=clock, down_after=3)
    assert report.error is None, report.error


def _rows(engine: Engine, number: str) -> list[ChangeRow]:
    with Session(engine) as session:
        stmt = select(ChangeRow).where(ChangeRow.document_number == number).order_by(ChangeRow.id)
        return list(session.scalars(stmt))


def _effective_line(rows: list[ChangeRow]) -> str:
    """The one "Effective date" line of the alert these rows make."""
    messages = render_action([ChangeView.of(r) for r in rows])
    text = "\n".join(str(b.get("text", {}).get("text", "")) for b in messages[0].blocks)
    (line,) = [x for x in text.splitlines() if "Effective" in x or "effective" in x]
    return line


def _serve_documents_without_effective_on(sites: RecordedSites, *numbers: str) -> None:
    payload = sites.documents_payload(*numbers)
    for result in payload["results"]:
        result.pop("effective_on", None)
    sites.server.route_reply(DOCUMENTS, sites.json_reply(payload))


def _sources(sites: RecordedSites) -> tuple[Source, Source]:
    fr, pi = (
        build_sources(sites.config(), only=n)[0] for n in ("federal_register", "public_inspection")
    )
    return fr, pi


def test_filing_then_rule_that_took_effect_before_publication(
    engine: Engine, sites: RecordedSites
) -> None:
    fr, pi = _sources(sites)
    clock = Clock()
    sites.serve_documents("9999-10002")
    _poll(engine, fr, clock)  # baseline
    sites.serve_public_inspection(number="2023-03929")
    _poll(engine, pi, clock)
    (filing,) = _rows(engine, "2023-03929")
    assert filing.kind == "public_inspection"
    assert filing.effective_date is None  # the filing says when it is published, not effective
    # The filing has no raw text: the alert says so rather than guess.
    assert _effective_line([filing]) == (
        "*Effective date:* see rule (the filing's text could not be read)"
    )
    # The API answer lacks effective_on: the date must come from the rule's DATES text.
    _serve_documents_without_effective_on(sites, "2023-03929", "9999-10002")
    _poll(engine, fr, clock)
    rows = _rows(engine, "2023-03929")
    published = next(r for r in rows if r.kind == "rule_published")
    assert published.effective_date == date(2023, 2, 24)
    assert published.after is not None and published.after["effective_on"] == "2023-02-24"
    added = [r for r in rows if r.kind == "added"]
    assert len(added) == 13 and {r.effective_date for r in added} == {date(2023, 2, 24)}
    assert _effective_line(rows) == "*Effective date:* 2023-02-24"
    with Session(engine) as session:
        starts = set(
            session.scalars(
                select(ListEntryRow.start_date).where(ListEntryRow.fr_document == "2023-03929")
            )
        )
    assert starts == {date(2023, 2, 24)}


def test_no_stated_date_is_never_replaced_by_the_publication_date(
    engine: Engine, sites: RecordedSites
) -> None:
    fr, _ = _sources(sites)
    clock = Clock()
    sites.serve_documents("9999-10002")
    _poll(engine, fr, clock)  # baseline
    xml = fixture_bytes("federal_register", "2023-03929.xml").replace(
        b"This rule is effective February 24, 2023.",
        b"This rule is effective [INSERT DATE OF PUBLICATION IN THE FEDERAL REGISTER].",
    )
    sites.server.route(XML_PATH, body=xml, content_type="text/xml")
    _serve_documents_without_effective_on(sites, "2023-03929", "9999-10002")
    _poll(engine, fr, clock)
    rows = _rows(engine, "2023-03929")
    assert rows and all(r.effective_date is None for r in rows)
    published = next(r for r in rows if r.kind == "rule_published")
    assert published.after is not None and published.after["effective_on"] is None
    assert _effective_line(rows) == "*Effective date:* see rule"


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ("This rule is effective February 24, 2023.", date(2023, 2, 24)),
        (
            "This rule is effective June 12, 2024, except for amendatory instruction 14, "
            "which is effective September 16, 2024.",
            date(2024, 6, 12),
        ),
        # A comment deadline first: only a date after "effective" counts.
        (
            "Comments must be received by March 1, 2024. This rule is effective February 20, 2024.",
            date(2024, 2, 20),
        ),
        # Real wording of a rule on public inspection: no date yet.
        ("This rule is effective [INSERT DATE OF PUBLICATION IN THE FEDERAL REGISTER].", None),
        ("Comments must be received by March 1, 2024.", None),
        ("", None),
    ],
)
def test_dates_text(dates: str, expected: date | None) -> None:
    root = ET.fromstring(
        f"<RULE><PREAMB><EFFDATE><HD>DATES:</HD><P>{dates}</P></EFFDATE></PREAMB></RULE>"
    )
    assert read_preamble(root).effective_on == expected

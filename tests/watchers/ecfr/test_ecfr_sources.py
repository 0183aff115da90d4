"""The two eCFR kinds polled through the real runner against a local server serving the
recorded versions answer and the reconstructed title excerpt.

Tried: the first poll (a baseline, nothing alerted), an amendment a rule read explains, one
that no rule explains (alerted once, only after the wait), an amendment dated after today
(one log line, not recorded until its day), an answer of another shape and a title text that
does not read (the poll fails with one line, nothing stored changes), a 304, the text's first
reading (a baseline; the watchlist is screened again), a new military-intelligence end user
(an alerting change), and a text that would empty the Entity List (refused).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storage.models import ChangeRow, ListEntryRow, WatchlistRow
from tests.bot.reconcile_setup import (
    LATER,
    TEXT_PATH,
    VERSIONS_PATH,
    poll_kind,
    record_rule_2023_03929,
    serve_ecfr_text,
)
from tests.conftest import fixture_bytes
from tests.fakes.source_replies import strong_etag
from tests.fakes.source_server import SourceServer
from tests.storage.helpers import dump_state

ANSWER = json.loads(fixture_bytes("ecfr", "versions-title-15-part-744.json"))
TITLE = fixture_bytes("ecfr", "ECFR-title15-part744-excerpt.xml")


def serve_versions(server: SourceServer, versions: list[dict[str, object]]) -> None:
    body = json.dumps({"content_versions": versions, "meta": ANSWER["meta"]}).encode()
    server.route(VERSIONS_PATH, body=body, content_type="application/json", etag=strong_etag(body))


def supplement_4(amended: str, issued: str) -> dict[str, object]:
    return dict(
        ANSWER["content_versions"][-1], date=amended, amendment_date=amended, issue_date=issued
    )


def rows(engine: Engine, *kinds: str) -> list[ChangeRow]:
    with Session(engine) as session:
        stmt = select(ChangeRow).where(ChangeRow.kind.in_(kinds)).order_by(ChangeRow.id)  # type: ignore[attr-defined]
        return list(session.scalars(stmt))


def test_the_first_poll_records_the_history_as_a_baseline(
    engine: Engine, source_server: SourceServer
) -> None:
    serve_versions(source_server, ANSWER["content_versions"])
    report = poll_kind(engine, source_server, "ecfr", moment=LATER)
    assert report.ok and report.result is not None and report.result.status == "baseline"
    amendments = rows(engine, "ecfr_amendment")
    assert len(amendments) == 8
    assert all((a.after or {})["baseline"] for a in amendments)
    assert [r.summary for r in rows(engine, "baseline")] == [
        "eCFR baseline: 8 amendments of the part 744 lists since 2021-03-01 recorded"
    ]
    # Days later nothing is flagged: history before the first poll is never alerted.
    assert poll_kind(engine, source_server, "ecfr", moment=LATER + timedelta(days=2)).ok
    assert rows(engine, "ecfr_unmatched") == []
    request = source_server.requests(VERSIONS_PATH)[-1]
    assert request.params["part"] == ["744"] and request.params["issue_date[gte]"] == ["2021-03-01"]
    assert request.headers.get("if-none-match")  # the second poll was conditional


def test_an_amendment_a_rule_read_explains_is_quiet_one_nobody_explains_alerts_once(
    engine: Engine, source_server: SourceServer
) -> None:
    history = ANSWER["content_versions"][:-1]  # the baseline has not seen 2023-02-24 yet
    serve_versions(source_server, history)
    assert poll_kind(engine, source_server, "ecfr", moment=LATER).ok
    record_rule_2023_03929(engine, source_server)
    unexplained = supplement_4("2023-03-02", "2023-03-08")
    serve_versions(source_server, [*history, ANSWER["content_versions"][-1], unexplained])
    seen = LATER + timedelta(days=1)
    assert poll_kind(engine, source_server, "ecfr", moment=seen).ok
    explained, alone = rows(engine, "ecfr_amendment")[-2:]
    assert (explained.after or {})["rules"] == ["2023-03929"]
    assert (alone.after or {})["rules"] == []
    assert rows(engine, "ecfr_unmatched") == []  # a Federal Register poll may be behind
    assert poll_kind(engine, source_server, "ecfr", moment=seen + timedelta(hours=7)).ok
    assert poll_kind(engine, source_server, "ecfr", moment=seen + timedelta(hours=13)).ok
    (flagged,) = rows(engine, "ecfr_unmatched")
    assert flagged.list_code == "EL"
    assert flagged.summary is not None and flagged.summary.startswith(
        "The eCFR shows Supplement No. 4 to Part 744 (Entity List) amended with effect from "
        "2023-03-02, and entitywatch has read no Federal Register rule"
    )


def test_an_amendment_dated_after_today_waits_for_its_day(
    engine: Engine, source_server: SourceServer, caplog: pytest.LogCaptureFixture
) -> None:
    serve_versions(source_server, ANSWER["content_versions"])
    assert poll_kind(engine, source_server, "ecfr", moment=LATER).ok
    tomorrow = (LATER + timedelta(days=1)).date().isoformat()
    serve_versions(source_server, [*ANSWER["content_versions"], supplement_4(tomorrow, tomorrow)])
    with caplog.at_level(logging.WARNING, logger="watchers.ecfr.source"):
        assert poll_kind(engine, source_server, "ecfr", moment=LATER + timedelta(hours=1)).ok
    (line,) = [r.getMessage() for r in caplog.records if r.name == "watchers.ecfr.source"]
    assert line.startswith(
        "ecfr.future_amendment count=1 identifier='Supplement No. 4 to Part 744'"
    )
    assert len(rows(engine, "ecfr_amendment")) == 8
    assert poll_kind(engine, source_server, "ecfr", moment=LATER + timedelta(days=1)).ok
    assert len(rows(engine, "ecfr_amendment")) == 9


@pytest.mark.parametrize(
    "body",
    [
        b'{"content_versions": {"744.22": []}}',
        json.dumps({"content_versions": [{"identifier": "744.22", "substantive": "1"}]}).encode(),
        b"<html><body>Service Unavailable</body></html>",
    ],
)
def test_an_answer_of_another_shape_fails_the_poll_and_stores_nothing(
    engine: Engine, source_server: SourceServer, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    serve_versions(source_server, ANSWER["content_versions"])
    assert poll_kind(engine, source_server, "ecfr", moment=LATER).ok
    before = dump_state(engine)
    source_server.route(VERSIONS_PATH, body=body, content_type="application/json")
    with caplog.at_level(logging.WARNING):
        report = poll_kind(engine, source_server, "ecfr", moment=LATER + timedelta(days=1))
    assert not report.ok
    assert dump_state(engine) == before
    lines = [r.getMessage() for r in caplog.records if r.name == "watchers.runner"]
    assert len(lines) == 1 and lines[0].startswith("poll.failed source=ecfr error=")
    assert not any(r.exc_info for r in caplog.records if r.name == "watchers.runner")


def test_the_first_text_is_a_baseline_and_screens_the_watchlist_again(
    engine: Engine, source_server: SourceServer
) -> None:
    with Session(engine) as session, session.begin():
        session.add(
            WatchlistRow(
                external_id="C-1",
                name="Quillby Optics",
                added_by="test",
                added_at=LATER,
                updated_at=LATER,
                screened_at=LATER,
            )
        )
    serve_ecfr_text(source_server)
    report = poll_kind(engine, source_server, "ecfr_text", moment=LATER)
    assert report.ok and report.result is not None and report.result.status == "baseline"
    assert report.result.cursor == {
        "amended_on": "2023-03-01",
        "content_hash": report.result.cursor["content_hash"],  # type: ignore[index]
    }
    (baseline,) = rows(engine, "baseline")
    assert baseline.list_code == "MIEU" and "13 military-intelligence end users" in (
        baseline.summary or ""
    )
    assert rows(engine, "added") == []
    with Session(engine) as session:
        counts = dict(
            session.execute(
                select(ListEntryRow.list_code, func.count())
                .where(ListEntryRow.source == "ecfr_text")
                .group_by(ListEntryRow.list_code)
            ).all()
        )
        screened = session.scalar(select(WatchlistRow.screened_at))
    assert counts == {"EL": 15, "UVL": 2, "MEU": 2, "MIEU": 13}  # one per printed row
    assert screened is None
    again = poll_kind(engine, source_server, "ecfr_text", moment=LATER + timedelta(days=1))
    assert again.result is not None and again.result.status == "not_modified"


def test_a_new_military_intelligence_end_user_is_an_alerting_change(
    engine: Engine, source_server: SourceServer
) -> None:
    serve_ecfr_text(source_server)
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER).ok
    added = TITLE.replace(
        b"<CITA TYPE",
        b"<P>(xi) <I>Nicaragua.</I> Quillby Signals Directorate (QSD).</P>\n<CITA TYPE",
    )
    serve_ecfr_text(source_server, added)
    report = poll_kind(engine, source_server, "ecfr_text", moment=LATER + timedelta(days=1))
    assert report.ok and report.result is not None
    assert report.result.changes == ("added MIEU Quillby Signals Directorate",)
    (change,) = rows(engine, "added")
    assert (change.source, change.list_code, change.entry_name) == (
        "ecfr_text",
        "MIEU",
        "Quillby Signals Directorate",
    )
    assert (change.after or {})["aliases"] == ["QSD"]
    assert (change.after or {})["countries"] == ["NI"]


@pytest.mark.parametrize(
    "broken",
    [
        TITLE[: len(TITLE) // 3],
        re.sub(
            rb"<P>\(i\) <I>Burma.*?</P>", b"<P>(i) Burma Office of Chief</P>", TITLE, flags=re.S
        ),
        TITLE.replace(b"Supplement No. 7 to Part 744", b"Supplement No. 8 to Part 744"),
    ],
)
def test_a_text_that_does_not_read_fails_the_poll_and_stores_nothing(
    engine: Engine, source_server: SourceServer, broken: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    serve_ecfr_text(source_server)
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER).ok
    before = dump_state(engine)
    serve_ecfr_text(source_server, broken)
    with caplog.at_level(logging.WARNING):
        report = poll_kind(engine, source_server, "ecfr_text", moment=LATER + timedelta(days=1))
    assert not report.ok and report.error is not None and "ecfr." in report.error
    assert dump_state(engine) == before
    lines = [r.getMessage() for r in caplog.records if r.name == "watchers.runner"]
    assert len(lines) == 1 and lines[0].startswith("poll.failed source=ecfr_text error=")


def test_a_text_that_would_empty_most_of_a_list_is_refused(
    engine: Engine, source_server: SourceServer
) -> None:
    serve_ecfr_text(source_server)
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER).ok
    before = dump_state(engine)
    # Only the first Entity List row is left.
    gutted = re.sub(
        rb"(Federal Register citation</TH></TR>\n<TR>.*?</TR>)\n.*?(\n</TABLE>)",
        rb"\1\2",
        TITLE,
        count=1,
        flags=re.S,
    )
    serve_ecfr_text(source_server, gutted)
    report = poll_kind(engine, source_server, "ecfr_text", moment=LATER + timedelta(days=1))
    assert not report.ok and report.error is not None
    assert "refused: EL would lose 14 of 15 entries" in report.error
    assert dump_state(engine) == before


def test_the_text_is_asked_for_with_a_conditional_get(
    engine: Engine, source_server: SourceServer
) -> None:
    serve_ecfr_text(source_server)
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER).ok
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER + timedelta(days=1)).ok
    asked = source_server.requests(TEXT_PATH)
    assert asked[-1].headers.get("if-none-match") == strong_etag(TITLE)

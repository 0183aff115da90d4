"""The pure rule behind every answer's verdict and date (`bot.lists_status`), table-driven."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.services.lists_status import (
    CANNOT_CLEAR,
    UNCHECKED,
    ListsStatus,
    assess_lists,
    dating,
    verdict,
)
from storage.lists_facts import FrRuleRef, ListContents, ListRefreshes
from storage.source_state import SourceState

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
RULE = FrRuleRef(document_number="2026-17231", publication_date=date(2026, 10, 2))


def contents(*, entries: int = 100, newest: date | None = date(2026, 11, 20)) -> ListContents:
    return ListContents(csl_entries=entries, csl_newest_entry=newest, fr_newest=RULE)


def refreshes(
    *,
    csl_at: datetime | None = NOW - timedelta(hours=2),
    csl_failures: int = 0,
    fr_success: datetime | None = NOW - timedelta(minutes=15),
    fr_failures: int = 0,
    fr_down: bool = False,
) -> ListRefreshes:
    return ListRefreshes(
        csl_refreshed_at=csl_at,
        csl=SourceState(source="csl", consecutive_failures=csl_failures),
        federal_register=SourceState(
            source="federal_register",
            last_success_at=fr_success,
            consecutive_failures=fr_failures,
            down=fr_down,
        ),
    )


@pytest.mark.parametrize(
    ("lists", "updates", "state", "reason"),
    [
        (contents(), refreshes(), "fresh", None),
        (contents(entries=0, newest=None), refreshes(csl_at=None), "not_loaded",
         "lists not loaded: no Consolidated Screening List has been imported yet"),
        (contents(), refreshes(csl_at=None), "stale", "lists were never refreshed"),
        (contents(), refreshes(csl_at=NOW - timedelta(days=3)), "fresh", None),
        (contents(), refreshes(csl_at=datetime(2026, 11, 22, 8, tzinfo=UTC)), "stale",
         "lists are 9 days old: last refresh 2026-11-22"),
        (contents(), refreshes(csl_at=NOW - timedelta(days=4), csl_failures=96), "stale",
         "lists are 4 days old: last refresh 2026-11-27 "
         "(the CSL download failed 96 times in a row since)"),
        (contents(newest=date(2026, 9, 2)), refreshes(), "fresh", None),  # 90 days
        (contents(newest=date(2026, 9, 1)), refreshes(), "stale",
         "the lists' newest entry is from 2026-09-01: not a current snapshot"),
        (contents(newest=date(2022, 4, 21)), refreshes(), "stale",
         "the lists' newest entry is from 2022-04-21: not a current snapshot"),
        (contents(), refreshes(fr_success=NOW - timedelta(hours=23), fr_failures=90), "fresh",
         None),
        (contents(), refreshes(fr_success=datetime(2026, 11, 29, 14, tzinfo=UTC), fr_failures=3),
         "stale", "Federal Register not reachable since 2026-11-29 14:00 UTC"),
        # Success long ago but no failure since: the watcher is not running, not failing.
        (contents(), refreshes(fr_success=NOW - timedelta(days=30)), "fresh", None),
        (contents(), refreshes(fr_success=None, fr_failures=1), "fresh", None),
        (contents(), refreshes(fr_success=None, fr_failures=3, fr_down=True), "stale",
         "Federal Register never reached (3 failed polls)"),
        (contents(entries=0, newest=None), refreshes(fr_success=None, fr_failures=3, fr_down=True),
         "not_loaded", "lists not loaded: no Consolidated Screening List has been imported yet; "
         "Federal Register never reached (3 failed polls)"),
    ],
)  # fmt: skip
def test_assess_lists(
    lists: ListContents, updates: ListRefreshes, state: str, reason: str | None
) -> None:
    status = assess_lists(lists, updates, now=NOW, max_age=timedelta(days=3))
    assert (status.state, status.reason) == (state, reason)
    assert status.can_clear == (state == "fresh")


@pytest.mark.parametrize(
    ("band", "status", "expected"),
    [
        ("no match", ListsStatus(state="fresh"), "no match"),
        ("no match", ListsStatus(state="stale"), CANNOT_CLEAR),
        ("no match", ListsStatus(state="not_loaded"), CANNOT_CLEAR),
        ("no match", UNCHECKED, CANNOT_CLEAR),
        ("review", ListsStatus(state="stale"), "review"),
        ("match", ListsStatus(state="not_loaded"), "match"),
        ("error", ListsStatus(state="stale"), "error"),
    ],
)
def test_verdict(band: str, status: ListsStatus, expected: str) -> None:
    assert verdict(band, status) == expected


def test_dating_names_the_snapshot_the_refresh_and_the_rule() -> None:
    status = assess_lists(contents(), refreshes(), now=NOW, max_age=timedelta(days=3))
    assert dating(status) == (
        "lists as of 2026-11-20 (newest CSL entry); refreshed 2026-12-01 07:00 UTC; "
        "newest Federal Register rule 2026-17231 of 2026-10-02"
    )
    assert status.as_json() == {
        "state": "fresh",
        "reason": None,
        "csl_as_of": "2026-11-20",
        "csl_refreshed_at": "2026-12-01T07:00:00+00:00",
        "fr_newest": {"document_number": "2026-17231", "publication_date": "2026-10-02",
                      "citation": None},
    }  # fmt: skip
    undated = assess_lists(contents(newest=None), refreshes(), now=NOW, max_age=timedelta(days=3))
    assert dating(undated).startswith("lists of unknown date")

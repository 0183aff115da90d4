"""Screening lists of a chosen age, written through the real importer and source-state code.

The 2019 CSL sample is old; `current_sample` moves its entries' start dates so that the
newest is `newest_days_ago` before `today`, which makes it a current snapshot for tests.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.source_state import save_failure, save_success
from tests.conftest import fixture_bytes
from tests.storage.helpers import rewrite_csv
from watchers.csl.importer import ImportOutcome, import_csl

SAMPLE_NEWEST = date(2019, 8, 13)  # the newest start_date of the 2019 sample


def current_sample(*, today: date, newest_days_ago: int = 10) -> bytes:
    shift = (today - timedelta(days=newest_days_ago)) - SAMPLE_NEWEST

    def moved(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for row in rows:
            if row["start_date"]:
                row["start_date"] = (date.fromisoformat(row["start_date"]) + shift).isoformat()
        return rows

    return rewrite_csv(fixture_bytes("csl", "consolidated-2019-sample.csv"), moved)


def import_current_sample(engine: Engine, *, at: datetime) -> ImportOutcome:
    """The sample, current as of `at`, imported at `at` (its last refresh)."""
    data = current_sample(today=at.date())
    return import_csl(engine, data, now=at, origin="test", max_removed_share=0.1)


def federal_register_failing(engine: Engine, *, last_success: datetime, failures: int) -> None:
    """The Federal Register source succeeded at `last_success`, then failed `failures` times."""
    with Session(engine) as session, session.begin():
        save_success(session, "federal_register", now=last_success, etag=None, last_modified=None)
    for number in range(1, failures + 1):
        with Session(engine) as session, session.begin():
            save_failure(
                session,
                "federal_register",
                now=last_success + timedelta(hours=number),
                error="ConnectError: connection refused",
                down_after=3,
            )

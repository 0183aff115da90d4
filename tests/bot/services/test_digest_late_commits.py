"""A change committed after the weekly digest read its window is in the next digest
(issue 23.1, the digest). On PostgreSQL one connection holds the insert of a listing
detected an hour before the digest runs, the scheduled job runs, then it commits; the
next week's run must report it, once, and not report again what it already did.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.runtime import weekly_digest_job
from bot.services.digest.model import Digest
from bot.services.leadership import Leadership
from storage.changes import change_dedupe_key, record_event
from storage.engine import create_db_engine
from storage.migrate import upgrade

RUN_AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def listing(session: Session, name: str, *, detected: datetime) -> None:
    record_event(
        session,
        dedupe_key=change_dedupe_key("digest-test", name),
        source="csl",
        kind="added",
        now=detected,
        summary=f"added {name}",
        list_code="EL",
        entry_key=f"el:{name}",
        entry_name=name,
        after={"name": name, "countries": ["CN"]},
    )


def names(digest: Digest) -> list[str]:
    return sorted(n for group in digest.new_names for n in group.names)


@pytest.mark.postgres
def test_a_change_committed_after_the_digest_read_is_in_the_next_one(postgres_url: str) -> None:
    engine = create_db_engine(postgres_url)
    upgrade(engine)
    leader = Leadership(engine, stale_after=3.0, holder="digest-test")
    posted: list[Digest] = []
    now = [RUN_AT]
    job = weekly_digest_job(sink=posted.append, leader=leader, clock=lambda: now[0])
    try:
        leader.tick()
        slow = Session(engine)
        slow.begin()
        listing(slow, "Late Committed Optics Ltd", detected=RUN_AT - timedelta(hours=1))
        slow.flush()
        with Session(engine) as session, session.begin():
            listing(session, "Early Committed Avionics", detected=RUN_AT - timedelta(hours=2))
        job()
        slow.commit()
        slow.close()
        now[0] = RUN_AT + timedelta(days=7)
        job()
        now[0] = RUN_AT + timedelta(days=14)
        job()
        assert [names(d) for d in posted] == [
            ["Early Committed Avionics"],
            ["Late Committed Optics Ltd"],
            [],
        ]
    finally:
        leader.release()
        engine.dispose()

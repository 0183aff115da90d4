"""The leader's counterparty index follows every committed watchlist change (issue 23.5).

Tried: a rename stamped with an older time than the row's last change (an import that
began before a `/watch add`, a replica whose clock is a little behind). It changes
neither the row count, nor the highest id, nor the newest `updated_at`; the index must
be rebuilt anyway, so a listing of the new name hits.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.watchlist import Counterparty, retire, upsert_counterparties
from tests.bot.services.test_monitoring_commit_order import (
    NOW,
    hits,
    monitoring_service,
    record_listing,
)


def newer_party(engine: Engine) -> None:
    """Another counterparty changed later: the newest `updated_at` is its own."""
    with Session(engine) as session, session.begin():
        upsert_counterparties(
            session,
            [Counterparty("c9", "Ostrander Marine Supply BV")],
            added_by="t",
            now=NOW + timedelta(hours=1),
        )


def test_a_rename_stamped_earlier_still_reaches_the_index(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        upsert_counterparties(
            session, [Counterparty("c1", "Boreal Lumen Photonics Ltd")], added_by="t", now=NOW
        )
    newer_party(engine)
    service = monitoring_service(engine)
    with Session(engine) as session, session.begin():
        record_listing(session, "Quillfeather Avionics GmbH", "el:quill")
    assert service.process_changes() == (1, 0)  # the index is built, nothing hits
    with Session(engine) as session, session.begin():
        upsert_counterparties(
            session,
            [Counterparty("c1", "Quillfeather Avionics GmbH")],
            added_by="t",
            now=NOW - timedelta(hours=1),
        )
    with Session(engine) as session, session.begin():
        record_listing(session, "Quillfeather Avionics GmbH", "el:quill-again")
    assert service.process_changes() == (1, 1)
    assert hits(engine) == [1]


def test_a_retired_counterparty_leaves_the_index(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        upsert_counterparties(
            session, [Counterparty("c1", "Quillfeather Avionics GmbH")], added_by="t", now=NOW
        )
    newer_party(engine)
    service = monitoring_service(engine)
    with Session(engine) as session, session.begin():
        record_listing(session, "Boreal Lumen Photonics Ltd", "el:boreal")
    assert service.process_changes() == (1, 0)
    with Session(engine) as session, session.begin():
        retire(session, [1], now=NOW - timedelta(hours=1))
    with Session(engine) as session, session.begin():
        record_listing(session, "Quillfeather Avionics GmbH", "el:quill")
    assert service.process_changes() == (1, 0)
    assert hits(engine) == []

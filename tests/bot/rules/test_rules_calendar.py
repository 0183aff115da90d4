"""The rules calendar: dated states computed from stored meaning records (SQLite and
PostgreSQL), a later rule superseding what an earlier one scheduled, bad records left out."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.rules_calendar import calendars, rule_state
from tests.bot.rules.meaning_rows import (
    AFFILIATES_RULE,
    SUSPENSION_RULE,
    insert_affiliates_history,
    insert_rule,
)

# A made-up later rule that extends the suspension by a year (not a real document).
EXTENSION_RULE = "2026-90001"
EXTENSION_MEANING = [
    {"subject": "affiliates", "action": "suspended", "from": "2026-11-10", "until": "2027-11-09"},
    {"subject": "affiliates", "action": "reimposed", "from": "2027-11-10", "until": None},
]


@pytest.mark.parametrize(
    ("today", "state", "since", "until", "next_change", "sentence"),
    [
        ("2025-09-28", "not_in_force", None, "2025-09-28", "2025-09-29",
         "not in force until 2025-09-28 (FR Doc 2025-19001 from 2025-09-29)"),
        ("2025-09-29", "in_force", "2025-09-29", "2025-11-09", "2025-11-10",
         "in force since 2025-09-29 (FR Doc 2025-19001)"),
        ("2025-11-10", "suspended", "2025-11-10", "2026-11-09", "2026-11-10",
         "suspended until 2026-11-09 (FR Doc 2025-19846)"),
        ("2026-11-09", "suspended", "2025-11-10", "2026-11-09", "2026-11-10",
         "suspended until 2026-11-09 (FR Doc 2025-19846)"),
        ("2026-11-10", "in_force", "2026-11-10", None, None,
         "in force since 2026-11-10 (FR Doc 2025-19001; "
         "suspension by FR Doc 2025-19846 ended 2026-11-09)"),
    ],
)  # fmt: skip
def test_affiliates_rule_on_each_side_of_its_dates(
    engine: Engine,
    today: str,
    state: str,
    since: str | None,
    until: str | None,
    next_change: str | None,
    sentence: str,
) -> None:
    insert_affiliates_history(engine)
    with Session(engine) as session:
        found = rule_state(session, today=date.fromisoformat(today))
    assert found is not None
    assert found.state == state
    assert found.since == (date.fromisoformat(since) if since else None)
    assert found.until == (date.fromisoformat(until) if until else None)
    assert found.next_change == (date.fromisoformat(next_change) if next_change else None)
    assert found.documents == (AFFILIATES_RULE, SUSPENSION_RULE)
    assert found.sentence() == sentence


def test_no_record_means_no_state(engine: Engine) -> None:
    insert_rule(engine, document="2025-00001", meaning=[], published=date(2025, 1, 2))
    with Session(engine) as session:
        assert rule_state(session, today=date(2026, 1, 1)) is None
        assert rule_state(session, subject="tgl", today=date(2026, 1, 1)) is None


def test_a_later_rule_moves_the_reimposition(engine: Engine) -> None:
    insert_affiliates_history(engine)
    insert_rule(
        engine, document=EXTENSION_RULE, meaning=EXTENSION_MEANING, published=date(2026, 10, 1)
    )
    with Session(engine) as session:
        (calendar,) = calendars(session)
        on_old_date = rule_state(session, today=date(2026, 11, 10))
        later = rule_state(session, today=date(2027, 11, 10))
    assert [(p.state, p.start, p.end) for p in calendar.periods] == [
        ("not_in_force", None, date(2025, 9, 28)),
        ("in_force", date(2025, 9, 29), date(2025, 11, 9)),
        ("suspended", date(2025, 11, 10), date(2027, 11, 9)),
        ("in_force", date(2027, 11, 10), None),
    ]
    assert on_old_date is not None and on_old_date.state == "suspended"
    assert on_old_date.sentence() == "suspended until 2027-11-09 (FR Doc 2025-19846)"
    assert later is not None and later.documents[-1] == EXTENSION_RULE
    assert later.previous_document == SUSPENSION_RULE


def test_document_order_is_publication_not_insertion(engine: Engine) -> None:
    """A baseline may read newer rules first: the order is the rules', not the rows'."""
    insert_rule(
        engine, document=EXTENSION_RULE, meaning=EXTENSION_MEANING, published=date(2026, 10, 1)
    )
    insert_affiliates_history(engine)
    with Session(engine) as session:
        found = rule_state(session, today=date(2026, 12, 1))
    assert found is not None and found.state == "suspended"
    assert found.until == date(2027, 11, 9)


def test_published_text_replaces_the_filing(engine: Engine) -> None:
    """The filing said a shorter suspension; the published rule's record wins."""
    short = [{"subject": "affiliates", "action": "suspended", "from": "2025-11-10",
              "until": "2026-05-09"}]  # fmt: skip
    insert_rule(engine, document=AFFILIATES_RULE, meaning=[
        {"subject": "affiliates", "action": "in_force", "from": "2025-09-29"}
    ], published=date(2025, 9, 30))  # fmt: skip
    insert_rule(
        engine,
        document=SUSPENSION_RULE,
        meaning=short,
        published=date(2025, 11, 12),
        kind="public_inspection",
    )
    insert_affiliates_history(engine)
    with Session(engine) as session:
        found = rule_state(session, today=date(2026, 6, 1))
    assert found is not None and found.state == "suspended"


def test_bad_records_are_logged_and_left_out(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """Tried: an unknown action, a date in US form, until before from, a record that is not
    an object, a state change with no first day. The good record still counts."""
    insert_rule(
        engine,
        document="2026-90002",
        meaning=[
            {"subject": "affiliates", "action": "revoked", "from": "2026-01-01"},
            {"subject": "affiliates", "action": "suspended", "from": "11/10/2025"},
            {"subject": "affiliates", "action": "suspended", "from": "2026-02-01",
             "until": "2026-01-01"},
            "suspended",
            {"subject": "affiliates", "action": "in_force", "from": None},
            {"subject": "affiliates", "action": "in_force", "from": "2025-09-29"},
        ],
        published=date(2025, 9, 30),
    )  # fmt: skip
    with (
        caplog.at_level(logging.WARNING, logger="bot.services.rule_meaning"),
        Session(engine) as session,
    ):
        found = rule_state(session, today=date(2026, 1, 1))
    assert found is not None and found.state == "in_force"
    bad = [r.getMessage() for r in caplog.records if "bad_record" in r.getMessage()]
    assert len(bad) == 5, bad
    assert all("document=2026-90002" in line for line in bad)


def test_expiry_ends_a_temporary_licence(engine: Engine) -> None:
    insert_rule(
        engine,
        document="2026-90003",
        meaning=[
            {"subject": "tgl", "action": "in_force", "from": "2026-03-01"},
            {"subject": "tgl", "action": "expires", "until": "2026-06-30"},
        ],
        published=date(2026, 3, 1),
    )
    with Session(engine) as session:
        during = rule_state(session, subject="tgl", today=date(2026, 6, 30))
        after = rule_state(session, subject="tgl", today=date(2026, 7, 1))
    assert during is not None and during.next_change == date(2026, 7, 1)
    assert during.next_state == "not_in_force"
    assert (
        after is not None
        and after.sentence() == "not in force since 2026-07-01 (FR Doc 2026-90003)"
    )


def test_a_licence_written_as_one_expiry_record_is_in_force_until_it_expires(
    engine: Engine,
) -> None:
    # As the Federal Register watcher writes a TGL: one record, valid from the rule's
    # effective date through its last day.
    insert_rule(
        engine,
        document="2026-90004",
        meaning=[
            {"subject": "tgl", "action": "expires", "from": "2026-01-02", "until": "2026-03-31"}
        ],
        published=date(2026, 1, 2),
    )
    with Session(engine) as session:
        before = rule_state(session, subject="tgl", today=date(2026, 1, 1))
        during = rule_state(session, subject="tgl", today=date(2026, 2, 1))
        after = rule_state(session, subject="tgl", today=date(2026, 4, 1))
    assert before is not None and before.state == "not_in_force"
    assert during is not None and during.state == "in_force"
    assert during.next_change == date(2026, 4, 1) and during.next_state == "not_in_force"
    assert after is not None and after.state == "not_in_force"


def test_a_subject_only_amended_has_no_dated_state_to_show(engine: Engine) -> None:
    insert_rule(
        engine,
        document="2026-90005",
        meaning=[{"subject": "fdp", "action": "amended", "from": "2026-02-01", "until": None}],
        published=date(2026, 2, 1),
    )
    with Session(engine) as session:
        assert [c.subject for c in calendars(session)] == []

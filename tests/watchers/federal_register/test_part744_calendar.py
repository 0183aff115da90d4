"""From the watchers to the calendar: the rules the Federal Register source reads (the
reconstructed FR Docs 2025-19001 and 2025-19846, over real HTTP) are what the rules
calendar, `rules status` and the affiliates answers say, with no hand-made rows between.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.app import affiliates_rule_state
from bot.services.rules_calendar import rule_state, state_lines
from tests.watchers.federal_register.part744_sites import Part744Sites
from tests.watchers.federal_register.test_part744_rules import Clock, fetcher, run, sites
from watchers.http import HttpFetcher

__all__ = ["fetcher", "sites"]  # the fixtures, shared with the rules' own tests


def test_the_rules_read_set_the_affiliates_calendar_right_on_the_first_day(
    engine: Engine, fetcher: HttpFetcher, sites: Part744Sites
) -> None:
    sites.serve_documents("2025-19846", "9999-07440", "2025-19001")
    report = run(
        engine, fetcher, sites, "federal_register", Clock(datetime(2026, 12, 4, tzinfo=UTC))
    )
    assert report.ok
    with Session(engine) as session:
        during = rule_state(session, today=date(2026, 1, 15))
        after = rule_state(session, today=date(2026, 12, 4))
        before = rule_state(session, today=date(2025, 10, 1))
        today_sentence = affiliates_rule_state(session, date(2026, 12, 4))
        lines = state_lines(session, today=date(2026, 12, 4))
    assert before is not None and before.state == "in_force"
    assert during is not None and during.state == "suspended"
    assert during.until == date(2026, 11, 9)
    assert after is not None and after.state == "in_force"
    assert after.since == date(2026, 11, 10)
    assert today_sentence is not None and today_sentence.startswith("in force since 2026-11-10")
    assert "2025-19846" in today_sentence
    assert any("in force" in line for line in lines)


def test_with_only_the_first_rule_read_the_rule_is_in_force_with_no_suspension(
    engine: Engine, fetcher: HttpFetcher, sites: Part744Sites
) -> None:
    sites.serve_documents("2025-19001")
    assert run(
        engine, fetcher, sites, "federal_register", Clock(datetime(2025, 10, 2, tzinfo=UTC))
    ).ok
    with Session(engine) as session:
        state = rule_state(session, today=date(2025, 10, 2))
    assert state is not None and state.state == "in_force"
    assert state.since == date(2025, 9, 29) and state.next_change is None

"""Screening answers over the CSL, a rule the CSL lacks and the regulation text, with the state
written by the real importer and watchers: the rule's entry says "from FR Doc ..., not yet on
the CSL" in every answer form; the military-intelligence end users of § 744.22(f)(2) are a list
of their own with their citation; the eCFR's copies of the CSL's lists are not screened.
"""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import Engine

from bot.cli.commands.screen import answer_json
from bot.cli.output.screening import render_answer
from bot.cli.output.screening_rows import RESULT_COLUMNS, result_rows
from bot.services.screening import ScreeningService
from bot.slack.blocks.screen import screen_payload
from screening import Thresholds
from tests.bot.lists_ages import import_current_sample
from tests.bot.reconcile_setup import LATER, poll_kind, record_rule_2023_03929, serve_ecfr_text
from tests.fakes.source_server import SourceServer

NOTE = "from FR Doc 2023-03929, not yet on the CSL"


def stored_lists(engine: Engine, server: SourceServer) -> ScreeningService:
    import_current_sample(engine, at=LATER)
    record_rule_2023_03929(engine, server)
    serve_ecfr_text(server)
    assert poll_kind(engine, server, "ecfr_text", moment=LATER + timedelta(hours=1)).ok
    return ScreeningService(engine=engine, thresholds=Thresholds(), clock=lambda: LATER)


def test_a_rules_entry_says_where_it_comes_from_in_every_answer(
    engine: Engine, source_server: SourceServer
) -> None:
    service = stored_lists(engine, source_server)
    outcome = service.screen("AOOK Technology", origin="cli")
    first = outcome.results[0]
    assert (first.entry.name, first.entry.list_code) == ("AOOK Technology Ltd.", "EL")
    assert f"EL ({NOTE})" in render_answer(outcome)
    assert answer_json(outcome)["results"][0]["source_note"] == NOTE
    payload = screen_payload(
        query=outcome.query,
        results=[r.as_dict() for r in outcome.results],
        error=None,
        lists=outcome.lists,
    )
    assert f"Source: {NOTE}" in payload["blocks"][2]["text"]["text"]
    row = dict(zip(RESULT_COLUMNS, next(result_rows(outcome)), strict=True))
    assert (row["list"], row["source_note"]) == ("EL", NOTE)


def test_the_military_intelligence_end_users_are_screened_as_their_own_list(
    engine: Engine, source_server: SourceServer
) -> None:
    service = stored_lists(engine, source_server)
    for query in ("Main Intelligence Directorate", "GRU", "Reconnaissance General Bureau"):
        outcome = service.screen(query, origin="cli")
        top = outcome.results[0].as_dict()
        assert top["list"] == "MIEU", query
        assert top["band"] == "match", query
        assert str(top["fr_citation"]).startswith("15 CFR 744.22(f)(2)(")
    json_answer = answer_json(service.screen("GRU", origin="cli"))["results"][0]
    assert json_answer["entry_name"] == "Main Intelligence Directorate"
    assert json_answer["countries"] == ["RU"]
    assert json_answer["fr_citation"] == "15 CFR 744.22(f)(2)(vii)"
    assert json_answer["source_note"] == (
        "from the regulation text (eCFR): a list the CSL does not carry"
    )


def test_the_ecfrs_copy_of_the_entity_list_is_not_screened(
    engine: Engine, source_server: SourceServer
) -> None:
    service = stored_lists(engine, source_server)
    # In the eCFR excerpt's Supplement No. 4, not in the CSL sample nor in the rule.
    outcome = service.screen("140 Repair Plant JSC", origin="cli")
    assert all(r.entry.source != "eCFR" for r in outcome.results)
    assert all("140 Repair Plant" not in r.entry.name for r in outcome.results)


def test_screen_file_rows_carry_the_note(engine: Engine, source_server: SourceServer) -> None:
    service = stored_lists(engine, source_server)
    outcome = service.screen("Spacety Co., Ltd.", origin="batch")
    out = io.StringIO()
    for row in result_rows(outcome):
        out.write(",".join(row) + "\n")
    assert NOTE in out.getvalue()

"""`entitywatch lists status [--json]`: one line per list over state the real importer and
watchers wrote (the May 2022 CSL's BIS lists, FR Doc 2023-03929, the eCFR title excerpt).

The lag line is checked at a moment eleven days after the rule took effect (the service,
with its clock); the command itself runs on today's clock, where the 2023 rule is older
than the comparison window, so no lag is claimed.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.cli.main import main
from bot.cli.output.lists_overview import render_overview
from bot.services.lists_overview import load_overview
from tests.bot.reconcile_setup import (
    LATER,
    import_snapshot,
    poll_kind,
    record_rule_2023_03929,
    serve_ecfr_text,
)
from tests.bot.services.test_reconciliation import csl_2022_bis_lists
from tests.fakes.source_server import SourceServer


@pytest.fixture
def stored(sqlite_url: str, source_server: SourceServer) -> Engine:
    from storage.engine import create_db_engine
    from storage.migrate import upgrade

    engine = create_db_engine(sqlite_url)
    upgrade(engine)
    record_rule_2023_03929(engine, source_server)
    import_snapshot(engine, csl_2022_bis_lists(), moment=LATER)
    serve_ecfr_text(source_server)
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER + timedelta(hours=1)).ok
    return engine


def test_each_list_says_where_from_how_many_and_what_lags(stored: Engine) -> None:
    with Session(stored) as session:
        overview = load_overview(
            session, now=LATER + timedelta(hours=2), lag_after=timedelta(days=3),
            max_age=timedelta(days=3),
        )  # fmt: skip
    text = render_overview(overview)
    lines = {line.split()[0]: line for line in text.splitlines()[2:] if line.split()}
    assert list(lines)[:5] == ["eCFR", "EL", "UVL", "MEU", "MIEU"]
    el = lines["EL"]
    assert el.startswith("EL    Entity List | from CSL, Federal Register rules, eCFR Supplement")
    assert "CSL as of 2022-04-07 (newest entry)" in el
    assert "2,011 entries (10 from rules not yet on the CSL, eCFR 15)" in el
    assert "lags: CSL lacks 13 entries of FR Doc 2023-03929, effective 2023-02-24" in el
    assert el.endswith("the CSL lacks 13 entries the eCFR lists")  # the rule's 13 rows
    mieu = lines["MIEU"]
    assert "Military-Intelligence End-User list" in mieu
    assert "from eCFR, 15 CFR 744.22(f)(2) (the CSL does not carry it)" in mieu
    assert "| eCFR text through 2023-03-01 | 13 entries" in mieu
    assert lines["eCFR"] == "eCFR text through 2023-03-01, read 2023-03-07 10:00 UTC"
    data = overview.as_json()
    (el_json,) = [item for item in data["lists"] if item["list"] == "EL"]
    assert el_json["lags"] == [
        {
            "against": "csl",
            "document_number": "2023-03929",
            "citation": "88 FR 12170",
            "effective_date": "2023-02-24",
            "expected": 13,
            "missing": 13,
            "still_listed": 0,
            "text": "CSL lacks 13 entries of FR Doc 2023-03929, effective 2023-02-24",
        }
    ]


def test_the_command_prints_a_line_per_list_and_json_for_scripts(
    stored: Engine, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lists", "status", "--database-url", sqlite_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("screening lists: stale (")  # a 2022 CSL is not today's lists
    codes = [line.split()[0] for line in out[3:]]
    assert codes[:4] == ["EL", "UVL", "MEU", "MIEU"]
    assert main(["lists", "status", "--json", "--database-url", sqlite_url]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lists_state"]["state"] == "stale"
    assert data["ecfr_amended_on"] == "2023-03-01"
    by_code = {item["list"]: item for item in data["lists"]}
    assert (by_code["MIEU"]["entries"], by_code["MIEU"]["ecfr_through"]) == (13, "2023-03-01")
    assert by_code["EL"]["from_rules_not_on_csl"] == 10  # 2023-03929 and an older rule
    assert by_code["EL"]["lags"] == []  # the 2023 rule is older than the comparison window


def test_an_empty_database_has_the_lists_it_should_and_none_loaded(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lists", "status", "--database-url", sqlite_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("screening lists: not_loaded (lists not loaded")
    assert [line.split()[0] for line in out[2:]] == ["EL", "UVL", "MEU", "MIEU"]
    assert all("not loaded" in line for line in out[2:])

"""`entitywatch screen NAME`: the table, the JSON contract, and bad input through the real CLI.

The database holds the 2019 CSL sample made current (its start dates moved, see
`tests/bot/lists_ages.py`), imported once with `lists import` and copied for each
test so that every test starts with an empty audit trail. How the answers change
when the lists are missing or old is in `test_screen_lists_state.py`.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.cli.main import main
from storage.models import ScreeningAuditRow

JSON_KEYS = {"name", "entry_name", "list", "score", "band", "country", "fr_citation", "why"}


def screen(capsys: pytest.CaptureFixture[str], db: str, *argv: str) -> tuple[int, str, str]:
    code = main(["screen", *argv, "--database-url", db])
    out, err = capsys.readouterr()
    return code, out, err


def audit_rows(db: str) -> list[ScreeningAuditRow]:
    engine = create_engine(db)
    with Session(engine) as session:
        rows = list(session.scalars(select(ScreeningAuditRow).order_by(ScreeningAuditRow.id)))
    engine.dispose()
    return rows


def test_answer_ranks_candidates_with_band_score_list_and_why(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = screen(capsys, db, "ABU", "SALEM", "Ibrahim")
    assert code == 4  # the verdict is "match"
    lines = out.splitlines()
    dated, counted, verdict = lines[0], lines[-2], lines[-1]
    assert dated.startswith("lists as of ") and "(newest CSL entry); refreshed " in dated
    first = out.split("\n1. ", 1)[1].split("\n2. ", 1)[0]
    assert first.startswith("match 1.00  ABU SALEM, Ibrahim\n")
    assert "   list: PLC (Palestinian Legislative Council List)" in first
    assert "agreed: salem, ibrahim, abu" in first
    second = out.split("\n2. ", 1)[1]
    assert second.split("\n")[0].endswith("  ABU MSAMEH, Sayyed Salem")
    assert "   address: Rafah, West Bank, PS" in second  # the entry's address, in its place
    assert counted == "2 candidates shown"
    assert verdict == "verdict: match"


def test_answer_shows_the_fr_citation(capsys: pytest.CaptureFixture[str], db: str) -> None:
    _, out, _ = screen(capsys, db, "ADRIAN MANUEL HERNANDEZ")
    block = out.split("ADRIAN MANUEL HERNANDEZ", 1)[1]
    assert "   FR: 82 F.R. 48792 10/20/2017" in block and "3037 S. 69TH DRIVE" in block


def test_json_carries_the_promised_keys_and_respects_limit(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = screen(capsys, db, "54th Research Institute of China", "--json")
    answer = json.loads(out)
    results = answer["results"]
    assert code == 4 and results and answer["verdict"] == "match"
    assert all(set(r) >= JSON_KEYS and 0.0 <= r["score"] <= 1.0 for r in results)
    top = results[0]
    assert (top["entry_name"], top["list"], top["band"], top["country"]) == (
        "54th Research Institute of China",
        "EL",
        "match",
        "CN",
    )
    lists = answer["lists"]
    assert (lists["state"], lists["reason"], lists["fr_newest"]) == ("fresh", None, None)
    assert lists["csl_as_of"] and lists["csl_refreshed_at"]
    code, out, _ = screen(capsys, db, "ABU SALEM Ibrahim", "--json", "--limit", "1")
    assert [r["entry_name"] for r in json.loads(out)["results"]] == ["ABU SALEM, Ibrahim"]


def test_screening_is_audited_with_the_os_user(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGNAME", "compliance-analyst")
    screen(capsys, db, "ABU SALEM Ibrahim")
    (row,) = audit_rows(db)
    assert (row.origin, row.user_name, row.query, row.top_band) == (
        "cli",
        "compliance-analyst",
        "ABU SALEM Ibrahim",
        "match",
    )
    assert row.list_versions and len(row.list_versions["csl"]) == 64
    assert row.lists_state == "fresh" and row.list_versions["lists"]["state"] == "fresh"
    assert row.results and row.results[0]["entry_name"] == "ABU SALEM, Ibrahim"


REFUSED = "entitywatch: error: query refused: "


@pytest.mark.parametrize(
    ("query", "code", "expected"),
    [
        ("", 1, REFUSED + "query has no letters or digits to screen"),
        ("   \t ", 1, REFUSED + "query has no letters or digits to screen"),
        ("!!! ... ???", 1, REFUSED + "query has no letters or digits to screen"),
        ("😀🚀🔥", 1, REFUSED + "query has no letters or digits to screen"),
        ("x" * 10_000, 1, REFUSED + "query is 10000 characters; at most 500"),
        ("Co., Ltd.", 1, REFUSED + "query holds only legal forms or filler words"),
        # Undecodable argv bytes arrive as lone surrogates (os.fsdecode).
        ("\udcff\udcfe", 1, REFUSED + "query has no letters or digits to screen"),
        ("'; DROP TABLE screening_audit; --", 0, "verdict: no match"),
        ("SELECT * FROM list_entries WHERE 1=1", 0, "verdict: no match"),
        ("شركة هواوي للتكنولوجيا", 0, "verdict: no match"),
        ('חברה בע"מ', 0, "verdict: no match"),
    ],
)
def test_bad_input_gets_one_line_or_no_match_and_is_audited(
    capsys: pytest.CaptureFixture[str], db: str, query: str, code: int, expected: str
) -> None:
    got, out, err = screen(capsys, db, query)
    assert got == code and "Traceback" not in err
    if code:
        assert out == ""
        (line,) = [x for x in err.splitlines() if x.startswith("entitywatch: error:")]
        assert line.startswith(expected)
    else:
        assert out.splitlines()[-1] == expected
    (row,) = audit_rows(db)  # refused queries are on the trail too, with their reason
    assert (row.top_band, bool(row.error)) == (("error", True) if code else ("no match", False))


def test_refused_query_with_json_prints_nothing_on_stdout(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, err = screen(capsys, db, "", "--json")
    assert (code, out) == (1, "") and REFUSED in err


@pytest.mark.parametrize("limit", ["0", "51", "ten"])
def test_bad_limit_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], db: str, limit: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        screen(capsys, db, "Huawei", "--limit", limit)
    assert exited.value.code == 2
    assert "argument --limit" in capsys.readouterr().err


def test_party_listed_several_times_is_one_result(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    # The 2019 sample lists Gunther Migeotte on the Entity List five times, once per address.
    code, out, _ = screen(capsys, db, "Gunther Migeotte", "--json")
    results = json.loads(out)["results"]
    assert code == 4  # the best candidate is a match
    migeotte = [r for r in results if r["entry_name"] == "Gunther Migeotte"]
    assert len(migeotte) == 1
    assert len(migeotte[0]["entry_keys"]) == 5


def test_left_out_candidates_are_counted_in_text_and_json(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The widest terminal the answer uses: the count line is then one line, whatever
    # terminal (or none, under a test worker) the test runs in.
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = screen(capsys, db, "ABU SALEM Ibrahim", "--limit", "1")
    assert code == 4  # the best candidate is a match
    assert out.splitlines()[-2] == (
        "1 candidate shown; not shown: +1 more on the Palestinian Legislative Council List "
        "(raise --limit to see them)"
    )
    code, out, _ = screen(capsys, db, "ABU SALEM Ibrahim", "--limit", "1", "--json")
    assert json.loads(out)["omitted"] == {"PLC": 1}
    code, out, _ = screen(capsys, db, "ABU SALEM Ibrahim", "--limit", "5", "--json")
    assert json.loads(out)["omitted"] == {}


def test_address_query_matches_a_listed_address(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = screen(
        capsys, db, "Rm 1905, 19/F Nam Wo Hong Building, 148 Wing Lok St, Sheung Wan", "--json"
    )
    best = json.loads(out)["results"][0]
    assert code in (3, 4)  # review or match, as its band says
    assert (best["entry_name"], best["matched_on"]) == ("32 Group China Ltd.", "address")
    assert best["band"] in ("match", "review")
    assert best["why"].startswith("matched on the address")
    code, out, _ = screen(capsys, db, "Rm 1905, 19/F Nam Wo Hong Building, 148 Wing Lok St")
    first = out.split("\n1. ", 1)[1].split("\n2. ", 1)[0]
    assert first.splitlines()[0].endswith("  32 Group China Ltd.")
    assert "   matched address: Room 1905, 19/F, Nam Wo Hong Bldg." in first
    assert "why: matched on the address" in first


def test_help_documents_the_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["screen", "--help"])
    shown = capsys.readouterr().out
    assert exited.value.code == 0
    for line in ("0  no candidate at match or review", "3  the best candidate is \"review\"",
                 "4  the best candidate is \"match\"", "5  cannot clear"):  # fmt: skip
        assert line in shown

"""Where the affiliates rule shows: `screen` (text, JSON, exit status), `watchlist
affiliates`, the digest and the App Home count, `/screen` through the real bolt app.

On the 2019 sample lists: an EL owner (30 %) and an SDN owner under NPWMD (25 %) make
55 %; an SDN owner under a program 744.8(a)(1) does not name (SDNTK) does not count.
Tried: a counterparty with no ownership in a country named in
OWNERSHIP_REQUIRED_COUNTRIES (review, exit 3) and elsewhere (a note, exit 0), a name
that is no watched counterparty (no ownership lines), the rules calendar's sentence
and its absence (the facts are given all the same).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.cli.main import main
from bot.services.ownership.service import OwnershipService
from bot.services.rules_calendar import rules_today
from bot.settings import Settings, load_settings
from bot.slack.app import Services
from bot.slack.home import build_home_view
from tests.bot.lists_ages import import_current_sample
from tests.bot.slack.test_app import NOW, screen, services_at
from tests.fakes.bolt_apps import bolt_app
from tests.fakes.slack_api import FakeSlackApi

WATCHLIST = "id,name,country\nW-1,Lakeside Optics Ltd,DE\nW-2,Quiet Valley Traders,CN\nW-3,Harbor Lights Sarl,FR\n"
HOLDINGS = (
    "owned,owner,percent\n"
    "W-1,Gulf Gate Shipping Co. LLC,30\n"
    "W-1,GEFEST-M LLC,25\n"
    "W-1,7 KARNES,20\n"
    "W-3,Gulf Gate Shipping Co. LLC,10\n"
)
OWNED_LINE = (
    "Lakeside Optics Ltd (watchlist id W-1): not listed itself; 55 % owned by listed parties: "
    "Gulf Gate Shipping Co. LLC (EL) 30 % direct, GEFEST-M LLC (SDN) 25 % direct"
)


@pytest.fixture
def settings(slack_api: FakeSlackApi, signing_secret: str, db_url: str) -> Settings:
    return load_settings(
        slack_bot_token=slack_api.token,
        slack_signing_secret=signing_secret,
        slack_api_url=slack_api.base_url,
        database_url=db_url,
    )


def run(db: str, *argv: str) -> int:
    return main([*argv, "--database-url", db])


@pytest.fixture
def owned_db(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> str:
    monkeypatch.setenv("OWNERSHIP_REQUIRED_COUNTRIES", "CN, ru")
    (tmp_path / "w.csv").write_text(WATCHLIST)
    (tmp_path / "o.csv").write_text(HOLDINGS)
    assert (
        run(
            db,
            "watchlist",
            "import",
            str(tmp_path / "w.csv"),
            "--name-column",
            "name",
            "--id-column",
            "id",
            "--country-column",
            "country",
        )
        == 0
    )
    ownership = (
        "--owned-column",
        "owned",
        "--owner-column",
        "owner",
        "--percent-column",
        "percent",
    )
    assert run(db, "ownership", "import", str(tmp_path / "o.csv"), *ownership) == 0
    out = capsys.readouterr().out
    assert "1 counterparty crossed 50 % owned by listed parties: alerted" in out
    return db


def test_screen_gives_the_owners_and_raises_the_exit_status(
    owned_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(owned_db, "screen", "Lakeside Optics Ltd") == 4
    out = capsys.readouterr().out
    assert f"ownership: {OWNED_LINE}" in out
    assert (
        "Covered by the affiliates rule (FR Doc 2025-19001, 90 FR 47201; 15 CFR 744 Supp. 8): 50 % or more; terms of the most restrictive owner, GEFEST-M LLC (SDN): All items subject to the EAR (15 CFR 744.8(b)); Policy of denial (15 CFR 744.8(c))"
        in out
    )
    assert "The rule's state today is not known here" in out
    assert run(owned_db, "screen", "W-1", "--json") == 4
    answer = json.loads(capsys.readouterr().out)
    assert answer["ownership"]["covered"] is True and answer["ownership"]["lines"][0] == OWNED_LINE
    # No ownership, in a country where it is required: review.
    assert run(owned_db, "screen", "Quiet Valley Traders") == 3
    out = capsys.readouterr().out
    assert (
        "Quiet Valley Traders (watchlist id W-2): ownership not recorded: review. CN is in OWNERSHIP_REQUIRED_COUNTRIES"
        in out
    )
    assert run(owned_db, "screen", "Harbor Lights Sarl") == 0
    out = capsys.readouterr().out
    assert "10 % owned by listed parties: Gulf Gate Shipping Co. LLC (EL) 10 % direct" in out
    assert "Under the 50 % of the affiliates rule" in out
    assert run(owned_db, "screen", "Unwatched Orchard Supplies") == 0
    assert "ownership:" not in capsys.readouterr().out


def test_affiliates_export_and_the_digest_count(
    owned_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(owned_db, "watchlist", "affiliates", "--out", "-") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["external_id"], r["status"], r["listed_share"]) for r in rows] == [
        ("W-1", "covered", "55.0")
    ]
    assert (
        rows[0]["listed_owners"]
        == "Gulf Gate Shipping Co. LLC (EL) 30 % direct; GEFEST-M LLC (SDN) 25 % direct"
    )
    assert rows[0]["terms_of"] == "GEFEST-M LLC"
    assert run(owned_db, "digest", "--print") == 0
    out = capsys.readouterr().out
    assert "Affiliates rule" in out and "1 counterparty 50 % or more owned by listed parties" in out


def test_slash_screen_and_the_app_home(
    engine: Engine,
    settings: Settings,
    slack_api: FakeSlackApi,
    signing_secret: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import_current_sample(engine, at=NOW)
    db = str(engine.url.render_as_string(hide_password=False))
    (tmp_path / "w.csv").write_text(WATCHLIST)
    (tmp_path / "o.csv").write_text(HOLDINGS)
    assert (
        run(
            db,
            "watchlist",
            "import",
            str(tmp_path / "w.csv"),
            "--name-column",
            "name",
            "--id-column",
            "id",
        )
        == 0
    )
    ownership = (
        "--owned-column",
        "owned",
        "--owner-column",
        "owner",
        "--percent-column",
        "percent",
    )
    assert run(db, "ownership", "import", str(tmp_path / "o.csv"), *ownership) == 0
    base = services_at(engine, settings, now=NOW)
    services = Services(
        engine=engine,
        screening=base.screening,
        clock=lambda: NOW,
        ownership=OwnershipService(
            engine=engine,
            screening=base.screening,
            thresholds=base.screening.thresholds,
            rule_state=lambda _s, today: f"in force since 2026-11-10 (today {today.isoformat()})",
            clock=lambda: NOW,
        ),
    )
    with bolt_app(settings, services, workers=2) as app:
        status, payload = screen(app, slack_api, signing_secret, "Lakeside Optics Ltd")
    assert status == 200
    text = json.dumps(payload["blocks"])
    assert "Ownership (affiliates rule)" in text
    assert "55 % owned by listed parties" in text
    # The rules' day is Washington's, not UTC's (this failed in a run just after 00:00 UTC).
    today = rules_today(NOW).isoformat()
    assert f"The rule today: in force since 2026-11-10 (today {today})" in text
    home = build_home_view(engine, now=NOW, lists=base.screening.lists_status())
    assert "*Affiliates rule*: 1 counterparty 50 % or more owned by listed parties" in json.dumps(
        home
    )

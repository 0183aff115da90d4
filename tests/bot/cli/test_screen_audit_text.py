"""No screening goes unaudited, whatever characters the query holds.

Tried, on SQLite and PostgreSQL (which refuses NUL in text): a NUL byte, an ANSI
escape sequence and other control characters in a signed `/screen` request, in the
"Share in channel" button's value, and in the CLI's `entitywatch screen`. Each time
the person gets the answer and exactly one audit row is written, with the bad
characters replaced by U+FFFD (so the trail shows something was there).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.cli.main import main
from bot.services.screening import ScreeningService
from bot.settings import Settings, load_settings, thresholds_of
from bot.slack.app import Services
from storage.models import ScreeningAuditRow
from tests.conftest import FIXTURES, fixture_bytes
from tests.fakes.bolt_apps import bolt_app
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import block_actions_body, bolt_request, sign, slash_command_body
from watchers.csl.importer import import_csl

NAME = "54th Research Institute of China"
HOSTILE = [
    ("nul", "54th Research\x00 Institute of China", "54th Research\ufffd Institute of China"),
    (
        "escape",
        "54th \x1bResearch Institute of China",
        "54th \ufffdResearch Institute of China",
    ),
    (
        "c1-and-del",
        "54th\x85Research\x7f Institute of China",
        "54th\ufffdResearch\ufffd Institute of China",
    ),
]


@pytest.fixture
def settings(slack_api: FakeSlackApi, signing_secret: str, db_url: str) -> Settings:
    return load_settings(
        slack_bot_token=slack_api.token,
        slack_signing_secret=signing_secret,
        slack_api_url=slack_api.base_url,
        database_url=db_url,
    )


@pytest.fixture
def app(engine: Engine, settings: Settings) -> Iterator[App]:
    import_csl(
        engine,
        fixture_bytes("csl", "consolidated-2019-sample.csv"),
        now=datetime.now(UTC),
        origin="test",
        max_removed_share=0.1,
    )
    services = Services(
        engine=engine, screening=ScreeningService(engine=engine, thresholds=thresholds_of(settings))
    )
    with bolt_app(settings, services) as app:
        yield app


def audit_rows(engine: Engine) -> list[ScreeningAuditRow]:
    with Session(engine) as session:
        return list(session.scalars(select(ScreeningAuditRow).order_by(ScreeningAuditRow.id)))


def eventually(check: Callable[[], Any], *, timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return value


@pytest.mark.parametrize(("raw", "stored"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_slash_command_with_control_characters_is_answered_and_audited(
    app: App,
    engine: Engine,
    slack_api: FakeSlackApi,
    signing_secret: str,
    raw: str,
    stored: str,
) -> None:
    body = slash_command_body(text=raw, response_url=slack_api.response_url())
    response = app.dispatch(bolt_request(body, sign(body, signing_secret)))
    assert response.status == 200
    payload = json.loads(response.body)
    # The answer names the listed party (after the lists' dating and any warning).
    assert NAME.upper() in json.dumps(payload["blocks"], ensure_ascii=False).upper()
    (row,) = eventually(lambda: audit_rows(engine))
    assert (row.origin, row.query, row.top_band) == ("slack", stored, "match")


def test_shared_answer_with_a_nul_is_audited(
    app: App, engine: Engine, slack_api: FakeSlackApi, signing_secret: str
) -> None:
    body = block_actions_body(
        action_id="screen_share",
        value="54th Research\x00 Institute of China",
        response_url=slack_api.response_url("share"),
    )
    assert app.dispatch(bolt_request(body, sign(body, signing_secret))).status == 200
    (shared,) = eventually(lambda: slack_api.responses)
    assert shared.payload["response_type"] == "in_channel"
    (row,) = eventually(lambda: audit_rows(engine))
    assert (row.origin, row.query) == ("slack-share", "54th Research\ufffd Institute of China")


def test_cli_screen_with_control_characters_is_audited(
    db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = str(FIXTURES / "csl" / "consolidated-2019-sample.csv")
    assert main(["lists", "import", sample, "--database-url", db_url]) == 0
    capsys.readouterr()
    for _, raw, _ in HOSTILE:
        # 4: the best candidate is a match (the exit status is the verdict).
        assert main(["screen", raw, "--json", "--database-url", db_url]) == 4
        answer = json.loads(capsys.readouterr().out)
        assert answer["results"] and answer["results"][0]["band"] == "match"
    assert [(r.origin, r.query) for r in audit_rows(engine)] == [
        ("cli", stored) for _, _, stored in HOSTILE
    ]

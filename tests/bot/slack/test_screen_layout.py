"""/screen in Slack on an invented Entity List family: signed requests into the real bolt app.

The same family as the terminal's test (tests/bot/cli/test_screen_answer_layout.py):
the parent first when all tie, the count before the candidates, the matched name and
the matched address each on their own labelled line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import Engine

from bot.settings import Settings
from bot.slack.app import Services
from tests.bot.cli.test_screen_answer_layout import OFFICE, PARENT, PARENT_ADDRESS, family_csv
from tests.bot.slack.test_app import services_at, settings  # noqa: F401  (fixture)
from tests.fakes.bolt_apps import bolt_app
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import bolt_request, sign, slash_command_body
from watchers.csl.importer import import_csl

NOW = datetime.now(UTC)


@pytest.fixture
def family_app(settings: Settings, engine: Engine) -> Iterator[App]:  # noqa: F811
    import_csl(engine, family_csv().encode(), now=NOW, origin="test", max_removed_share=0.1)
    services: Services = services_at(engine, settings, now=NOW)
    with bolt_app(settings, services) as app:
        yield app


def screen(app: App, slack_api: FakeSlackApi, secret: str, text: str) -> dict[str, Any]:
    body = slash_command_body(text=text, response_url=slack_api.response_url())
    response = app.dispatch(bolt_request(body, sign(body, secret)))
    assert response.status == 200
    payload: dict[str, Any] = json.loads(response.body)
    return payload


def result_texts(payload: dict[str, Any]) -> list[str]:
    return [
        block["text"]["text"]
        for block in payload["blocks"]
        if block["type"] == "section" and block["text"]["text"][1:2].isdigit()
    ]


def test_the_parent_first_and_the_count_before_the_candidates(
    family_app: App, slack_api: FakeSlackApi, signing_secret: str
) -> None:
    payload = screen(family_app, slack_api, signing_secret, "Vornak Systems Co., Ltd.")
    title, counted = payload["blocks"][0], payload["blocks"][1]
    assert "🔴 MATCH" in title["text"]["text"]
    assert counted["elements"][0]["text"] == (
        "5 candidates shown · +5 more on the Entity List, not shown"
    )
    results = result_texts(payload)
    assert results[0].startswith(f"*1. {PARENT}*  🔴 MATCH · score 1.00")
    assert results[1].startswith(f"*2. {OFFICE}*")
    assert "Address: No. 18 Tessel Road" in results[0] and "(and 1 more)" in results[0]


def test_an_address_query_keeps_the_name_and_the_matched_address_apart(
    family_app: App, slack_api: FakeSlackApi, signing_secret: str
) -> None:
    payload = screen(family_app, slack_api, signing_secret, PARENT_ADDRESS)
    first = result_texts(payload)[0]
    head, *lines = first.splitlines()
    assert head.startswith(f"*1. {PARENT}*") and "Tessel" not in head
    assert any(line.startswith("Matched address: _No. 18 Tessel Road") for line in lines)
    assert any(line.startswith("Other addresses: Building 7, Quarter C") for line in lines)


def test_a_query_that_displays_as_a_listed_name_is_a_match_and_shows_its_control(
    family_app: App, slack_api: FakeSlackApi, signing_secret: str
) -> None:
    shown = "Vornak Systems Co., Ltd."
    payload = screen(family_app, slack_api, signing_secret, "\u202e" + shown[::-1])
    title = payload["blocks"][0]["text"]["text"]
    assert "🔴 MATCH" in title
    assert f"\\u202e{shown[::-1]} (displays as “{shown}”)" in title
    # Nothing shown holds the control itself; the Share button keeps the query as typed.
    shown_parts = [payload["text"], json.dumps(payload["blocks"][:-1], ensure_ascii=False)]
    assert all("\u202e" not in part for part in shown_parts)
    assert payload["blocks"][-1]["elements"][0]["value"] == "\u202e" + shown[::-1]
    assert result_texts(payload)[0].startswith(f"*1. {PARENT}*")

"""The real bolt app with signed requests, talking to the local fake Slack Web API.

Tried: /screen with a name, with no text and with text the engine refuses; the
"Share in channel" button; App Home; a bad signature and a stale timestamp
(both 401), directly and through the HTTP server; /healthz. No false all-clear:
/screen and Share on a fresh install (no lists), on lists last refreshed 9 days
ago (the service's clock moved on) and on fresh lists, with the App Home's state.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from slack_bolt import App
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.services.screening import ScreeningService
from bot.settings import Settings, load_settings, thresholds_of
from bot.slack.app import Services
from bot.slack.http import create_http_server, make_wsgi, serve_until
from storage.models import ScreeningAuditRow
from tests.bot.lists_ages import import_current_sample
from tests.fakes.bolt_apps import bolt_app, bolt_apps
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import (
    CHANNEL_ID,
    USER_ID,
    block_actions_body,
    bolt_request,
    sign,
    sign_stale,
    sign_with_wrong_secret,
    slash_command_body,
)


@pytest.fixture
def settings(slack_api: FakeSlackApi, signing_secret: str, db_url: str) -> Settings:
    return load_settings(
        slack_bot_token=slack_api.token,
        slack_signing_secret=signing_secret,
        slack_api_url=slack_api.base_url,
        database_url=db_url,
    )


NOW = datetime.now(UTC)
UNLISTED = "Acme Widgets Plumbing Supplies"


def services_at(engine: Engine, settings: Settings, *, now: datetime) -> Services:
    """The services as the bot builds them, on a clock that reads `now`."""
    screening = ScreeningService(
        engine=engine,
        thresholds=thresholds_of(settings),
        clock=lambda: now,
        max_age=settings.lists_max_age,
    )
    return Services(engine=engine, screening=screening, clock=lambda: now)


@pytest.fixture
def services(engine: Engine, settings: Settings) -> Services:
    import_current_sample(engine, at=NOW)
    return services_at(engine, settings, now=NOW)


@pytest.fixture
def app(settings: Settings, services: Services) -> Iterator[App]:
    with bolt_app(settings, services, workers=4) as app:
        yield app


def eventually(check: Callable[[], Any], *, timeout: float = 5.0) -> Any:
    """The first truthy value of `check()`: listeners finish after the ack, in a thread."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def screen(app: App, slack_api: FakeSlackApi, secret: str, text: str) -> tuple[int, dict[str, Any]]:
    body = slash_command_body(text=text, response_url=slack_api.response_url())
    response = app.dispatch(bolt_request(body, sign(body, secret)))
    return response.status, json.loads(response.body) if response.body else {}


def test_screen_answers_privately_with_ranked_explained_results(
    app: App, slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    status, payload = screen(app, slack_api, signing_secret, "54th Research Institute of China")
    assert status == 200
    assert payload["response_type"] == "ephemeral"
    first = payload["blocks"][2]["text"]["text"]
    assert "54TH RESEARCH INSTITUTE" in first.upper() and "MATCH" in first and "Why:" in first
    assert payload["blocks"][-1]["elements"][0]["action_id"] == "screen_share"

    def audit_row() -> ScreeningAuditRow | None:
        with Session(engine) as session:
            return session.scalars(select(ScreeningAuditRow)).first()

    audit = eventually(audit_row)
    assert (audit.origin, audit.user_id, audit.channel_id) == ("slack", USER_ID, CHANNEL_ID)
    assert audit.query == "54th Research Institute of China" and audit.top_band == "match"
    assert audit.list_versions and audit.list_versions["csl"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", "Usage: `/screen"), ("   ", "Usage: `/screen"), ("Co., Ltd.", "Cannot screen")],
)
def test_screen_without_a_usable_name_explains(
    app: App, slack_api: FakeSlackApi, signing_secret: str, text: str, expected: str
) -> None:
    status, payload = screen(app, slack_api, signing_secret, text)
    assert status == 200 and payload["response_type"] == "ephemeral"
    assert payload["text"].startswith(expected)


@pytest.mark.parametrize(
    "make_headers", [sign_with_wrong_secret, sign_stale], ids=["bad-signature", "stale"]
)
def test_unsigned_or_stale_requests_get_401(
    app: App, slack_api: FakeSlackApi, signing_secret: str, make_headers: Any
) -> None:
    body = slash_command_body(text="Huawei", response_url=slack_api.response_url())
    assert app.dispatch(bolt_request(body, make_headers(body, signing_secret))).status == 401


def test_share_button_posts_the_answer_in_channel(
    app: App, slack_api: FakeSlackApi, signing_secret: str
) -> None:
    _, payload = screen(app, slack_api, signing_secret, "54th Research Institute of China")
    audit_id = payload["blocks"][-1]["elements"][0]["value"]
    body = block_actions_body(
        action_id="screen_share", value=audit_id, response_url=slack_api.response_url("share")
    )
    assert app.dispatch(bolt_request(body, sign(body, signing_secret))).status == 200
    (shared,) = eventually(lambda: slack_api.responses)
    assert shared.payload["response_type"] == "in_channel"
    assert "shared by" in json.dumps(shared.payload["blocks"])


def test_app_home_shows_sources_failed_alerts_and_screenings(
    app: App, slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    screen(app, slack_api, signing_secret, "54th Research Institute of China")

    def audited() -> int:
        with Session(engine) as session:
            return len(session.scalars(select(ScreeningAuditRow)).all())

    assert eventually(audited) == 1
    event = {
        "token": "x",
        "team_id": "T0FAKETEAM",
        "api_app_id": "A0APP",
        "type": "event_callback",
        "event_id": "Ev01",
        "event_time": 1700000000,
        "event": {"type": "app_home_opened", "user": "U0HOME", "channel": "D0HOME", "tab": "home"},
    }
    body = json.dumps(event)
    headers = sign(body, signing_secret) | {"content-type": "application/json"}
    assert app.dispatch(bolt_request(body, headers)).status == 200
    view = eventually(lambda: slack_api.view("U0HOME"))
    assert view is not None
    text = json.dumps(view)
    assert "Recent list actions" in text and "Failed alerts" in text and "match: 1" in text


@pytest.fixture
def http_base(app: App, engine: Engine, signing_secret: str) -> Iterator[str]:
    server = create_http_server(
        make_wsgi(app, health=lambda: {"ok": True}, signing_secret=signing_secret),
        host="127.0.0.1",
        port=0,
    )
    stop = threading.Event()
    thread = threading.Thread(target=serve_until, args=(server, stop), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=5)


def test_http_mode_serves_slack_events_and_health(
    http_base: str, slack_api: FakeSlackApi, signing_secret: str
) -> None:
    assert requests.get(f"{http_base}/healthz", timeout=5).json() == {"ok": True}
    body = slash_command_body(
        text="54th Research Institute of China", response_url=slack_api.response_url()
    )
    ok = requests.post(
        f"{http_base}/slack/events", data=body, headers=sign(body, signing_secret), timeout=5
    )
    assert ok.status_code == 200 and ok.json()["response_type"] == "ephemeral"
    bad = requests.post(
        f"{http_base}/slack/events",
        data=body,
        headers=sign_with_wrong_secret(body, signing_secret),
        timeout=5,
    )
    assert bad.status_code == 401
    assert requests.get(f"{http_base}/nope", timeout=5).status_code == 404


def test_screen_says_how_many_candidates_were_left_out(
    slack_api: FakeSlackApi, signing_secret: str, db_url: str, services: Services
) -> None:
    narrow = load_settings(
        slack_bot_token=slack_api.token,
        slack_signing_secret=signing_secret,
        slack_api_url=slack_api.base_url,
        database_url=db_url,
        screen_limit=1,
    )
    with bolt_app(narrow, services) as app:
        status, payload = screen(app, slack_api, signing_secret, "ABU SALEM Ibrahim")
    assert status == 200
    texts = [
        element["text"]
        for block in payload["blocks"]
        if block["type"] == "context"
        for element in block["elements"]
    ]
    counted = "1 candidate shown · +1 more on the Palestinian Legislative Council List, not shown"
    assert counted in texts
    # Under the verdict, before the candidates.
    kinds = [block["type"] for block in payload["blocks"]]
    assert kinds[:3] == ["section", "context", "section"]
    assert payload["blocks"][1]["elements"][0]["text"] == counted


# --- no false all-clear ------------------------------------------------------------------


@pytest.fixture
def app_for(settings: Settings, engine: Engine) -> Iterator[Callable[[datetime], App]]:
    """Apps over the same database whose clocks read a chosen moment."""
    with bolt_apps(workers=4) as make_app:
        yield lambda now: make_app(settings, services_at(engine, settings, now=now))


def answer_text(payload: dict[str, Any]) -> str:
    return json.dumps(payload["blocks"], ensure_ascii=False)


def audited_states(engine: Engine, count: int) -> list[tuple[str, str, str | None]]:
    def rows() -> list[tuple[str, str, str | None]]:
        with Session(engine) as session:
            found = session.scalars(select(ScreeningAuditRow).order_by(ScreeningAuditRow.id))
            return [(r.origin, r.top_band, r.lists_state) for r in found]

    return list(eventually(lambda: len(rows()) >= count and rows()))


def test_fresh_install_cannot_clear_in_slack(
    app_for: Callable[[datetime], App], slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    status, payload = screen(app_for(NOW), slack_api, signing_secret, "Hikvision")
    assert status == 200
    text = answer_text(payload)
    assert payload["text"] == "Screening Hikvision: cannot clear"
    assert "⚠️ CANNOT CLEAR" in payload["blocks"][0]["text"]["text"]
    assert "Cannot clear this name" in text and "lists not loaded" in text
    assert "no match" not in text
    assert "No Consolidated Screening List loaded" in text
    assert audited_states(engine, 1) == [("slack", "no match", "not_loaded")]


def test_stale_lists_cannot_clear_and_share_says_so_too(
    app_for: Callable[[datetime], App], slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    import_current_sample(engine, at=NOW)
    later = NOW + timedelta(days=9)
    app = app_for(later)
    _, payload = screen(app, slack_api, signing_secret, UNLISTED)
    text = answer_text(payload)
    assert payload["text"] == f"Screening {UNLISTED}: cannot clear"
    assert f"lists are 9 days old: last refresh {NOW.date().isoformat()}" in text
    assert "🟢" not in text
    # A hit on stale lists is still a hit, with the warning beside it.
    _, hit = screen(app, slack_api, signing_secret, "54th Research Institute of China")
    assert hit["text"].endswith(": match") and "The lists are not current" in answer_text(hit)
    body = block_actions_body(
        action_id="screen_share", value=UNLISTED, response_url=slack_api.response_url("share")
    )
    assert app.dispatch(bolt_request(body, sign(body, signing_secret))).status == 200
    (shared,) = eventually(lambda: slack_api.responses)
    assert shared.payload["response_type"] == "in_channel"
    assert shared.payload["text"] == f"Screening {UNLISTED}: cannot clear"
    # /screen queues its audit row for the batch writer, and Share writes its own before
    # it answers, so the rows' ids need not follow the order of the screenings.
    assert sorted(audited_states(engine, 3)) == [
        ("slack", "match", "stale"),
        ("slack", "no match", "stale"),
        ("slack-share", "no match", "stale"),
    ]


def test_fresh_lists_answer_no_match_with_the_lists_date(
    app: App, slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    _, payload = screen(app, slack_api, signing_secret, UNLISTED)
    text = answer_text(payload)
    assert payload["text"] == f"Screening {UNLISTED}: no match"
    assert "🟢 no match" in text and "CANNOT" not in text
    as_of = (NOW - timedelta(days=10)).date().isoformat()
    assert f"Lists as of {as_of} (newest CSL entry)" in text
    assert "no Federal Register rule read" in text
    assert audited_states(engine, 1) == [("slack", "no match", "fresh")]


def open_home(
    app: App, slack_api: FakeSlackApi, signing_secret: str, user: str, *, timeout: float = 5.0
) -> str:
    event = {
        "token": "x",
        "team_id": "T0FAKETEAM",
        "api_app_id": "A0APP",
        "type": "event_callback",
        "event_id": f"Ev{user}",
        "event_time": 1700000000,
        "event": {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"},
    }
    body = json.dumps(event)
    headers = sign(body, signing_secret) | {"content-type": "application/json"}
    assert app.dispatch(bolt_request(body, headers)).status == 200
    view = eventually(lambda: slack_api.view(user), timeout=timeout)
    return json.dumps(view, ensure_ascii=False)


def test_app_home_shows_whether_the_lists_can_clear(
    app_for: Callable[[datetime], App], slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    empty = open_home(app_for(NOW), slack_api, signing_secret, "U0EMPTY")
    assert "Screening cannot clear names" in empty and "lists not loaded" in empty
    import_current_sample(engine, at=NOW)
    fresh = open_home(app_for(NOW), slack_api, signing_secret, "U0FRESH")
    assert "Screening lists are current" in fresh and "lists as of" in fresh
    stale = open_home(app_for(NOW + timedelta(days=9)), slack_api, signing_secret, "U0STALE")
    assert "Screening cannot clear names" in stale and "lists are 9 days old" in stale

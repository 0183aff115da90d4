"""`/watch` and the decision buttons through the real bolt app, with signed requests.

Tried: add, list and remove by an editor; add by someone who is not an editor (refused,
nothing stored); *Confirm match*; *Not the same party…* opening the modal through the
fake Web API, then its submission with a reason and an expiry, with a blank reason
(refused in the modal) and by a non-editor.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.cli.main import main
from bot.services.digest.data import collect_digest
from bot.services.monitoring.confirmed import confirmed_lines
from bot.services.screening import ScreeningService
from bot.settings import Settings, load_settings, thresholds_of
from bot.slack.app import Services
from bot.slack.blocks.digest import digest_blocks
from storage.models import WatchDecisionRow, WatchHitRow, WatchlistRow
from tests.bot.slack.test_app import eventually
from tests.conftest import fixture_bytes
from tests.fakes.bolt_apps import bolt_app
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import (
    USER_ID,
    block_actions_body,
    bolt_request,
    sign,
    slash_command_body,
    view_submission_body,
)
from watchers.csl.importer import import_csl

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
OUTSIDER = "U0OUTSIDER"


@pytest.fixture
def settings(slack_api: FakeSlackApi, signing_secret: str, db_url: str) -> Settings:
    return load_settings(
        slack_bot_token=slack_api.token,
        slack_signing_secret=signing_secret,
        slack_api_url=slack_api.base_url,
        database_url=db_url,
        watchlist_editors=f"{USER_ID},U0OTHER",
    )


@pytest.fixture
def app(engine: Engine, settings: Settings) -> Iterator[App]:
    import_csl(
        engine,
        fixture_bytes("csl", "consolidated-2019-sample.csv"),
        now=NOW,
        origin="test",
        max_removed_share=0.1,
    )
    services = Services(
        engine=engine,
        screening=ScreeningService(engine=engine, thresholds=thresholds_of(settings)),
        clock=lambda: NOW,
    )
    with bolt_app(settings, services) as app:
        yield app


def watch(app: App, slack_api: FakeSlackApi, secret: str, text: str, user: str = USER_ID) -> Any:
    body = slash_command_body(
        text=text, command="/watch", user_id=user, response_url=slack_api.response_url()
    )
    response = app.dispatch(bolt_request(body, sign(body, secret)))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def click(app: App, slack_api: FakeSlackApi, secret: str, action: str, hit: int, user: str) -> None:
    body = block_actions_body(
        action_id=action, value=str(hit), response_url=slack_api.response_url(), user_id=user
    )
    assert app.dispatch(bolt_request(body, sign(body, secret))).status == 200


def submit(app: App, secret: str, *, metadata: str, reason: str, days: str, user: str) -> Any:
    values = {
        "reason": {"reason_input": {"type": "plain_text_input", "value": reason}},
        "expiry": {"expiry_input": {"type": "number_input", "value": days}},
    }
    body = view_submission_body(
        callback_id="watch_clear_modal", private_metadata=metadata, values=values, user_id=user
    )
    response = app.dispatch(bolt_request(body, sign(body, secret)))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def decisions(engine: Engine) -> list[WatchDecisionRow]:
    with Session(engine) as session:
        return list(session.scalars(select(WatchDecisionRow).order_by(WatchDecisionRow.id)))


def the_hit(engine: Engine) -> int:
    def found() -> int | None:
        with Session(engine) as session:
            return session.scalars(select(WatchHitRow.id)).first()

    hit = eventually(found)
    assert hit is not None
    return int(hit)


def test_editors_add_list_and_remove_and_others_are_refused(
    app: App, slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    refused = watch(app, slack_api, signing_secret, "add Nobody Ltd | X-1", user=OUTSIDER)
    assert refused["response_type"] == "ephemeral"
    assert refused["text"].startswith("Only the watchlist editors")
    watch(app, slack_api, signing_secret, "add 32 Group China Limited | C-32")
    answer = eventually(lambda: [r for r in slack_api.responses if "Added" in str(r.payload)])
    assert "Added 32 Group China Limited (id C-32)" in str(answer[0].payload)
    assert "1 possible match" in str(answer[0].payload)
    listing = watch(app, slack_api, signing_secret, "list", user=OUTSIDER)
    assert "1 counterparties on the watchlist" in listing["text"] and "C-32" in listing["text"]
    removed = watch(app, slack_api, signing_secret, "remove C-32")
    assert removed["text"] == "Removed 32 Group China Limited (id C-32) from the watchlist."
    with Session(engine) as session:
        (row,) = session.scalars(select(WatchlistRow)).all()
        assert row.retired_at is not None and row.added_by == f"slack:{USER_ID}"
    usage = watch(app, slack_api, signing_secret, "frobnicate")
    assert usage["text"].startswith("Usage: `/watch add")


def test_confirm_and_clear_buttons_record_decisions(
    app: App, slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    watch(app, slack_api, signing_secret, "add 32 Group China Limited | C-32")
    hit = the_hit(engine)
    click(app, slack_api, signing_secret, "watch_confirm", hit, OUTSIDER)
    click(app, slack_api, signing_secret, "watch_confirm", hit, USER_ID)
    (confirmed,) = eventually(lambda: decisions(engine))
    assert (confirmed.decision, confirmed.decided_by, confirmed.hit_id) == ("confirm", USER_ID, hit)
    assert eventually(lambda: [r for r in slack_api.responses if "Only the" in str(r.payload)])

    click(app, slack_api, signing_secret, "watch_clear", hit, USER_ID)
    (modal,) = eventually(lambda: slack_api.modals)
    assert modal["view"]["callback_id"] == "watch_clear_modal"
    metadata = modal["view"]["private_metadata"]
    expiry = modal["view"]["blocks"][2]["element"]
    assert expiry["initial_value"] == "180"

    blank = submit(app, signing_secret, metadata=metadata, reason="   ", days="180", user=USER_ID)
    assert blank["response_action"] == "errors" and "reason" in blank["errors"]
    outsider = submit(
        app, signing_secret, metadata=metadata, reason="x y z", days="9", user=OUTSIDER
    )
    assert outsider["response_action"] == "errors"
    ok = submit(
        app,
        signing_secret,
        metadata=metadata,
        reason="Different company, Kowloon",
        days="30",
        user=USER_ID,
    )
    assert ok == {}
    history = decisions(engine)
    assert [d.decision for d in history] == ["confirm", "clear"]
    cleared = history[-1]
    assert cleared.reason == "Different company, Kowloon" and cleared.decided_by == USER_ID
    assert cleared.expires_at == NOW + timedelta(days=30)


def open_home(app: App, slack_api: FakeSlackApi, secret: str) -> str:
    event = {
        "token": "x",
        "team_id": "T0FAKETEAM",
        "api_app_id": "A0APP",
        "type": "event_callback",
        "event_id": "Ev02",
        "event_time": 1700000000,
        "event": {"type": "app_home_opened", "user": "U0HOME", "channel": "D0HOME", "tab": "home"},
    }
    body = json.dumps(event)
    headers = sign(body, secret) | {"content-type": "application/json"}
    assert app.dispatch(bolt_request(body, headers)).status == 200
    return json.dumps(eventually(lambda: slack_api.view("U0HOME")))


def test_a_confirmed_match_shows_in_screen_app_home_digest_and_audit_export(
    app: App,
    slack_api: FakeSlackApi,
    signing_secret: str,
    engine: Engine,
    db_url: str,
    tmp_path: Path,
) -> None:
    watch(app, slack_api, signing_secret, "add 32 Group China Limited | C-32")
    hit = the_hit(engine)
    click(app, slack_api, signing_secret, "watch_confirm", hit, USER_ID)
    eventually(lambda: decisions(engine))

    body = slash_command_body(text="32 Group China", response_url=slack_api.response_url())
    answer = json.loads(app.dispatch(bolt_request(body, sign(body, signing_secret))).body)
    notes = [b for b in answer["blocks"] if "Decision:" in json.dumps(b)]
    assert len(notes) == 1
    assert "32 Group China Limited (id C-32) confirmed as a match by U0EMPLOYEE" in json.dumps(
        notes[0]
    )
    assert "Confirmed counterparty matches" in open_home(app, slack_api, signing_secret)
    with Session(engine) as session:
        digest = collect_digest(session, since=NOW - timedelta(days=7), until=NOW)
    (line,) = digest.confirmed_matches
    assert line.startswith(
        f"hit #{hit}: 32 Group China Limited (id C-32) is 32 Group China Ltd. (Entity List)"
    )
    assert "Confirmed counterparty matches" in json.dumps(digest_blocks(digest))

    out = tmp_path / "decisions.csv"
    assert (
        main(["audit", "export", "--decisions", "--out", str(out), "--database-url", db_url]) == 0
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["decision"], r["decided_by"], r["counterparty_id"]) for r in rows] == [
        ("confirm", USER_ID, "C-32")
    ]


def test_resolve_ends_a_confirmed_match(
    app: App, slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    watch(app, slack_api, signing_secret, "add 32 Group China Limited | C-32")
    hit = the_hit(engine)
    click(app, slack_api, signing_secret, "watch_confirm", hit, USER_ID)
    eventually(lambda: decisions(engine))
    refused = watch(app, slack_api, signing_secret, f"resolve {hit} closed", user=OUTSIDER)
    assert refused["text"].startswith("Only the watchlist editors")
    bad = watch(app, slack_api, signing_secret, "resolve twelve")
    assert bad["text"].startswith("say which hit and how")
    unknown = watch(app, slack_api, signing_secret, "resolve 999 account closed")
    assert unknown["text"] == "Not recorded: no counterparty hit #999"
    done = watch(app, slack_api, signing_secret, f"resolve #{hit} account closed, goods stopped")
    assert done["text"].endswith("resolved.")
    assert [d.decision for d in decisions(engine)] == ["confirm", "resolve"]
    with Session(engine) as session:
        assert confirmed_lines(session) == ()

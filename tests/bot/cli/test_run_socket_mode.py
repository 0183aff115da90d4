"""`entitywatch run` as a real process in Socket Mode, against a local Socket Mode server.

The process gets SLACK_APP_TOKEN and no signing secret; the real slack_sdk client asks
the fake Web API's apps.connections.open for a URL, connects to tests/fakes/socket_mode.py
and answers envelopes: /screen in its ack payload, a "share" button through the
response_url, app_home_opened with views.publish. Slack then asks for a reconnect
(`disconnect`); the envelopes sent while the app moves to its new connection are all
acknowledged and answered, none lost; a connection that just closes is replaced too.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from bot.slack.blocks.screen import SHARE_ACTION
from tests.bot.cli.test_run import CHANNEL, bot_env
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import block_actions_payload, slash_command_body
from tests.fakes.socket_mode import FakeSocketMode
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import RecordedSites

LISTED = "54th Research Institute of China"


def eventually(check: Callable[[], Any], *, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return result


@pytest.fixture
def socket_mode(slack_api: FakeSlackApi) -> Iterator[FakeSocketMode]:
    with FakeSocketMode() as fake:
        slack_api.serve_socket_mode(fake.issue_url)
        yield fake


@pytest.fixture
def socket_bot(
    slack_api: FakeSlackApi,
    socket_mode: FakeSocketMode,
    source_server: SourceServer,
    tmp_path: Path,
    signing_secret: str,
) -> Iterator[subprocess.Popen[str]]:
    sites = RecordedSites(server=source_server)
    sites.serve_everything()
    env = bot_env(slack_api=slack_api, sites=sites, tmp_path=tmp_path, secret=signing_secret)
    del env["SLACK_SIGNING_SECRET"]  # Socket Mode needs none: the connection is authenticated
    env["SLACK_APP_TOKEN"] = slack_api.app_token
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while socket_mode.connections < 1 and time.monotonic() < deadline:
            if process.poll() is not None:
                out = process.stdout.read() if process.stdout else ""
                pytest.fail(f"entitywatch run exited: {out}")
            time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def screen_form(text: str, slack_api: FakeSlackApi, token: str) -> dict[str, str]:
    body = slash_command_body(text=text, response_url=slack_api.response_url(token))
    return dict(parse_qsl(body))


def home_event(user: str, event_id: str) -> dict[str, Any]:
    return {
        "token": "deprecated-verification-token",
        "team_id": "T0FAKETEAM",
        "api_app_id": "A0ENTITYWATCH",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"},
    }


def answer_text(socket_mode: FakeSocketMode, envelope_id: str) -> str:
    ack = socket_mode.wait_ack(envelope_id)
    assert ack.payload is not None, f"/screen acked without an answer: {ack}"
    assert ack.payload["response_type"] == "ephemeral"
    return json.dumps(ack.payload)


def test_socket_mode_answers_screen_buttons_and_home_across_a_reconnect(
    socket_bot: subprocess.Popen[str], socket_mode: FakeSocketMode, slack_api: FakeSlackApi
) -> None:
    # The first poll loads the bundled lists: wait for it so /screen can name the entry.
    def baseline() -> bool:
        return any(
            m["text"] == "entitywatch baseline recorded" for m in slack_api.messages(CHANNEL)
        )

    assert eventually(baseline, timeout=60)
    first = socket_mode.send_slash_command(screen_form(LISTED, slack_api, "screen-1"))
    assert LISTED in answer_text(socket_mode, first)

    shared = socket_mode.send_interaction(
        block_actions_payload(
            action_id=SHARE_ACTION, value=LISTED, response_url=slack_api.response_url("share-1")
        )
    )
    assert socket_mode.wait_ack(shared).payload in (None, {})
    posts = eventually(lambda: [r for r in slack_api.responses if r.token == "share-1"])
    assert len(posts) == 1 and LISTED in json.dumps(posts[0].payload)

    home = socket_mode.send_event(home_event("U0HOME1", "Ev0001"))
    socket_mode.wait_ack(home)
    assert "Recent list actions" in json.dumps(eventually(lambda: slack_api.view("U0HOME1")))

    # Slack refreshes the connection: envelopes sent right after the warning, on the old
    # connection, and after the app has reconnected must all be answered exactly once.
    old = socket_mode.disconnect()
    during = [
        socket_mode.send_slash_command(screen_form(f"{LISTED} {n}", slack_api, f"during-{n}"))
        for n in range(3)
    ]
    during_home = socket_mode.send_event(home_event("U0HOME2", "Ev0002"))
    socket_mode.wait_connections(old + 1)
    after = socket_mode.send_slash_command(screen_form("Hikvision", slack_api, "after"))

    for n, envelope_id in enumerate(during):
        assert f"{LISTED} {n}" in answer_text(socket_mode, envelope_id)
    assert "Hikvision" in answer_text(socket_mode, after)
    socket_mode.wait_ack(during_home)
    assert eventually(lambda: slack_api.view("U0HOME2")) is not None
    assert socket_mode.acks(after)[0].connection == old + 1
    # The old connection's tickets were used once; no envelope needed a second delivery.
    assert socket_mode.refused_tickets == []
    assert socket_mode.redelivered == []
    for envelope_id in [first, shared, home, *during, during_home, after]:
        assert len(socket_mode.acks(envelope_id)) == 1, envelope_id
    # A connection that just closes, without a warning: the app connects again by itself.
    dropped = socket_mode.drop()
    socket_mode.wait_connections(dropped + 1)
    last = socket_mode.send_slash_command(screen_form(LISTED, slack_api, "after-drop"))
    assert LISTED in answer_text(socket_mode, last)
    assert socket_mode.refused_tickets == [] and socket_mode.redelivered == []
    views = [c for c in slack_api.calls("views.publish") if c.error is None]
    assert {c.params["user_id"] for c in views} == {"U0HOME1", "U0HOME2"}

    socket_bot.send_signal(signal.SIGTERM)
    output, _ = socket_bot.communicate(timeout=30)
    assert socket_bot.returncode == 0, output
    assert "run.socket_mode" in output and "Traceback" not in output
    # APScheduler warned on every start: a first run "missed by" the seconds start-up took,
    # and a job "skipped: maximum number of running instances reached".
    assert "apscheduler" not in output, output

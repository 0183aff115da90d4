"""The HTTP edge of `entitywatch run`, through waitress over real HTTP.

Tried: a binary body, `payload=` that is not JSON, a JSON array, a non-numeric and a
missing timestamp, no signature, a signed body that is not a Slack payload, an
oversized body; 150 idle sockets held open while /healthz and a signed /screen must
still answer; a burst of queued requests must not log one line each.
Each rejected request gets 400/401 (413 when too large) and one log line, never a
traceback.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from slack_bolt import App

from bot.services.screening import ScreeningService
from bot.settings import Settings, load_settings, thresholds_of
from bot.slack.app import Services
from bot.slack.http import (
    HttpLimits,
    create_http_server,
    make_wsgi,
    serve_until,
)
from storage.engine import create_db_engine
from storage.migrate import upgrade
from tests.conftest import fixture_bytes
from tests.fakes.bolt_apps import bolt_app
from tests.fakes.fixtures import SIGNING_SECRET
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import sign, slash_command_body
from watchers.csl.importer import import_csl

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def settings(slack_api: FakeSlackApi, signing_secret: str, tmp_path: Path) -> Settings:
    return load_settings(
        slack_bot_token=slack_api.token,
        slack_signing_secret=signing_secret,
        slack_api_url=slack_api.base_url,
        database_url=f"sqlite:///{tmp_path / 'edge.db'}",
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[App]:
    engine = create_db_engine(settings.database_url)
    upgrade(engine)
    import_csl(
        engine,
        fixture_bytes("csl", "consolidated-2019-sample.csv"),
        now=datetime.now(UTC),
        origin="test",
        max_removed_share=0.1,
    )
    screening = ScreeningService(engine=engine, thresholds=thresholds_of(settings))
    screening.refresh()
    with bolt_app(settings, Services(engine=engine, screening=screening), workers=4) as app:
        yield app
    engine.dispose()


def slow_health() -> dict[str, object]:
    time.sleep(0.01)  # long enough for a burst to queue behind one thread
    return {"ok": True}


def serve(app: App, limits: HttpLimits | None = None) -> tuple[str, threading.Event]:
    url, stop, _ = serve_with_server(app, limits)
    return url, stop


def serve_with_server(
    app: App, limits: HttpLimits | None = None
) -> tuple[str, threading.Event, Any]:
    server = create_http_server(
        make_wsgi(app, health=slow_health, signing_secret=SIGNING_SECRET),
        host="127.0.0.1",
        port=0,
        limits=limits or HttpLimits(),
    )
    stop = threading.Event()
    threading.Thread(target=serve_until, args=(server, stop), daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}", stop, server


@pytest.fixture
def base(app: App) -> Iterator[str]:
    url, stop = serve(app)
    yield url
    stop.set()


def stamp() -> str:
    return str(int(time.time()))


MALFORMED: list[tuple[str, bytes, dict[str, str], int]] = [
    ("binary body", b"\xff\xfe\x00\x81payload", {"x-slack-request-timestamp": stamp()}, 400),
    ("payload is not JSON", b"payload=%7Bnot-json", {"x-slack-request-timestamp": stamp()}, 401),
    ("JSON array", b"[1, 2, 3]", {"content-type": "application/json"}, 401),
    ("non-numeric timestamp", b"command=%2Fscreen", {"x-slack-request-timestamp": "soon"}, 400),
    ("no headers at all", b"command=%2Fscreen&text=x", {}, 401),
]


@pytest.mark.parametrize(("label", "body", "headers", "status"), MALFORMED)
def test_unsigned_malformed_requests_are_refused_in_one_line(
    base: str,
    caplog: pytest.LogCaptureFixture,
    label: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
) -> None:
    caplog.set_level(logging.INFO)
    sent = {"content-type": FORM, "x-slack-signature": "v0=" + "0" * 64, **headers}
    answer = requests.post(f"{base}/slack/events", data=body, headers=sent, timeout=10)
    assert answer.status_code == status, label
    rejected = [r for r in caplog.records if r.getMessage().startswith("slack.request_rejected")]
    assert len(rejected) == 1, label
    assert not any(r.exc_info for r in caplog.records), label
    assert all(r.levelno < logging.ERROR for r in caplog.records), label


@pytest.mark.parametrize(
    ("label", "body", "content_type"),
    [
        ("signed payload that is not JSON", "payload=%7Bnot-json", FORM),
        ("signed JSON array", "[1, 2, 3]", "application/json"),
        ("signed JSON string", '"hello"', "application/json"),
    ],
)
def test_signed_but_malformed_bodies_get_400(
    base: str,
    signing_secret: str,
    caplog: pytest.LogCaptureFixture,
    label: str,
    body: str,
    content_type: str,
) -> None:
    headers = {**sign(body, signing_secret), "content-type": content_type}
    answer = requests.post(f"{base}/slack/events", data=body, headers=headers, timeout=10)
    assert answer.status_code == 400, label
    assert not any(r.exc_info for r in caplog.records), label


def test_an_oversized_body_is_refused_before_it_is_read(
    base: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = b"text=" + b"a" * (2 * 1024 * 1024)
    headers = {"content-type": FORM, "x-slack-request-timestamp": stamp()}
    answer = requests.post(f"{base}/slack/events", data=body, headers=headers, timeout=10)
    assert answer.status_code == 413
    assert not any(r.exc_info for r in caplog.records)


def test_a_signed_screen_still_works_through_the_edge(
    base: str, slack_api: FakeSlackApi, signing_secret: str
) -> None:
    body = slash_command_body(text="Huawei", response_url=slack_api.response_url())
    answer = requests.post(
        f"{base}/slack/events", data=body, headers=sign(body, signing_secret), timeout=10
    )
    assert answer.status_code == 200 and answer.json()["response_type"] == "ephemeral"


def test_idle_sockets_do_not_starve_health_and_slack(
    base: str, slack_api: FakeSlackApi, signing_secret: str
) -> None:
    host, port = base.removeprefix("http://").split(":")
    idle: list[socket.socket] = []
    try:
        for _ in range(150):
            idle.append(socket.create_connection((host, int(port)), timeout=5))
        time.sleep(0.5)  # let the server accept them all
        started = time.monotonic()
        assert requests.get(f"{base}/healthz", timeout=5).status_code == 200
        body = slash_command_body(text="Huawei", response_url=slack_api.response_url())
        answer = requests.post(
            f"{base}/slack/events", data=body, headers=sign(body, signing_secret), timeout=5
        )
        assert answer.status_code == 200
        assert time.monotonic() - started < 5
    finally:
        for sock in idle:
            sock.close()


def test_idle_sockets_are_closed_after_the_idle_timeout(app: App) -> None:
    url, stop = serve(app, HttpLimits(channel_timeout=1, cleanup_interval=1))
    host, port = url.removeprefix("http://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            started = time.monotonic()
            assert sock.recv(1) == b""  # the server hung up on the idle client
            assert time.monotonic() - started < 8
    finally:
        stop.set()


def test_a_burst_of_queued_requests_logs_a_few_lines_not_one_each(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    """Tried: 400 probes from 40 clients on one worker thread. Before, waitress logged a
    warning for every request that waited (built under its queue's lock)."""
    caplog.set_level(logging.INFO)
    url, stop, server = serve_with_server(app, HttpLimits(threads=1))
    backlog = server.task_dispatcher.backlog
    try:
        with ThreadPoolExecutor(max_workers=40) as pool:
            answers = list(
                pool.map(lambda _: requests.get(f"{url}/healthz", timeout=30), range(400))
            )
    finally:
        stop.set()
    assert all(a.status_code == 200 for a in answers)
    # Many requests waited (one thread, 40 clients) ...
    assert backlog.seen >= 20
    # ... and at most a line per 30 s window reached the log, none of them waitress' own.
    assert not [r for r in caplog.records if r.name == "waitress.queue"]
    lines = [r.getMessage() for r in caplog.records if "queue_backlog" in r.getMessage()]
    assert 1 <= len(lines) <= 2, lines
    assert all(line.startswith("http.queue_backlog depth=") for line in lines)


def test_a_health_probe_waits_for_the_next_free_worker_not_for_the_queue() -> None:
    """Tried: one worker held by a slow request and five requests queued behind it; a probe
    sent last is served next (before, it waited for all five: a busy replica looked dead)."""
    release = threading.Event()
    served: list[str] = []

    def wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        served.append(environ["PATH_INFO"] + environ.get("QUERY_STRING", ""))
        if environ["PATH_INFO"] == "/slow":
            release.wait(10)
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    server = create_http_server(wsgi, host="127.0.0.1", port=0, limits=HttpLimits(threads=1))
    stop = threading.Event()
    threading.Thread(target=serve_until, args=(server, stop), daemon=True).start()
    url = f"http://127.0.0.1:{server.effective_port}"

    def queued() -> int:
        with server.task_dispatcher.lock:
            return len(server.task_dispatcher.queue)

    def wait_for(check: Any) -> None:
        deadline = time.monotonic() + 10
        while not check() and time.monotonic() < deadline:
            time.sleep(0.01)

    try:
        with ThreadPoolExecutor(max_workers=7) as pool:
            answers = [pool.submit(requests.get, f"{url}/slow?n=0", timeout=30)]
            wait_for(lambda: served == ["/slown=0"])  # the one worker is held
            answers += [
                pool.submit(requests.get, f"{url}/slow?n={n}", timeout=30) for n in range(1, 6)
            ]
            wait_for(lambda: queued() == 5)
            answers.append(pool.submit(requests.get, f"{url}/healthz", timeout=30))
            wait_for(lambda: queued() == 6)
            release.set()
            assert all(a.result().status_code == 200 for a in answers)
    finally:
        release.set()
        stop.set()
    assert served[:2] == ["/slown=0", "/healthz"]
    assert sorted(served[2:]) == [f"/slown={n}" for n in range(1, 6)]

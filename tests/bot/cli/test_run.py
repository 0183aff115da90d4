"""`entitywatch run` as a real process in HTTP mode, against the local fakes.

It must serve /healthz and signed /screen requests, poll the recorded sources,
and post the baseline summary to the alert channel; its start-up errors (no
token, a refused token, a taken port) are one line each.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.engine import create_db_engine
from storage.models import ScreeningAuditRow
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import sign, slash_command_body
from tests.watchers.recorded import RecordedSites

CHANNEL = "C0ALERTS"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bot_env(
    *, slack_api: FakeSlackApi, sites: RecordedSites, tmp_path: Path, secret: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env.update(sites.environment())
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
            "SLACK_BOT_TOKEN": slack_api.token,
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_API_URL": slack_api.base_url,
            "ALERT_CHANNEL": CHANNEL,
            "PORT": str(free_port()),
            "HTTP_READ_TIMEOUT": "5",
            # SIGABRT then prints every thread's stack (see `stopped_output`).
            "PYTHONFAULTHANDLER": "1",
        }
    )
    return env


def stopped_output(process: subprocess.Popen[str], *, within: float) -> str:
    """The output of a process told to stop; killed, and the test failed, if it has not
    stopped `within` seconds later. The failure says where it hung: SIGABRT makes a
    process started with `bot_env` print every thread's stack."""
    try:
        output, _ = process.communicate(timeout=within)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        output, _ = process.communicate()
        raise AssertionError(
            f"not stopped {within} s after the signal:\n{output[-8000:]}"
        ) from None
    return output


@pytest.fixture
def bot(
    slack_api: FakeSlackApi, sites: RecordedSites, tmp_path: Path, signing_secret: str
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    env = bot_env(slack_api=slack_api, sites=sites, tmp_path=tmp_path, secret=signing_secret)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(
                    f"entitywatch run exited: {process.stdout.read() if process.stdout else ''}"
                )
            try:
                if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        yield base, process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def test_run_serves_slack_and_posts_the_baseline(
    bot: tuple[str, subprocess.Popen[str]], slack_api: FakeSlackApi, signing_secret: str
) -> None:
    base, _ = bot
    # The server answers before the scheduler's first leadership tick has run, so the only
    # replica becomes leader moments after its first healthy probe, not necessarily by then.
    deadline = time.monotonic() + 30
    health = requests.get(f"{base}/healthz", timeout=5).json()
    while not health["leader"] and time.monotonic() < deadline:
        time.sleep(0.2)
        health = requests.get(f"{base}/healthz", timeout=5).json()
    assert health["ok"] and health["database"] and health["leader"]
    body = slash_command_body(
        text="54th Research Institute of China", response_url=slack_api.response_url()
    )

    def baselines() -> list[str]:
        texts = [m["text"] for m in slack_api.messages(CHANNEL)]
        return [t for t in texts if t == "entitywatch baseline recorded"]

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not baselines():
        time.sleep(0.3)
    # The first poll baselines every source; one summary, not hundreds of additions. (The
    # new leader polls every source at once, so a Public Inspection filing, which is news
    # from the first poll, may be posted before or after it.)
    assert baselines() == ["entitywatch baseline recorded"]
    assert not any("List updated" in m["text"] for m in slack_api.messages(CHANNEL))
    answer = requests.post(
        f"{base}/slack/events", data=body, headers=sign(body, signing_secret), timeout=10
    )
    assert answer.status_code == 200
    assert answer.json()["response_type"] == "ephemeral"
    assert "54th Research Institute of China" in answer.text


def test_sigterm_stops_run_cleanly_with_every_answer_audited(
    bot: tuple[str, subprocess.Popen[str]],
    slack_api: FakeSlackApi,
    signing_secret: str,
    tmp_path: Path,
) -> None:
    """A service manager's SIGTERM right after a burst of /screen: the answers' audit rows,
    written after each answer, are all in the database when `run` has ended."""
    base, process = bot
    names = [f"Burst Trading Company {n}" for n in range(30)]

    def screen(name: str) -> int:
        body = slash_command_body(text=name, response_url=slack_api.response_url())
        answer = requests.post(
            f"{base}/slack/events", data=body, headers=sign(body, signing_secret), timeout=30
        )
        return answer.status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        assert set(pool.map(screen, names)) == {200}
    process.send_signal(signal.SIGTERM)
    output = stopped_output(process, within=60)
    assert process.returncode == 0, output
    assert "run.stopping signal=SIGTERM" in output and "Traceback" not in output
    engine = create_db_engine(f"sqlite:///{tmp_path / 'run.db'}")
    try:
        with Session(engine) as session:
            audited = set(session.scalars(select(col(ScreeningAuditRow.query))))
    finally:
        engine.dispose()
    assert audited >= set(names)


def test_run_starts_without_library_noise(bot: tuple[str, subprocess.Popen[str]]) -> None:
    _, process = bot
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # a slow shutdown is not what this test is about
        process.kill()
        output, _ = process.communicate()
    # bolt warned on every start that the token it read from the environment "will be unused".
    assert "will be unused" not in output
    assert "slack_sdk" not in output and "Traceback" not in output
    # APScheduler's "missed by" and "maximum number of running instances" on every start.
    assert "apscheduler" not in output


def run_cli(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN is not set"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-not-the-right-one"},
            "Slack refused SLACK_BOT_TOKEN (invalid_auth)",
        ),
        ({"SLACK_BOT_TOKEN": "not-a-token"}, "setting SLACK_BOT_TOKEN: must be a bot token"),
        ({"ALERT_CHANNEL": ""}, "ALERT_CHANNEL is not set"),
        # Socket Mode: the app-level token is tried before anything starts.
        (
            {"SLACK_APP_TOKEN": "xapp-not-the-right-one"},
            "Slack refused SLACK_APP_TOKEN (invalid_auth)",
        ),
        # slack_sdk's own "Failed to send a request" lines must not come before this one.
        ({"SLACK_API_URL": "http://127.0.0.1:1/api/"}, "cannot reach Slack at SLACK_API_URL"),
        ({"SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET is not set"),
        ({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}, "cannot use the database"),
    ],
)
def test_start_up_errors_are_one_line(
    slack_api: FakeSlackApi,
    sites: RecordedSites,
    tmp_path: Path,
    signing_secret: str,
    change: dict[str, str],
    message: str,
) -> None:
    env = bot_env(slack_api=slack_api, sites=sites, tmp_path=tmp_path, secret=signing_secret)
    for name, value in change.items():
        if value:
            env[name] = value
        else:
            env.pop(name, None)
    done = run_cli(env)
    assert done.returncode == 1
    assert message in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("declare", "message"),
    [
        (
            "declare_not_joined",
            "the bot is not in channel C0ALERTS: type `/invite @entitywatch` there",
        ),
        ("declare_unknown_channel", "channel C0ALERTS does not exist"),
    ],
)
def test_a_channel_the_bot_cannot_use_is_one_line(
    slack_api: FakeSlackApi,
    sites: RecordedSites,
    tmp_path: Path,
    signing_secret: str,
    declare: str,
    message: str,
) -> None:
    getattr(slack_api, declare)(CHANNEL)
    done = run_cli(
        bot_env(slack_api=slack_api, sites=sites, tmp_path=tmp_path, secret=signing_secret)
    )
    assert done.returncode == 1
    assert message in done.stderr and done.stderr.count("\n") == 1


def test_a_taken_port_is_one_line(
    slack_api: FakeSlackApi, sites: RecordedSites, tmp_path: Path, signing_secret: str
) -> None:
    env = bot_env(slack_api=slack_api, sites=sites, tmp_path=tmp_path, secret=signing_secret)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", int(env["PORT"])))
        holder.listen()
        done = run_cli(env)
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{env['PORT']}" in done.stderr and "set PORT" in done.stderr

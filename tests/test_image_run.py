"""The container image, run as an operator runs it, against PostgreSQL.

Needs a built image: `.ci/image` builds deploy/Dockerfile with podman and runs this file
with ENTITYWATCH_IMAGE set; without it these tests are skipped (`make test` does not build
images). The containers share the host's network, so they reach this machine's
PostgreSQL (a schema of its own, from the `postgres_url` fixture), the fake Slack Web API
and the recorded sources on loopback, as a replica reaches its database and Slack.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.bot.cli.test_run import bot_env
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import sign, slash_command_body
from tests.watchers.recorded import RecordedSites

IMAGE = os.environ.get("ENTITYWATCH_IMAGE", "")
# The bundled May 2022 CSL snapshot inside the image, as the README's steps name it.
SNAPSHOT = "/opt/entitywatch/venv/lib/python3.11/site-packages/bot/data/consolidated-2022-05.csv.gz"
README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not IMAGE, reason="set ENTITYWATCH_IMAGE (.ci/image builds one)"),
]


def podman(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    assert shutil.which("podman"), "podman is not installed"
    return subprocess.run(
        ["podman", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def entitywatch(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`entitywatch ARGS` in a throwaway container of the image, with `env` passed in."""
    flags = [f"--env={k}={v}" for k, v in sorted(env.items())]
    return podman("run", "--rm", "--network=host", "--no-healthcheck", *flags, IMAGE, *args)


@pytest.fixture
def env(
    postgres_url: str,
    slack_api: FakeSlackApi,
    sites: RecordedSites,
    tmp_path: Path,
    signing_secret: str,
) -> dict[str, str]:
    """What an operator's env file holds: Slack, the database, the sources (all local)."""
    full = bot_env(slack_api=slack_api, sites=sites, tmp_path=tmp_path, secret=signing_secret)
    wanted = {k: v for k, v in full.items() if k not in os.environ or os.environ[k] != v}
    wanted["DATABASE_URL"] = postgres_url
    wanted.pop("PATH", None)
    return wanted


@pytest.fixture
def served(env: dict[str, str]) -> Iterator[str]:
    """`run` in HTTP mode, detached, on a migrated database; its base URL once healthy."""
    upgraded = entitywatch(env, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    name = f"entitywatch-test-{uuid.uuid4().hex[:8]}"
    flags = [f"--env={k}={v}" for k, v in sorted(env.items())]
    started = podman(
        # No systemd here to time the image's HEALTHCHECK: the test probes /healthz itself.
        "run", "--detach", "--network=host", "--no-healthcheck", f"--name={name}", *flags, IMAGE,
        "run", "--host", "127.0.0.1",
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        deadline = time.monotonic() + 120
        healthy = False
        while time.monotonic() < deadline and not healthy:
            state = podman("inspect", "--format", "{{.State.Running}}", name).stdout.strip()
            assert state == "true", podman("logs", name).stdout + podman("logs", name).stderr
            try:
                healthy = requests.get(f"{base}/healthz", timeout=2).status_code == 200
            except requests.RequestException:
                time.sleep(0.5)
        assert healthy, podman("logs", name).stderr
        yield base
    finally:
        podman("stop", "--time=20", name, timeout=60)
        podman("rm", "--force", name, timeout=60)


def test_the_image_migrates_imports_the_bundled_snapshot_and_screens(
    env: dict[str, str],
) -> None:
    upgraded = entitywatch(env, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    current = entitywatch(env, "db", "current")
    assert current.returncode == 0 and "up to date" in current.stdout, current.stdout
    assert f"entitywatch lists import {SNAPSHOT}" in README  # the README's step is this one
    imported = entitywatch(env, "lists", "import", SNAPSHOT)
    assert imported.returncode == 0, imported.stderr
    assert "baseline" in imported.stdout, imported.stdout
    screened = entitywatch(env, "screen", "54th Research Institute of China")
    # 4: a match, the verdict as the exit status.
    assert screened.returncode == 4, screened.stdout + screened.stderr
    assert "54th Research Institute" in screened.stdout


def test_the_image_serves_http_against_postgresql(
    served: str, signing_secret: str, slack_api: FakeSlackApi
) -> None:
    health = requests.get(f"{served}/healthz", timeout=5).json()
    assert health["ok"] and health["database"], health
    body = slash_command_body(text="Huawei", response_url=slack_api.response_url())
    answer = requests.post(
        f"{served}/slack/events", data=body, headers=sign(body, signing_secret), timeout=10
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["response_type"] == "ephemeral"

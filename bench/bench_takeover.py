"""Leader takeover with the default settings: two `entitywatch run` replicas on PostgreSQL.

Run: `.venv/bin/python -m bench.bench_takeover [--stale-after S]`
Targets (issue 12): another replica polls <= 15 s after the leader's `kill -9`, and
takes over <= 75 s after the leader freezes (SIGSTOP); LEADER_STALE_AFTER defaults
to 60 s. Slack and the sources are the local fakes of the test suite. Not part of
`python -m bench` (it needs PostgreSQL and about two minutes).
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import postgres_schema
from tests.bot.cli.test_run import bot_env, free_port
from tests.bot.replicas import Replica, start_replica, wait_for, wait_healthy
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import RecordedSites


def start_pair(env: dict[str, str]) -> list[Replica]:
    pair = [start_replica(f"r{i}", {**env, "PORT": str(free_port())}) for i in range(2)]
    for replica in pair:
        wait_healthy(replica)
    return pair


def measure(env: dict[str, str], *, freeze: bool) -> float:
    pair = start_pair(env)
    try:
        leader = wait_for(pair, "leader.elected", after=0.0, timeout=60)
        wait_for([leader], "poll.ok", after=0.0, timeout=60)
        others = [r for r in pair if r is not leader]
        at = time.monotonic()
        leader.process.send_signal(signal.SIGSTOP if freeze else signal.SIGKILL)
        successor = wait_for(others, "poll.ok", after=at, timeout=180)
        return (successor.said("poll.ok", after=at) or at) - at
    finally:
        for replica in pair:
            replica.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stale-after", type=float, default=None)
    args = parser.parse_args()
    with (
        FakeSlackApi() as slack,
        SourceServer() as server,
        postgres_schema() as url,
    ):
        if url is None:
            raise SystemExit("needs PostgreSQL")
        sites = RecordedSites(server=server)
        sites.serve_everything()
        with tempfile.TemporaryDirectory() as tmp:
            env = bot_env(slack_api=slack, sites=sites, tmp_path=Path(tmp), secret="bench-secret")
            env["DATABASE_URL"] = url
            if args.stale_after is not None:
                env["LEADER_STALE_AFTER"] = str(args.stale_after)
            subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, check=True)
            killed = measure(env, freeze=False)
            print(f"kill -9 of the leader -> another replica polled after {killed:5.1f} s (<= 15)")
            frozen = measure(env, freeze=True)
            print(f"SIGSTOP of the leader -> another replica polled after {frozen:5.1f} s (<= 75)")


if __name__ == "__main__":
    main()

"""Load on a real `entitywatch run`: signed /screen at 10, 50 and 100 connections, /healthz beside.

Run: `.venv/bin/python -m bench.bench_load [--seconds S] [--levels 10,50,100]`
Targets (issue 12): no error; p99 of /screen <= 300 ms at 50 connections; /healthz
never slower than /screen. The server is `entitywatch run` as its own process (HTTP
mode, waitress, the settings' limits and pool), on SQLite and on PostgreSQL, with
the full 2022 snapshot imported; Slack is the local fake, sources point at a
closed port (their polls fail once, quietly). Each level runs N keep-alive
connections sending signed /screen requests plus 5 connections probing /healthz,
for `--seconds`; the load generator shares the machine's cores with the server.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.bench_slack import SECRET, percentile, queries, signed
from bench.common import csl_2022, postgres_schema
from tests.fakes.slack_api import FakeSlackApi

HEALTH_CONNECTIONS = 5
CHANNEL = "C0BENCHLOAD"


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_env(database_url: str, slack: FakeSlackApi) -> dict[str, str]:
    dead = f"http://127.0.0.1:{free_port()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env.update(
        {
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": slack.token,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.base_url,
            "ALERT_CHANNEL": CHANNEL,
            "PORT": str(free_port()),
            "CSL_URL": f"{dead}/consolidated.csv",
            "FR_API_URL": f"{dead}/api/v1/",
            "PRESS_FEEDS": f"{dead}/rss.xml",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def cli(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"entitywatch {' '.join(args)} failed: {done.stderr.strip()}")


def wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("entitywatch run exited before it served")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("entitywatch run did not become healthy in 120 s")


def screen_body(name: str) -> str:
    return urlencode(
        {
            "command": "/screen",
            "text": name,
            "user_id": "U1",
            "channel_id": "C1",
            "team_id": "T1",
            "response_url": "http://127.0.0.1:9/r",
            "trigger_id": "x",
        }
    )


def worker(
    port: int, *, screen: bool, names: list[str], until: float, out: Samples, lock: threading.Lock
) -> None:
    """One keep-alive connection sending requests back to back until `until`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    latencies: list[float] = []
    errors = 0
    index = 0
    while time.monotonic() < until:
        index += 1
        start = time.perf_counter()
        try:
            if screen:
                body = screen_body(names[index % len(names)])
                connection.request("POST", "/slack/events", body=body, headers=signed(body))
            else:
                connection.request("GET", "/healthz")
            answer = connection.getresponse()
            answer.read()
            ok = answer.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        latencies.append((time.perf_counter() - start) * 1000)
        errors += not ok
    connection.close()
    with lock:
        out.latencies.extend(latencies)
        out.errors += errors


def load_level(port: int, *, connections: int, seconds: float) -> tuple[Samples, Samples]:
    names = queries(500)
    screen, health = Samples(), Samples()
    lock = threading.Lock()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=worker,
            args=(port,),
            kwargs={"screen": True, "names": names, "until": until, "out": screen, "lock": lock},
        )
        for _ in range(connections)
    ] + [
        threading.Thread(
            target=worker,
            args=(port,),
            kwargs={"screen": False, "names": names, "until": until, "out": health, "lock": lock},
        )
        for _ in range(HEALTH_CONNECTIONS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return screen, health


def line(label: str, samples: Samples, seconds: float) -> str:
    if not samples.latencies:
        return f"  {label:<8} no answers, errors {samples.errors}"
    lat = samples.latencies
    return (
        f"  {label:<8} n={len(lat):6d} {len(lat) / seconds:7.1f} req/s  "
        f"p50 {percentile(lat, 50):7.1f} ms  p99 {percentile(lat, 99):7.1f} ms  "
        f"errors {samples.errors}"
    )


def bench_database(
    name: str, url: str, *, snapshot: Path, levels: list[int], seconds: float
) -> list[str]:
    verdicts: list[str] = []
    with FakeSlackApi() as slack:
        env = run_env(url, slack)
        cli(env, "db", "upgrade")
        started = time.perf_counter()
        cli(env, "lists", "import", str(snapshot))
        print(f"{name}: 2022 snapshot imported in {time.perf_counter() - started:.1f} s")
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        port = int(env["PORT"])
        try:
            wait_ready(port, process)
            load_level(port, connections=5, seconds=2)  # warm the pool and the caches
            for connections in levels:
                screen, health = load_level(port, connections=connections, seconds=seconds)
                print(f"{name} at {connections} connections (+{HEALTH_CONNECTIONS} /healthz):")
                print(line("/screen", screen, seconds))
                print(line("/healthz", health, seconds))
                verdicts += judge(name, connections, screen, health)
        finally:
            process.terminate()
            _, err = process.communicate(timeout=30)
            lines = err.decode(errors="replace").splitlines()
            print(f"{name}: server wrote {len(lines)} log lines at WARNING and above")
    return verdicts


def judge(name: str, connections: int, screen: Samples, health: Samples) -> list[str]:
    found: list[str] = []
    if screen.errors or health.errors:
        found.append(f"{name}@{connections}: {screen.errors + health.errors} errors")
    if not screen.latencies or not health.latencies:
        return found
    p99_screen, p99_health = percentile(screen.latencies, 99), percentile(health.latencies, 99)
    if connections == 50 and p99_screen > 300:
        found.append(f"{name}@50: /screen p99 {p99_screen:.0f} ms > 300 ms")
    if percentile(health.latencies, 50) > percentile(screen.latencies, 50) or (
        p99_health > p99_screen
    ):
        found.append(f"{name}@{connections}: /healthz slower than /screen")
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--levels", default="10,50,100")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    verdicts: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = Path(tmp) / "consolidated-2022-05.csv"
        snapshot.write_bytes(csl_2022())
        sqlite_url = f"sqlite:///{Path(tmp) / 'load.db'}"
        verdicts += bench_database(
            "SQLite", sqlite_url, snapshot=snapshot, levels=levels, seconds=args.seconds
        )
        with postgres_schema() as pg_url:
            if pg_url is not None:
                verdicts += bench_database(
                    "PostgreSQL", pg_url, snapshot=snapshot, levels=levels, seconds=args.seconds
                )
    print("targets: no error; /screen p99 <= 300 ms at 50; /healthz never slower than /screen")
    print("all targets met" if not verdicts else "MISSED: " + "; ".join(verdicts))


if __name__ == "__main__":
    main()

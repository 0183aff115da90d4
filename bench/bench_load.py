"""Load on a real `entitywatch run`: signed /screen at 10, 50 and 100 connections, /healthz beside.

Run: `.venv/bin/python -m bench.bench_load [--seconds S] [--levels 10,50,100]`
Targets (issue 12): no error; p99 of /screen <= 300 ms at 50 connections; /healthz
never slower than /screen. Each level runs `--runs` times; errors count in any run,
latencies are judged on the median run (the machine is shared and noisy). The server
is `entitywatch run` as its own process (HTTP
mode, waitress, the settings' limits and pool), on SQLite and on PostgreSQL, with
the full 2022 snapshot imported; Slack is the local fake, sources point at a
closed port (their polls fail once, quietly). Each level runs N keep-alive
connections sending signed /screen requests plus 5 connections probing /healthz,
for `--seconds`, from four client processes (plus one for the probes); the load generator
shares the machine's cores with the server.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlencode

from bench.bench_slack import SECRET, percentile, queries, signed
from bench.common import csl_2022, postgres_schema
from tests.fakes.slack_api import FakeSlackApi

HEALTH_CONNECTIONS = 5
CLIENT_PROCESSES = 4
CHANNEL = "C0BENCHLOAD"


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    # Each connection's first request, before the timed window (see `worker`).
    setups: list[float] = field(default_factory=list)


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
            "PRESS_PAGES": f"{dead}/news-updates",
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
    port: int,
    *,
    screen: bool,
    names: list[str],
    begin: float,
    until: float,
    out: Samples,
    lock: threading.Lock,
    first: int = 0,
) -> None:
    """One keep-alive connection sending requests back to back from `begin` to `until`;
    `first` is where in `names` it begins, so that concurrent connections screen
    different names.

    The connection is opened, and its first request answered, before `begin` (that
    request's time is kept apart, in `setups`): the timed window measures requests on
    open connections, as a reverse proxy's keep-alive pool sends them. Opened inside the
    window, a hundred connections at once wait for waitress' one I/O thread to accept
    them one by one while it competes with the busy workers for the GIL.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    latencies: list[float] = []
    errors = 0
    index = first

    def one_request() -> bool:
        nonlocal connection
        try:
            if screen:
                body = screen_body(names[index % len(names)])
                connection.request("POST", "/slack/events", body=body, headers=signed(body))
            else:
                connection.request("GET", "/healthz")
            answer = connection.getresponse()
            answer.read()
            return answer.status == 200
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            return False

    start = time.perf_counter()
    errors += not one_request()
    setup = (time.perf_counter() - start) * 1000
    time.sleep(max(0.0, begin - time.monotonic()))
    while time.monotonic() < until:
        index += 1
        start = time.perf_counter()
        errors += not one_request()
        latencies.append((time.perf_counter() - start) * 1000)
    connection.close()
    with lock:
        out.latencies.extend(latencies)
        out.setups.append(setup)
        out.errors += errors


def client_process(
    port: int, *, screen: bool, connections: int, first: int, begin: float, until: float
) -> Samples:
    """`connections` keep-alive connections, one thread each, in this (client) process."""
    names = queries(500)
    out, lock = Samples(), threading.Lock()
    threads = [
        threading.Thread(
            target=worker,
            args=(port,),
            kwargs={
                "screen": screen,
                "names": names,
                "begin": begin,
                "until": until,
                "out": out,
                "lock": lock,
                "first": (first + number) * 37,
            },
        )
        for number in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out


def load_level(port: int, *, connections: int, seconds: float) -> tuple[Samples, Samples]:
    """The connections spread over CLIENT_PROCESSES processes (the probes in one more): a
    hundred client threads in one process wait for its GIL, and that wait would be
    counted as the server's latency."""
    processes = min(CLIENT_PROCESSES, connections)
    shares = [connections // processes + (n < connections % processes) for n in range(processes)]
    # CLOCK_MONOTONIC is one clock for every process on the machine.
    # Time for the client processes to start and open their connections.
    begin = time.monotonic() + 8.0
    until = begin + seconds
    with ProcessPoolExecutor(processes + 1, mp_context=get_context("spawn")) as pool:
        screens = [
            pool.submit(
                client_process,
                port,
                screen=True,
                connections=share,
                first=sum(shares[:n]),
                begin=begin,
                until=until,
            )
            for n, share in enumerate(shares)
        ]
        probes = pool.submit(
            client_process,
            port,
            screen=False,
            connections=HEALTH_CONNECTIONS,
            first=0,
            begin=begin,
            until=until,
        )
        screen = Samples()
        for done in screens:
            part = done.result()
            screen.latencies += part.latencies
            screen.setups += part.setups
            screen.errors += part.errors
        return screen, probes.result()


def line(label: str, samples: Samples, seconds: float) -> str:
    if not samples.latencies:
        return f"  {label:<8} no answers, errors {samples.errors}"
    lat = samples.latencies
    return (
        f"  {label:<8} n={len(lat):6d} {len(lat) / seconds:7.1f} req/s  "
        f"p50 {percentile(lat, 50):7.1f} ms  p99 {percentile(lat, 99):7.1f} ms  "
        f"errors {samples.errors}"
    )


@dataclass(frozen=True)
class Run:
    screen: Samples
    health: Samples
    # Server CPU (user + system) per answered request, all threads: the cost, apart from
    # how the machine's cores were shared with the load generator.
    cpu_ms: float


def process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured_level(pid: int, port: int, *, connections: int, seconds: float) -> Run:
    before = process_cpu_seconds(pid)
    screen, health = load_level(port, connections=connections, seconds=seconds)
    answered = max(1, len(screen.latencies) + len(health.latencies))
    return Run(screen, health, (process_cpu_seconds(pid) - before) * 1000 / answered)


def bench_database(
    name: str, url: str, *, snapshot: Path, levels: list[int], seconds: float, runs: int
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
            # Warm the pool and the caches, and let the new leader's first polls and
            # alert run (its start-up work) pass before measuring.
            load_level(port, connections=5, seconds=8)
            for connections in levels:
                print(f"{name} at {connections} connections (+{HEALTH_CONNECTIONS} /healthz):")
                done: list[Run] = []
                for number in range(1, runs + 1):
                    run = measured_level(
                        process.pid, port, connections=connections, seconds=seconds
                    )
                    done.append(run)
                    print(f"  run {number}: server CPU {run.cpu_ms:.2f} ms a request")
                    print(line("/screen", run.screen, seconds))
                    print(line("/healthz", run.health, seconds))
                    setups = run.screen.setups
                    print(
                        f"  first /screen of each connection, opened together before the "
                        f"window: p50 {percentile(setups, 50):.1f} ms, max {max(setups):.1f} ms"
                    )
                verdicts += judge(name, connections, done)
        finally:
            process.terminate()
            _, err = process.communicate(timeout=30)
            lines = err.decode(errors="replace").splitlines()
            print(f"{name}: server wrote {len(lines)} log lines at WARNING and above")
    return verdicts


def judge(name: str, connections: int, runs: list[Run]) -> list[str]:
    """Errors in any run; latencies by the median run (the machine is shared and noisy)."""
    found: list[str] = []
    errors = sum(r.screen.errors + r.health.errors for r in runs)
    if errors:
        found.append(f"{name}@{connections}: {errors} errors")
    if not all(r.screen.latencies and r.health.latencies for r in runs):
        return found

    def median_of(pick: Callable[[Run], list[float]], p: float) -> float:
        return statistics.median(percentile(pick(r), p) for r in runs)

    p99_screen = median_of(lambda r: r.screen.latencies, 99)
    p99_health = median_of(lambda r: r.health.latencies, 99)
    p50_screen = median_of(lambda r: r.screen.latencies, 50)
    p50_health = median_of(lambda r: r.health.latencies, 50)
    print(
        f"  median of {len(runs)} runs: /screen p50 {p50_screen:.1f} p99 {p99_screen:.1f} ms; "
        f"/healthz p50 {p50_health:.1f} p99 {p99_health:.1f} ms"
    )
    if connections == 50 and p99_screen > 300:
        found.append(f"{name}@50: /screen p99 {p99_screen:.0f} ms > 300 ms")
    if p50_health > p50_screen or p99_health > p99_screen:
        found.append(f"{name}@{connections}: /healthz slower than /screen")
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--levels", default="10,50,100")
    parser.add_argument("--runs", type=int, default=3, help="runs per level; judged on medians")
    parser.add_argument("--databases", default="sqlite,postgresql", help="which of the two")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    verdicts: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = Path(tmp) / "consolidated-2022-05.csv"
        snapshot.write_bytes(csl_2022())
        measure = functools.partial(
            bench_database, snapshot=snapshot, levels=levels, seconds=args.seconds, runs=args.runs
        )
        databases = args.databases.split(",")
        if unknown := set(databases) - {"sqlite", "postgresql"}:
            parser.error(f"--databases: unknown {', '.join(sorted(unknown))}")
        if "sqlite" in databases:
            verdicts += measure("SQLite", f"sqlite:///{Path(tmp) / 'load.db'}")
        if "postgresql" in databases:
            with postgres_schema() as pg_url:
                if pg_url is not None:
                    verdicts += measure("PostgreSQL", pg_url)
    print("targets: no error; /screen p99 <= 300 ms at 50; /healthz never slower than /screen")
    print("all targets met" if not verdicts else "MISSED: " + "; ".join(verdicts))


if __name__ == "__main__":
    main()

"""/screen over HTTP: from a signed request to the acknowledged response with results.

Run: `.venv/bin/python -m bench.bench_slack [--requests N]`
Target (issue 5): p99 <= 300 ms with the full 2022 snapshot loaded (Slack allows 3 s).
The request goes through waitress, bolt's signature check, the listener, the
screening index and the audit insert into SQLite. Baseline in the same run: the
same queries against the screening index alone, in-process.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import hmac
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import requests

from bench.common import ROOT, csl_2022
from bot.services.screening import ScreeningService
from bot.settings import load_settings, thresholds_of
from bot.slack.app import Services, create_app
from bot.slack.http import create_http_server, make_wsgi, serve_until
from storage.engine import create_db_engine
from storage.migrate import upgrade
from tests.fakes.slack_api import FakeSlackApi
from watchers.csl.importer import import_csl

SECRET = "bench-signing-secret"


def queries(n: int) -> list[str]:
    path = ROOT / "tests" / "fixtures" / "screening" / "dev_queries.csv"
    with path.open(encoding="utf-8") as handle:
        names = [row["query"] for row in csv.DictReader(handle)]
    return [names[i % len(names)] for i in range(n)]


def signed(body: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = create_db_engine(url)
        upgrade(engine)
        import_csl(engine, csl_2022(), now=datetime.now(UTC), origin="bench", max_removed_share=0.1)
        # bolt asks auth.test once for the bot's identity; the local fake Slack answers it.
        fake_slack = FakeSlackApi()
        fake_slack.start()
        settings = load_settings(
            database_url=url,
            slack_bot_token=fake_slack.token,
            slack_signing_secret=SECRET,
            slack_api_url=fake_slack.base_url,
        )
        screening = ScreeningService(engine=engine, thresholds=thresholds_of(settings))
        started = time.perf_counter()
        screening.refresh()
        built = time.perf_counter() - started
        print(f"index build from storage: {built:.2f} s ({len(screening.index)} entries)")
        app = create_app(settings, Services(engine=engine, screening=screening))
        server = create_http_server(
            make_wsgi(app, health=lambda: {"ok": True}, signing_secret=SECRET),
            host="127.0.0.1",
            port=0,
        )
        stop = threading.Event()
        thread = threading.Thread(target=serve_until, args=(server, stop), daemon=True)
        thread.start()
        endpoint = f"http://127.0.0.1:{server.effective_port}/slack/events"
        names = queries(args.requests)
        http: list[float] = []
        with requests.Session() as session:
            for name in names:
                body = urlencode(
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
                start = time.perf_counter()
                answer = session.post(endpoint, data=body, headers=signed(body), timeout=10)
                http.append((time.perf_counter() - start) * 1000)
                if answer.status_code != 200 or answer.json().get("response_type") != "ephemeral":
                    raise SystemExit(f"unexpected answer {answer.status_code}: {answer.text[:300]}")
        engine_only: list[float] = []
        for name in names:
            start = time.perf_counter()
            with contextlib.suppress(ValueError):  # refused queries are answered too
                screening.index.search(
                    name, limit=settings.screen_limit, thresholds=screening.thresholds
                )
            engine_only.append((time.perf_counter() - start) * 1000)
        stop.set()
        thread.join(timeout=5)
        fake_slack.stop()
        engine.dispose()
    for label, samples, target in (
        ("/screen over HTTP (ms)", http, 300.0),
        ("index.search alone (ms)", engine_only, None),
    ):
        p50, p99 = statistics.median(samples), percentile(samples, 99)
        verdict = (
            ""
            if target is None
            else f"  (target p99 <= {target:.0f} ms: {'OK' if p99 <= target else 'OVER'})"
        )
        spread = f"p50 {p50:7.2f}  p99 {p99:7.2f}  max {max(samples):7.2f}"
        print(f"{label:<26} n={len(samples)} {spread}{verdict}")
    print(
        f"ratio p50 HTTP / engine: {statistics.median(http) / statistics.median(engine_only):.1f}"
    )


if __name__ == "__main__":
    main()

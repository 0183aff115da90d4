"""What the fetcher's guard costs: one small GET through `HttpFetcher` against plain requests.

Run: `.venv/bin/python -m bench.bench_fetch [--requests N]`
Every fetch arms a deadline timer, follows redirects itself and checks each hop's scope
(issue 23, items 6 and 7); a link read from a source also checks its site against the
Public Suffix List. Measured on a local server (the recorded 4 kB press feed),
interleaved so that the shared machine's noise falls on all three alike:
- baseline: `requests.Session.get` with the same timeouts and streaming, no guard;
- `HttpFetcher.get` of a configured source;
- `HttpFetcher.get` of a link in a source's scope (the site check added).
Target: the guarded fetch within 2 ms of the baseline at the median.
"""

from __future__ import annotations

import argparse
import time

import requests

from bench.common import median_of
from tests.conftest import fixture_bytes
from tests.fakes.source_server import SourceServer
from watchers.fetch_scope import FetchScope
from watchers.http import HttpFetcher

TARGET_MS = 2.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    body = fixture_bytes("press", "press-feed.rss.xml")
    with SourceServer() as server:
        server.route("/feed", body=body, content_type="application/rss+xml")
        url = server.url("/feed")
        session = requests.Session()
        fetcher = HttpFetcher(rate_limits={}, retries=0)
        scope = FetchScope.link_of(server.url("/news"))
        runs = {
            "requests (baseline)": lambda: session.get(url, timeout=(10, 60), stream=True).content,
            "HttpFetcher.get, configured": lambda: fetcher.get(url).body,
            "HttpFetcher.get, link scope": lambda: fetcher.get(url, scope=scope).body,
        }
        samples: dict[str, list[float]] = {label: [] for label in runs}
        for _ in range(args.requests):
            for label, run in runs.items():
                start = time.perf_counter()
                assert run() == body
                samples[label].append((time.perf_counter() - start) * 1000)
    base = median_of(samples["requests (baseline)"])
    print(f"fetch of the recorded press feed on a local server, {args.requests} each, medians:")
    for label, values in samples.items():
        med = median_of(values)
        print(f"  {label:<32} {med:7.2f} ms  ({med / base:4.2f}x, +{med - base:5.2f} ms)")
    worst = max(median_of(v) for v in samples.values()) - base
    verdict = "met" if worst <= TARGET_MS else "MISSED"
    print(f"target: at most +{TARGET_MS} ms over the baseline: {verdict}")


if __name__ == "__main__":
    main()

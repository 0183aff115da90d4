"""CPU cost of a poll cycle in which every source answers 304 Not Modified.

Run: `.venv/bin/python -m bench.bench_poll [--cycles N]`
Target (issue 3): under 50 ms of CPU in-process per cycle. The recorded sources are
served by the test suite's local server in a background thread; `time.thread_time`
counts only the polling thread, so the server's own work is left out.
Baseline in the same run: the same cycle with the stored validators cleared first,
so that every source downloads and re-parses its full (unchanged) body.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from bench.common import median_of, report
from storage.engine import create_db_engine
from storage.migrate import upgrade
from storage.models import SourceStateRow
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import RecordedSites
from watchers.http import HttpFetcher
from watchers.registry import build_sources
from watchers.runner import poll_all


def thread_cpu_ms(run: Callable[[], None]) -> float:
    start = time.thread_time()
    run()
    return (time.thread_time() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=20)
    args = parser.parse_args()
    with SourceServer() as server, tempfile.TemporaryDirectory() as tmp:
        sites = RecordedSites(server=server)
        sites.serve_everything()
        engine = create_db_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade(engine)
        sources = build_sources(sites.config())
        fetcher = HttpFetcher(rate_limits={})

        def cycle() -> None:
            reports = poll_all(
                sources,
                engine=engine,
                fetcher=fetcher,
                clock=lambda: datetime.now(UTC),
                down_after=3,
            )
            assert all(r.ok for r in reports), [r.error for r in reports if not r.ok]

        def forget_validators() -> None:
            with Session(engine) as session, session.begin():
                session.execute(
                    update(SourceStateRow).values(etag=None, last_modified=None, cursor={})
                )

        cycle()  # the baseline poll records state and validators
        cached = [thread_cpu_ms(cycle) for _ in range(args.cycles)]
        full: list[float] = []
        for _ in range(args.cycles):
            forget_validators()
            full.append(thread_cpu_ms(cycle))
        cycle()  # leave validators in place again
        n = len(sources)
        report(f"poll cycle, {n} sources, all 304 (CPU)", cached, target=50.0, unit="ms")
        report("baseline: same cycle, full bodies (CPU)", full, unit="ms")
        print(f"ratio 304 / full: {median_of(cached) / median_of(full):.2f}")
        engine.dispose()


if __name__ == "__main__":
    main()

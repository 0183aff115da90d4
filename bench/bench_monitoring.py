"""Benchmark counterparty monitoring at scale, beside the naive baseline.

Run from the repository root::

    .venv/bin/python -m bench.bench_monitoring
    .venv/bin/python -m bench.bench_monitoring --counterparties 20000 --baseline-sample 200

On a SQLite file holding the full 2022 CSL snapshot (14,160 rows), it measures,
through the real code paths (`import_watchlist`, `MonitoringService`):

1. importing N synthetic counterparties (bench/company_names.py) from a CSV file and
   screening all of them against every list (target: 100,000 in <= 60 s, one core);
2. a list change of 200 added entries screened against all N counterparties
   (`process_changes` with the counterparty index built; target <= 2 s);
3. the peak memory of the process with both indexes loaded (target <= 600 MB);
4. the naive baseline: every counterparty through /screen's path
   (`ScreeningService.screen`: search plus audit row), timed on a sample and
   extrapolated, for the import and again for every list change.

Everything runs in one thread. Times are given as CPU seconds of this process and
as wall seconds; the verdicts use CPU time, which is what "on one core" means on a
machine that other processes share (wall time then grows with the load).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bench.common import csl_2022
from bench.company_names import company_names
from bot.routing import Routing
from bot.services.monitoring.csv_rows import Columns
from bot.services.monitoring.importer import import_watchlist
from bot.services.monitoring.service import MonitoringService
from bot.services.screening import ScreeningService
from bot.slack.blocks.monitoring import BlockKitHitMessages
from screening import Thresholds
from storage.changes import change_dedupe_key, record_event
from storage.engine import create_db_engine
from storage.migrate import upgrade
from watchers.csl.importer import import_csl
from watchers.csl.parse import parse_csl

IMPORT_TARGET = 60.0
CHANGE_TARGET = 2.0
MEMORY_TARGET_MB = 600.0


class Stopwatch:
    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def read(self) -> tuple[float, float]:
        """(CPU seconds, wall seconds) since the start."""
        return time.process_time() - self.cpu, time.perf_counter() - self.wall


def both(cpu: float, wall: float) -> str:
    return f"{cpu:.2f} s CPU ({wall:.2f} s wall)"


def verdict(value: float, target: float) -> str:
    return f"(target <= {target:g}) {'OK' if value <= target else 'OVER TARGET'}"


def write_counterparties(path: Path, count: int) -> list[str]:
    names = company_names(count)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name", "country"])
        for number, name in enumerate(names, start=1):
            writer.writerow([f"C-{number:06d}", name, ""])
    return names


def record_list_change(engine: Engine, names: list[str], *, count: int) -> None:
    """`count` added entries as a rule or snapshot brings them: real listed parties of the
    2022 snapshot (names, aliases, addresses) under new keys, one in twenty renamed after a
    counterparty so that some of them hit."""
    rnd = random.Random(7)
    listed = rnd.sample(parse_csl(csl_2022()).entries, count)
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        for number, entry in enumerate(listed):
            content = entry.content()
            if number % 20 == 0:
                content["name"] = rnd.choice(names)
            record_event(
                session,
                dedupe_key=change_dedupe_key("bench", str(number)),
                source="federal_register",
                kind="added",
                now=now,
                summary=f"{entry.list_code} added",
                list_code=entry.list_code,
                document_number="2099-00001",
                after=content,
                entry_key=f"{entry.list_code}:bench {number}",
                entry_name=str(content["name"]),
            )


def naive_seconds_per_counterparty(screening: ScreeningService, names: list[str], n: int) -> float:
    sample = random.Random(3).sample(names, n)
    watch = Stopwatch()
    for name in sample:
        screening.screen(name, origin="batch", limit=5)
    return watch.read()[0] / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--counterparties", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--baseline-sample", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade(engine)
        started = time.perf_counter()
        import_csl(engine, csl_2022(), now=datetime.now(UTC), origin="bench", max_removed_share=1)
        print(f"setup: 2022 CSL snapshot stored in {time.perf_counter() - started:.1f} s")
        path = Path(tmp) / "counterparties.csv"
        names = write_counterparties(path, args.counterparties)
        thresholds = Thresholds()
        screening = ScreeningService(engine=engine, thresholds=thresholds)
        service = MonitoringService(
            engine=engine,
            screening=screening,
            routing=Routing(default_channel=None),
            thresholds=thresholds,
            messages=BlockKitHitMessages(),
        )

        watch = Stopwatch()
        with path.open("rb") as stream:
            report = import_watchlist(
                engine,
                stream,
                columns=Columns(name="name", id="id"),
                added_by="bench",
                now=datetime.now(UTC),
            )
        imported = watch.read()
        screened, hits = service.screen_unscreened()
        total = watch.read()
        print(
            f"import {report.added:,} counterparties: {both(*imported)}; with full screening of "
            f"{screened:,} against every list: {both(*total)}, {hits:,} hits "
            + verdict(total[0], IMPORT_TARGET)
        )

        service.process_changes()  # reads the baseline changes; builds the counterparty index
        watch = Stopwatch()
        with Session(engine) as session:
            service._index = None  # timing the build on its own
            service.counterparty_index(session)
        print(f"counterparty index build ({args.counterparties:,}): {both(*watch.read())}")
        record_list_change(engine, names, count=args.changes)
        watch = Stopwatch()
        read, change_hits = service.process_changes()
        change = watch.read()
        print(
            f"list change of {read} added entries screened against {args.counterparties:,} "
            f"counterparties: {both(*change)}, {change_hits} hits "
            + verdict(change[0], CHANGE_TARGET)
        )

        screening.refresh()  # the forward index, as /screen keeps it, beside the reverse one
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory with both indexes: {peak:.0f} MB {verdict(peak, MEMORY_TARGET_MB)}")

        per = naive_seconds_per_counterparty(screening, names, args.baseline_sample)
        naive = per * args.counterparties
        print(
            f"naive baseline (each counterparty through /screen's path, {per * 1000:.2f} ms CPU "
            f"each, from {args.baseline_sample} sampled): about {naive:.0f} s CPU for the import "
            f"and again about {naive:.0f} s CPU for every list change "
            f"(vs {total[0]:.1f} s and {change[0]:.2f} s)"
        )
        engine.dispose()


if __name__ == "__main__":
    main()

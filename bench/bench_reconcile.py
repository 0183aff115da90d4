"""Reconciliation and `lists status` over the full May 2022 CSL and FR Doc 2023-03929.

Run: `.venv/bin/python -m bench.bench_reconcile [--runs N]`
The leader runs reconciliation every 10 minutes and after each poll that changed the CSL,
the Federal Register or the eCFR text; `lists status` and the App Home load the overview.
Target: a reconciliation round under 1 s on SQLite with the full 2022 CSL (14,160 rows).
Baseline in the same run: reading every stored list entry, which each screening index
refresh already does.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bench.common import csl_2022, median_of, postgres_schema, report, timed
from bot.services.lists_overview import load_overview
from bot.services.reconciliation.service import ReconciliationService
from storage.engine import create_db_engine
from storage.migrate import upgrade
from storage.screening_lists import all_list_entries
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import RecordedSites
from watchers.csl.importer import import_csl
from watchers.http import HttpFetcher
from watchers.registry import build_sources
from watchers.runner import poll_all

LATER = datetime(2023, 3, 7, 9, 0, tzinfo=UTC)


def prepared(url: str, server: SourceServer) -> Engine:
    engine = create_db_engine(url)
    upgrade(engine)
    sites = RecordedSites(server=server)
    sites.serve_everything()
    config = sites.config()
    kinds = ("federal_register", "ecfr_text")
    sources = [s for kind in kinds for s in build_sources(config, only=kind)]
    fetcher = HttpFetcher(retries=0, rate_limits={})
    for documents, days in ((("9999-10002",), 2), (("2023-03929", "9999-10002"), 3)):
        sites.serve_documents(*documents)
        moment = LATER - timedelta(days=11 - days)
        poll_all(sources, engine=engine, fetcher=fetcher, clock=_at(moment), down_after=3)
    import_csl(engine, csl_2022(), now=LATER, origin="bench", max_removed_share=0.1)
    return engine


def _at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def measure(label: str, engine: Engine, runs: int) -> None:
    service = ReconciliationService(engine=engine, clock=lambda: LATER)
    first = service.run_once()
    assert first, "the 2022 CSL lacks 2023-03929's entries: a lag must be found"

    def overview() -> None:
        with Session(engine) as session:
            load_overview(
                session, now=LATER, lag_after=timedelta(days=3), max_age=timedelta(days=3)
            )

    def read_all() -> None:
        with Session(engine) as session:
            all_list_entries(session)

    rounds = [timed(service.run_once) for _ in range(runs)]
    views = [timed(overview) for _ in range(runs)]
    base = [timed(read_all) for _ in range(runs)]
    report(f"{label}: reconciliation round", rounds, target=1.0)
    report(f"{label}: lists status overview", views)
    report(f"{label}: baseline, read every list entry", base)
    print(f"{label}: ratio round / baseline {median_of(rounds) / median_of(base):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with SourceServer() as server, tempfile.TemporaryDirectory() as tmp:
        engine = prepared(f"sqlite:///{Path(tmp) / 'bench.db'}", server)
        measure("SQLite", engine, args.runs)
        engine.dispose()
        with postgres_schema() as url:
            if url is not None:
                engine = prepared(url, server)
                measure("PostgreSQL", engine, args.runs)
                engine.dispose()


if __name__ == "__main__":
    main()

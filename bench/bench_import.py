"""CSL import speed: the 14,160-row 2022 snapshot into an empty database, then unchanged.

Run: `.venv/bin/python -m bench.bench_import [--runs N]`
Targets (issue 2): first import < 10 s, unchanged re-import < 5 s, on SQLite and PostgreSQL.
Parsing alone is timed too, as the in-process baseline the database figures compare with.
"""

from __future__ import annotations

import argparse
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from bench.common import csl_2022, postgres_schema, report, timed
from storage.engine import create_db_engine
from storage.migrate import upgrade
from watchers.csl.importer import import_csl
from watchers.csl.parse import parse_csl


def bench_database(label: str, make_url: list[str], data: bytes) -> None:
    first: list[float] = []
    again: list[float] = []
    for url in make_url:
        engine = create_db_engine(url)
        upgrade(engine)
        now = datetime.now(UTC)

        def run(engine: object = engine, now: datetime = now) -> None:
            import_csl(engine, data, now=now, origin="bench", max_removed_share=0.1)  # type: ignore[arg-type]

        first.append(timed(run))
        again.append(timed(run))
        engine.dispose()
    report(f"{label}: first import (baseline)", first, target=10.0)
    report(f"{label}: unchanged re-import", again, target=5.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = csl_2022()
    print(f"corpus: consolidated-2022-05.csv, {len(data):,} bytes")
    report("parse only (baseline)", [timed(lambda: parse_csl(data)) for _ in range(args.runs)])
    with tempfile.TemporaryDirectory() as tmp:
        urls = [f"sqlite:///{Path(tmp) / f'bench{i}.db'}" for i in range(args.runs)]
        bench_database("SQLite", urls, data)
    with ExitStack() as stack:
        pg_urls = [stack.enter_context(postgres_schema()) for _ in range(args.runs)]
        if None not in pg_urls:
            bench_database("PostgreSQL", [u for u in pg_urls if u], data)


if __name__ == "__main__":
    main()

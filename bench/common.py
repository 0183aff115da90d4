"""Shared bits of the benchmarks: timing, medians, the corpus, a scratch PostgreSQL schema."""

from __future__ import annotations

import gzip
import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from storage.engine import normalize_url

ROOT = Path(__file__).resolve().parent.parent
CSL_2022 = ROOT / "bot" / "data" / "consolidated-2022-05.csv.gz"
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def csl_2022() -> bytes:
    return gzip.decompress(CSL_2022.read_bytes())


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_of(samples: list[float]) -> float:
    return statistics.median(samples)


def report(
    label: str, samples: list[float], *, target: float | None = None, unit: str = "s"
) -> None:
    med = median_of(samples)
    verdict = ""
    if target is not None:
        verdict = "  OK" if med <= target else "  OVER TARGET"
        verdict = f"  (target <= {target}{unit}){verdict}"
    runs = ", ".join(f"{s:.3f}" for s in samples)
    print(f"{label:<48} median {med:8.3f}{unit}  runs [{runs}]{verdict}")


@contextmanager
def postgres_schema() -> Iterator[str | None]:
    """A throwaway schema on the local PostgreSQL, or None when it is unreachable."""
    base = normalize_url(PG_URL)
    try:
        admin = create_engine(base, connect_args={"connect_timeout": 3})
        with admin.begin() as conn:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # benchmark still runs the SQLite half
        print(f"PostgreSQL unavailable ({type(exc).__name__}); skipping its figures")
        yield None
        return
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

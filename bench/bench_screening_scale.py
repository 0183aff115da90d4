"""How screening cost grows with the lists: 1x, 4x and 10x the 2022 CSL snapshot.

Run from the repository root::

    .venv/bin/python -m bench.bench_screening_scale            # sizes 1, 4, 10
    .venv/bin/python -m bench.bench_screening_scale --sizes 1 4 --queries 800

Each size is measured in a fresh child process, so that its peak memory is its
own: the 14,160 real entries plus (size - 1) synthetic copies of them. A copy
keeps an entry's shape (list, type, aliases, addresses, legal form, place
prefix) and replaces its longest word, and the longest word of each alias, with
a made-up word of about the same length, and each address's numbers with others:
the vocabulary and the postings grow as a larger real list would, instead of
repeating the same words. Address screening is on. Per size it prints the index
build time, p50 and p99 latency over the development and ordinary-name queries
plus address queries, and the child's peak memory; timings are medians of
`--runs` repeats. The live CSL is about 1.8x the 2022 snapshot. Beside the
wall-clock figures, the same in CPU time of the process ("cpu"): on a shared
machine the wall clock also counts the time other processes held the core.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_screening import ENGINE
from screening import InvalidQueryError, ScreeningEntry, ScreeningIndex
from screening.memory import forget_memory
from tests.screening.quality import (
    load_address_queries,
    load_dev_queries,
    load_entries,
    load_ordinary_companies,
)

P99_BUDGET_MS_AT_4X = 20.0
_SYLLABLES = ("ka", "ro", "vi", "zen", "tal", "mor", "qui", "sha", "lun", "dex", "bra", "tor")
_WORD = re.compile(r"[A-Za-z]{3,}")
_DIGITS = re.compile(r"\d+")


def made_up_word(rng: random.Random, length: int) -> str:
    word = ""
    while len(word) < max(length, 4):
        word += rng.choice(_SYLLABLES)
    return word.capitalize()


def _replace_longest(text: str, rng: random.Random) -> str:
    words = _WORD.findall(text)
    if not words:
        return f"{text} {made_up_word(rng, 6)}"
    longest = max(words, key=len)
    return text.replace(longest, made_up_word(rng, len(longest)), 1)


def _renumber(address: str, rng: random.Random) -> str:
    return _DIGITS.sub(lambda m: str(rng.randrange(1, 10 ** len(m.group(0)))), address)


def synthetic_copy(entry: ScreeningEntry, *, copy: int, rng: random.Random) -> ScreeningEntry:
    return replace(
        entry,
        entry_key=f"{entry.entry_key}~{copy}",
        name=_replace_longest(entry.name, rng),
        aliases=tuple(_replace_longest(alias, rng) for alias in entry.aliases),
        addresses=tuple(_renumber(address, rng) for address in entry.addresses),
    )


def scaled_entries(size: int) -> list[ScreeningEntry]:
    real = load_entries()
    rng = random.Random(size)
    entries = list(real)
    for copy in range(1, size):
        entries.extend(synthetic_copy(entry, copy=copy, rng=rng) for entry in real)
    return entries


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure_size(size: int, *, runs: int, queries: int) -> dict[str, float]:
    entries = scaled_entries(size)
    builds: list[float] = []
    build_cpus: list[float] = []
    index = None
    for _ in range(runs):
        index = None  # let the previous index go before the next build
        forget_memory()  # a cold build, as after start-up
        started, cpu = time.perf_counter(), time.process_time()
        index = ScreeningIndex.build(entries)
        builds.append(time.perf_counter() - started)
        build_cpus.append(time.process_time() - cpu)
    assert index is not None
    texts = [q.query for q in load_dev_queries()] + load_ordinary_companies()
    texts = texts[:queries] + [q.query for q in load_address_queries(load_entries())]
    p50s: list[float] = []
    p99s: list[float] = []
    cpu_p50s: list[float] = []
    cpu_p99s: list[float] = []
    for _ in range(runs):
        times: list[float] = []
        cpu_times: list[float] = []
        for text in texts:
            started, cpu = time.perf_counter(), time.process_time()
            with contextlib.suppress(InvalidQueryError):
                index.screen(text, limit=5)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
        p50s.append(percentile(times, 0.50))
        p99s.append(percentile(times, 0.99))
        cpu_p50s.append(percentile(cpu_times, 0.50))
        cpu_p99s.append(percentile(cpu_times, 0.99))
    return {
        "size": size,
        "entries": len(entries),
        "names": index.name_count,
        "addresses": index.address_count,
        "queries": len(texts),
        "build": statistics.median(builds),
        "build_cpu": statistics.median(build_cpus),
        "p50": statistics.median(p50s),
        "p99": statistics.median(p99s),
        "p50_cpu": statistics.median(cpu_p50s),
        "p99_cpu": statistics.median(cpu_p99s),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(size: int, *, runs: int, queries: int) -> dict[str, float]:
    command = [
        sys.executable,
        "-m",
        "bench.bench_screening_scale",
        "--child",
        str(size),
        "--runs",
        str(runs),
        "--queries",
        str(queries),
    ]
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(command, cwd=root, check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description="Screening cost at 1x, 4x and 10x the CSL.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 10])
    parser.add_argument("--runs", type=int, default=3, help="repeats; timings are medians")
    parser.add_argument("--queries", type=int, default=1000, help="name queries per run")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure_size(args.child, runs=args.runs, queries=args.queries)))
        return
    print(
        f"{'size':>5} {'entries':>8} {'names':>8} {'addresses':>9} {'build s':>8} "
        f"{'cpu s':>6} {'p50 ms':>7} {'cpu':>6} {'p99 ms':>7} {'cpu':>6} {'peak MB':>8}"
    )
    for size in args.sizes:
        row = run_child(size, runs=args.runs, queries=args.queries)
        print(
            f"{int(row['size']):>4}x {int(row['entries']):>8} {int(row['names']):>8} "
            f"{int(row['addresses']):>9} {row['build']:>8.2f} {row['build_cpu']:>6.2f} "
            f"{row['p50']:>7.3f} {row['p50_cpu']:>6.3f} {row['p99']:>7.3f} "
            f"{row['p99_cpu']:>6.3f} {row['peak_mb']:>8.0f}"
        )
        if size == 4:
            verdict = "OK" if row["p99"] <= P99_BUDGET_MS_AT_4X else "OVER BUDGET"
            print(f"      p99 at 4x: budget <= {P99_BUDGET_MS_AT_4X:.0f} ms (wall): {verdict}")
    print(f"(timings are medians of {args.runs} runs, each size in its own process)")
    print(f"engine: {ENGINE}")


if __name__ == "__main__":
    main()

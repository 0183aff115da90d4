"""Benchmark the screening engine against a naive baseline on the full 2022 CSL.

Run from the repository root::

    .venv/bin/python -m bench.bench_screening            # or: python bench/bench_screening.py
    .venv/bin/python -m bench.bench_screening --runs 5 --batch 10000

It builds the index over every name, alias and address of the 14,160-row
snapshot in `tests/fixtures/csl/consolidated-2022-05.csv.gz` (address screening
on), then prints, for the engine and for the baseline (rapidfuzz
`process.extract` with `WRatio` over every name, band "match" at >= 90 and
"review" at >= 80, top 5), side by side: quality on the development set, on the
ordinary-company lists (false "match", false "match or review") and on address
queries (the figures `tests/screening/test_quality.py` asserts), the held-out
nomenklatura company pairs, per-query latency p50/p99 (name and address
queries), index build time, a batch of N queries, and the process's peak
memory. Timings are medians over `--runs` repeats, on one core (no threads).
`python -m bench.bench_screening_scale` measures the same at 4x and 10x.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz, process, utils

from screening import (
    COMPILED,
    MATCH,
    NO_MATCH,
    REVIEW,
    InvalidQueryError,
    ScreeningEntry,
    ScreeningIndex,
)
from screening.memory import forget_memory
from tests.compiled import engine_in_use
from tests.screening.quality import (
    DEV_PAIRS_COMPANIES,
    DEV_PAIRS_PERSONS,
    HELD_OUT_PERSONS,
    DevQuery,
    Hit,
    PairCase,
    Searcher,
    engine_searcher,
    false_match_rate,
    held_out_measures,
    listed_person_recall,
    load_address_queries,
    load_dev_pairs,
    load_dev_queries,
    load_entries,
    load_held_out_pairs,
    load_ordinary_companies,
    load_ordinary_people,
    load_un_person_queries,
    recall,
)

BASELINE_MATCH = 90.0
BASELINE_REVIEW = 80.0


def baseline_searcher(entries: list[ScreeningEntry]) -> tuple[Searcher, float]:
    """Every name and alias in one list, scored by WRatio; returns (searcher, build seconds)."""
    started = time.perf_counter()
    names: list[str] = []
    owners: list[ScreeningEntry] = []
    for entry in entries:
        for name in entry.all_names:
            names.append(name)
            owners.append(entry)
    elapsed = time.perf_counter() - started

    def search(query: str) -> list[Hit]:
        found = process.extract(
            query, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=25
        )
        hits: list[Hit] = []
        seen: set[str] = set()
        for _, score, position in found:
            entry = owners[position]
            if entry.entry_key in seen:
                continue
            seen.add(entry.entry_key)
            band = (
                MATCH
                if score >= BASELINE_MATCH
                else REVIEW
                if score >= BASELINE_REVIEW
                else NO_MATCH
            )
            hits.append(Hit(entry.list_code, entry.name, band))
        return hits[:5]

    return search, elapsed


def safe(search: Searcher) -> Searcher:
    def run(query: str) -> list[Hit]:
        try:
            return search(query)
        except InvalidQueryError:
            return []

    return run


class Timed:
    """Wraps a searcher and records how long each call took, in milliseconds.

    `cpu_times` is the process's CPU time per call: on a shared machine the wall
    clock also counts the time other processes held the core.
    """

    def __init__(self, search: Searcher) -> None:
        self.search = search
        self.times: list[float] = []
        self.cpu_times: list[float] = []

    def __call__(self, query: str) -> list[Hit]:
        started, cpu = time.perf_counter(), time.process_time()
        hits = self.search(query)
        self.times.append((time.perf_counter() - started) * 1000)
        self.cpu_times.append((time.process_time() - cpu) * 1000)
        return hits


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(action: Callable[[], object]) -> float:
    return _clocked(action, time.perf_counter)


def cpu_timed(action: Callable[[], object]) -> float:
    return _clocked(action, time.process_time)


def _clocked(action: Callable[[], object], clock: Callable[[], float]) -> float:
    started = clock()
    # Kept until the clock has stopped: freeing what was built (a whole index, after a
    # build) is not part of building it.
    kept = action()
    elapsed = clock() - started
    del kept
    return elapsed


def measure(
    search: Searcher, *, batch: list[str], runs: int, addresses: list[DevQuery]
) -> dict[str, float]:
    """Quality, with each query's latency taken while measuring it; the batch is timed apart."""
    p50s: list[float] = []
    p99s: list[float] = []
    cpu_p50s: list[float] = []
    cpu_p99s: list[float] = []
    means: list[float] = []
    batches: list[float] = []
    cpu_batches: list[float] = []
    result: dict[str, float] = {}
    for _ in range(runs):
        clock = Timed(search)
        result["recall"] = recall(clock, load_dev_queries()).rate
        result["fp"] = false_match_rate(clock, load_ordinary_companies()).rate
        result["flag"] = false_match_rate(
            clock, load_ordinary_companies(), bands=(MATCH, REVIEW)
        ).rate
        result["address"] = recall(clock, addresses).rate
        result["people_fp"] = false_match_rate(clock, load_ordinary_people()).rate
        result["people_flag"] = false_match_rate(
            clock, load_ordinary_people(), bands=(MATCH, REVIEW)
        ).rate
        p50s.append(percentile(clock.times, 0.50))
        p99s.append(percentile(clock.times, 0.99))
        cpu_p50s.append(percentile(clock.cpu_times, 0.50))
        cpu_p99s.append(percentile(clock.cpu_times, 0.99))
        means.append(statistics.fmean(clock.times))
        if batch:
            batches.append(timed(lambda: [search(q) for q in batch]))
            cpu_batches.append(cpu_timed(lambda: [search(q) for q in batch]))
    result["p50"] = statistics.median(p50s)
    result["p99"] = statistics.median(p99s)
    result["p50_cpu"] = statistics.median(cpu_p50s)
    result["p99_cpu"] = statistics.median(cpu_p99s)
    result["batch_cpu"] = statistics.median(cpu_batches) if cpu_batches else 0.0
    result["mean"] = statistics.median(means)
    result["batch"] = statistics.median(batches) if batches else 0.0
    return result


def baseline_pairs(pairs: list[PairCase]) -> tuple[float, float, float]:
    """(recall, false match, false match or review) of WRatio on the held-out pairs."""
    missed = matched = flagged = 0
    for case in pairs:
        score = fuzz.WRatio(case.query, case.listed, processor=utils.default_process)
        if case.is_match and score < BASELINE_REVIEW:
            missed += 1
        if not case.is_match and score >= BASELINE_MATCH:
            matched += 1
        if not case.is_match and score >= BASELINE_REVIEW:
            flagged += 1
    true_total = sum(c.is_match for c in pairs)
    false_total = max(len(pairs) - true_total, 1)
    return 1 - missed / max(true_total, 1), matched / false_total, flagged / false_total


def print_held_out() -> None:
    for title, pairs, entity_type in (
        ("development (ours) company", [p.case for p in load_dev_pairs(DEV_PAIRS_COMPANIES)], None),
        (
            "development (ours) person",
            [p.case for p in load_dev_pairs(DEV_PAIRS_PERSONS)],
            "Individual",
        ),
        ("held-out nomenklatura company/organization", load_held_out_pairs(), None),
        ("held-out nomenklatura person", load_held_out_pairs(HELD_OUT_PERSONS), "Individual"),
    ):
        engine = held_out_measures(pairs, entity_type=entity_type)
        base = baseline_pairs(pairs)
        true_total = sum(c.is_match for c in pairs)
        print(
            f"{title} pairs "
            f"({true_total} true, {len(pairs) - true_total} false; one listed name per index):"
        )
        rows = [
            ("recall (match/review on true pairs)", engine.recall.rate, base[0]),
            ("false 'match' on false pairs", engine.false_match.rate, base[1]),
            ("false 'match or review' on false pairs", engine.false_flag.rate, base[2]),
        ]
        for row_title, mine, theirs in rows:
            print(f"{row_title:44} {mine:>10.2%} {theirs:>10.2%}")
    un_persons = load_un_person_queries()
    measure = listed_person_recall(un_persons)
    print(
        f"held-out yente UN persons ({measure.total} queries with typos or reordered, "
        f"all listed names in one index):"
    )
    print(f"{'recall (own name in top 5, match/review)':44} {measure.rate:>10.2%}")


ENGINE = engine_in_use()


def cold_build(entries: list[ScreeningEntry]) -> ScreeningIndex:
    # The engine remembers tokens, words and weights across builds; a first build after
    # start-up has none of them.
    forget_memory()
    return ScreeningIndex.build(entries)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark screening against a naive baseline.")
    parser.add_argument("--runs", type=int, default=3, help="repeats; timings are medians")
    parser.add_argument("--batch", type=int, default=10_000, help="queries in the batch test")
    args = parser.parse_args()

    entries = load_entries()
    index = ScreeningIndex.build(entries)
    builds = [timed(lambda: cold_build(entries)) for _ in range(args.runs)]
    build_cpus = [cpu_timed(lambda: cold_build(entries)) for _ in range(args.runs)]
    addresses = load_address_queries(entries)
    queries = [q.query for q in load_dev_queries()] + load_ordinary_companies()
    queries += [q.query for q in addresses]
    batch = [queries[i % len(queries)] for i in range(args.batch)]
    engine = measure(safe(engine_searcher(index)), batch=batch, runs=args.runs, addresses=addresses)
    baseline_search, baseline_build = baseline_searcher(entries)
    base = measure(baseline_search, batch=[], runs=1, addresses=addresses)
    # The baseline is too slow for the full batch: its batch is its mean latency times N.
    base["batch"] = base["mean"] * args.batch / 1000
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"CSL 2022-05: {len(index)} entries, {index.name_count} names and "
        f"{index.address_count} addresses indexed; {len(queries)} queries "
        f"(dev set + ordinary names + addresses); runs={args.runs}"
    )
    print(f"engine: {ENGINE}")
    rows = [
        ("dev recall (top 5, match/review)", "recall", "{:.2%}", False),
        ("false 'match' on ordinary names", "fp", "{:.2%}", False),
        ("false 'match or review' on ordinary names", "flag", "{:.2%}", False),
        ("address recall (top 5, match/review)", "address", "{:.2%}", False),
        ("false 'match' on ordinary people", "people_fp", "{:.2%}", False),
        ("false 'match or review' on ordinary people", "people_flag", "{:.2%}", False),
        ("p50 per query (ms)", "p50", "{:.3f}", True),
        ("p99 per query (ms)", "p99", "{:.3f}", True),
        (f"batch of {args.batch} (s; baseline estimated)", "batch", "{:.2f}", True),
    ]
    print(f"{'':44} {'engine':>10} {'baseline':>10} {'baseline/engine':>16}")
    for title, key, fmt, ratio in rows:
        factor = f"{base[key] / engine[key]:.1f}x" if ratio and engine[key] else "-"
        print(f"{title:44} {fmt.format(engine[key]):>10} {fmt.format(base[key]):>10} {factor:>16}")
    build = statistics.median(builds)
    print(f"{'index build (s)':44} {build:>10.2f} {baseline_build:>10.2f} {'-':>16}")
    print(f"{'index build, CPU time (s)':44} {statistics.median(build_cpus):>10.2f}")
    for title, key in (
        ("p50 per query, CPU time (ms)", "p50_cpu"),
        ("p99 per query, CPU time (ms)", "p99_cpu"),
        (f"batch of {args.batch}, CPU time (s)", "batch_cpu"),
    ):
        print(f"{title:44} {engine[key]:>10.3f}")
    print(f"{'process peak memory (MB)':44} {peak_mb:>10.0f}   (one process, both loaded)")
    print("budgets: p50 <= 1 ms, p99 <= 10 ms, build <= 2 s, peak <= 300 MB, 10,000 queries <= 7 s")
    if not COMPILED:
        print("(the image runs screening compiled: `python -m bench.compiled` measures that)")
    print_held_out()


if __name__ == "__main__":
    main()

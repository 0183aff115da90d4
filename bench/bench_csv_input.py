"""Time the shared CSV input reader against the csv module alone, on watchlist files.

Run: .venv/bin/python -m bench.bench_csv_input [--rows N] [--runs R]

The reader (`bot.services.csv_input`) adds encoding detection (a scan of the whole
file), delimiter detection, line numbers, the broken-quote and ragged-row checks and
a NUL / bad-byte check per record. Baseline, in the same process: `csv.reader` over
the same bytes decoded as UTF-8, which checks none of that. Three files of N rows
(synthetic company names, bench/company_names.py): plain UTF-8 with commas, every
row with a quoted address, and UTF-16 with semicolons. Target: at most 20 us per row
(100,000 rows read in 2 s, a small part of the minute their import and screening take).
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import time
from collections.abc import Callable
from functools import partial

from bench.company_names import company_names
from bot.services.csv_input import read_csv

TARGET_US_PER_ROW = 20.0


def files(rows: int) -> dict[str, bytes]:
    names = company_names(rows)
    plain = "id,name,country\n" + "".join(f"C-{n},{name},GB\n" for n, name in enumerate(names))
    quoted = "id,name,address\n" + "".join(
        f'C-{n},{name},"{n} High Street, Leeds"\n' for n, name in enumerate(names)
    )
    excel = plain.replace(",", ";").replace("\n", "\r\n").encode("utf-16")
    return {"utf-8, comma": plain.encode(), "quoted address": quoted.encode(), "utf-16, ;": excel}


def with_reader(data: bytes) -> int:
    with read_csv(io.BytesIO(data), wanted=("name",)) as table:
        return sum(1 for _ in table.records())


def with_csv_module(data: bytes, encoding: str, delimiter: str) -> int:
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    return sum(1 for _ in csv.reader(text, delimiter=delimiter)) - 1


def median_seconds(run: Callable[[], int], runs: int) -> float:
    run()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.process_time()
        run()
        samples.append(time.process_time() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{args.rows:,} rows, median CPU of {args.runs} runs")
    worst = 0.0
    for label, data in files(args.rows).items():
        encoding, delimiter = ("utf-16", ";") if "16" in label else ("utf-8", ",")
        assert with_reader(data) == with_csv_module(data, encoding, delimiter) == args.rows
        ours = median_seconds(partial(with_reader, data), args.runs)
        base = median_seconds(partial(with_csv_module, data, encoding, delimiter), args.runs)
        per_row = ours / args.rows * 1e6
        worst = max(worst, per_row)
        print(
            f"  {label:15} reader {ours:.3f} s ({per_row:.1f} us/row), csv module alone "
            f"{base:.3f} s: {ours / base:.1f}x"
        )
    ok = "OK" if worst <= TARGET_US_PER_ROW else "OVER TARGET"
    print(f"slowest: {worst:.1f} us per row (target <= {TARGET_US_PER_ROW:g}) {ok}")


if __name__ == "__main__":
    main()

"""Run every benchmark: `python -m bench`."""

from __future__ import annotations

import runpy
import sys

MODULES = (
    "bench.bench_import",
    "bench.bench_load",
    "bench.bench_monitoring",
    "bench.bench_parse",
    "bench.bench_press",
    "bench.bench_poll",
    "bench.bench_screening",
    "bench.bench_screening_scale",
    "bench.bench_slack",
)

for module in MODULES:
    print(f"\n== {module}")
    sys.argv = [module]
    runpy.run_module(module, run_name="__main__")

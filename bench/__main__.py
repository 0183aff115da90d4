"""Run every benchmark: `python -m bench [NAME ...]`.

Every `bench/bench_*.py` is found by its file name, so a new benchmark needs no
registration here, and each runs in its own process: one that crashes or exits
non-zero neither stops the others nor lends them its memory. The exit status is 1
when any of them failed, and the last lines say which.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover(names: list[str]) -> list[str]:
    """Module names of the benchmarks, in file-name order; `names` narrows them down."""
    found = [f"bench.{path.stem}" for path in sorted(HERE.glob("bench_*.py"))]
    if not names:
        return found
    wanted = {n if n.startswith("bench.") else f"bench.{n.removesuffix('.py')}" for n in names}
    unknown = sorted(wanted - set(found))
    if unknown:
        raise SystemExit(f"bench: no such benchmark: {', '.join(unknown)}")
    return [m for m in found if m in wanted]


def run(
    module: str, *, args: Sequence[str] = (), env: Mapping[str, str] | None = None
) -> tuple[int, float]:
    print(f"\n== {module}", flush=True)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=HERE.parent, env=env, check=False
    )
    return done.returncode, time.perf_counter() - started


def main(argv: list[str]) -> int:
    modules = discover(argv)
    outcomes = {module: run(module) for module in modules}
    print("\n== summary")
    for module, (code, seconds) in outcomes.items():
        state = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"{module:<28} {state:<18} {seconds:7.1f}s")
    failed = [m for m, (code, _) in outcomes.items() if code != 0]
    print(f"{len(modules) - len(failed)} of {len(modules)} benchmarks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

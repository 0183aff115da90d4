"""Benchmarks of the screening engine as the image ships it, compiled with mypyc.

    python -m bench.compiled [NAME ...] [-- ARGS]    (default: bench_screening)

compiles the checkout's `screening/` (once per content of its sources, into .build/;
about half a minute) and runs each named benchmark in its own process against it, with ARGS.
Without this, a benchmark measures the Python source that `make dev` installs.
"""

from __future__ import annotations

import os
import sys

from bench.__main__ import discover, run
from tests.compiled import BUILD_VARIABLE, compiled_screening


def main(argv: list[str]) -> int:
    names, args = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    modules = discover(names or ["bench_screening"])
    build = compiled_screening()
    print(f"screening compiled with mypyc: {build}", flush=True)
    env = {**os.environ, BUILD_VARIABLE: str(build)}
    codes = [run(module, args=args, env=env)[0] for module in modules]
    return 1 if any(codes) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""`python -m bench` (what `make bench` runs): every bench_*.py, and a failure is an exit 1."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runs_every_module_and_fails_when_one_fails(tmp_path: Path) -> None:
    package = tmp_path / "bench"
    package.mkdir()
    (package / "__init__.py").write_text("")
    shutil.copy(ROOT / "bench" / "__main__.py", package / "__main__.py")
    # An early `raise SystemExit(0)` stopped the old runner after the second module.
    (package / "bench_a_exits_early.py").write_text("print('ran a')\nraise SystemExit(0)\n")
    (package / "bench_b_fails.py").write_text("print('ran b')\nraise SystemExit(3)\n")
    (package / "bench_c_crashes.py").write_text("print('ran c')\n1 / 0\n")
    (package / "bench_d_ok.py").write_text("print('ran d')\n")
    (package / "common.py").write_text("raise AssertionError('not a benchmark')\n")
    done = subprocess.run(
        [sys.executable, "-m", "bench"], cwd=tmp_path, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    for name in "abcd":
        assert f"ran {name}" in done.stdout
    assert "bench.bench_b_fails" in done.stdout and "FAILED (exit 3)" in done.stdout
    assert "2 of 4 benchmarks passed" in done.stdout
    ok = subprocess.run(
        [sys.executable, "-m", "bench", "bench_d_ok"], cwd=tmp_path, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    assert ok.returncode == 0 and "1 of 1 benchmarks passed" in ok.stdout


def test_the_real_benchmarks_are_all_found() -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from bench.__main__ import discover
    finally:
        sys.path.remove(str(ROOT))
    files = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    assert [m.removeprefix("bench.") for m in discover([])] == files
    assert len(files) >= 5

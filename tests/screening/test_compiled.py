"""The screening engine as the image ships it: compiled with mypyc (setup.py).

`make dev` runs `screening/` as Python source, and every other test here tests that.
Compiled code can fail where the source does not (a native class checks each argument's
type, a compiled module cannot be patched), so the compiled engine is built from this
checkout (tests/compiled.py, cached in .build/ by the sources' content) and:

- the whole screening suite runs against it, in a process of its own;
- it writes the very same answers as the source on 3,152 queries (every field of every
  result, `bench.screening_answers`).

`make test-compiled` runs them (`make test` leaves them out, for time: about two
minutes). Without a C compiler they are skipped with the reason; under CI=true that fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.compiled import BUILD_VARIABLE, ROOT, compiled_screening, compiler_missing

pytestmark = [pytest.mark.slow, pytest.mark.compiled]


@pytest.fixture(scope="module")
def build() -> Path:
    problem = compiler_missing()
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"cannot compile screening: {problem} (CI=true: the image compiles it)")
        pytest.skip(f"cannot compile screening: {problem}")
    return compiled_screening()


def run_python(*args: str, build: Path | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != BUILD_VARIABLE}
    if build is not None:
        env[BUILD_VARIABLE] = str(build)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_build_is_compiled(build: Path) -> None:
    done = run_python("-c", "import tests, screening.index as m; print(m.__file__)", build=build)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(".so")
    assert Path(done.stdout.strip()).is_relative_to(build)


def test_a_run_that_cannot_use_the_build_stops(tmp_path: Path) -> None:
    # screening imported from the source first: the run would measure the wrong engine.
    done = run_python("-c", "import screening, tests", build=tmp_path)
    assert done.returncode != 0
    assert f"{BUILD_VARIABLE}={tmp_path}, but screening came from" in done.stderr


def test_the_compiled_engine_passes_the_screening_tests(build: Path) -> None:
    done = run_python(
        "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
        "tests/screening", "--ignore", "tests/screening/test_compiled.py",
        build=build,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]


def test_the_compiled_engine_answers_as_the_source_does(build: Path, tmp_path: Path) -> None:
    source, compiled = tmp_path / "source.json", tmp_path / "compiled.json"
    for out, used, engine in (
        (source, None, "screening as Python source"),
        (compiled, build, "screening compiled with mypyc"),
    ):
        done = run_python("-m", "bench.screening_answers", str(out), build=used)
        assert done.returncode == 0, done.stderr
        # Each file comes from the engine it is meant to: the comparison is not one of
        # the source with itself.
        assert f"3152 answers written to {out} ({engine})" in done.stdout
    assert compiled.read_bytes() == source.read_bytes()

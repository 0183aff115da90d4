"""The screening engine compiled as the image ships it, for the tests and the benchmarks.

`make dev` installs `screening/` as Python source, so an edit is what runs. The image
compiles it with mypyc (setup.py, ENTITYWATCH_COMPILE=1), and compiled code can fail
where Python does not (a native class checks every argument's type). So:

- `compiled_screening()` compiles the checkout's `screening/` into `.build/`, once per
  content of its sources, setup.py and the Python and mypy versions;
- `ENTITYWATCH_SCREENING_BUILD=<that folder>` makes a test run (tests/__init__.py) or a
  benchmark (bench/__init__.py) import the compiled package instead of the source, and
  fails at once if it cannot.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_VARIABLE = "ENTITYWATCH_SCREENING_BUILD"


class CompileError(RuntimeError):
    """mypyc or the C compiler failed; the message holds their output."""


def compiler_missing() -> str | None:
    """Why nothing can be compiled here (no C compiler, no Python headers), or None."""
    # CC may carry flags ("gcc -pthread"): the compiler is its first word.
    if shutil.which(os.environ.get("CC", "cc").split()[0]) is None:
        return "no C compiler (cc) on PATH"
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not headers.exists():
        return f"no Python headers ({headers})"
    return None


def compiled_screening(root: Path = ROOT) -> Path:
    """A folder holding `screening` compiled from `root`'s sources (built if missing)."""
    target = root / ".build" / f"screening-{_sources_key(root)}"
    if any(target.glob("screening/__init__.*.so")):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".compiling-") as work:
        lib, temp = Path(work) / "lib", Path(work) / "temp"
        build = ["build_ext", "--build-lib", str(lib), "--build-temp", str(temp)]
        done = subprocess.run(
            [sys.executable, "setup.py", "--quiet", *build],
            cwd=root,
            env={**os.environ, "ENTITYWATCH_COMPILE": "1"},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise CompileError(f"compiling screening failed:\n{done.stdout}\n{done.stderr}")
        # Another process may have finished the same build meanwhile: the same bytes.
        if not target.exists():
            lib.rename(target)
    return target


def use_compiled_screening() -> None:
    """Import `screening` from ENTITYWATCH_SCREENING_BUILD, when that is set."""
    build = os.environ.get(BUILD_VARIABLE)
    if not build:
        return
    if "screening" not in sys.modules:
        sys.path.insert(0, build)
    import screening

    # Also when screening was imported before (from the source, or by an earlier call).
    if not screening.COMPILED or not Path(screening.__file__).is_relative_to(build):
        raise RuntimeError(
            f"{BUILD_VARIABLE}={build}, but screening came from {screening.__file__}"
        )


def engine_in_use() -> str:
    """Which screening engine this process runs, for a benchmark to say what it measured."""
    # Imported here: at the top it would come before `use_compiled_screening` could act.
    import screening

    return "screening compiled with mypyc" if screening.COMPILED else "screening as Python source"


def _sources_key(root: Path) -> str:
    digest = hashlib.sha256(f"{sys.version}\nmypy {version('mypy')}\n".encode())
    for path in [root / "setup.py", *sorted((root / "screening").glob("*.py"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]

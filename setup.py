"""Build hook: the screening engine compiled to C with mypyc, when asked.

Everything about the project is declared in pyproject.toml; this file only adds the
compiled modules. `ENTITYWATCH_COMPILE=1 pip wheel .` (what the image's builder stage
does) turns every module of `screening/` into a C extension: the same code and the same
answers, about a third faster to build an index and to screen (README, Benchmarks).
Without it the wheel is pure Python, as `make dev` installs it, so an edited source is
what runs. Compiling needs a C compiler and the Python headers, and fails loudly
without them: an image that was meant to be compiled never ships silently slower.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from setuptools import setup

COMPILE = "ENTITYWATCH_COMPILE"

# mypy's settings for compiling, apart from pyproject.toml's [tool.mypy]: that one loads
# the pydantic plugin, which the isolated build environment does not have, and checks
# packages that are not compiled. The third-party modules screening imports (anyascii,
# python-bidi, rapidfuzz) are not installed there either: they are called as Python, and
# what they return is Any here (`make typecheck` checks the code with their types).
MYPYC_CONFIG = """\
[mypy]
strict = True
ignore_missing_imports = True
warn_return_any = False
warn_unused_ignores = False
"""


def compiled_screening() -> list[object]:
    if os.environ.get(COMPILE, "0") != "1":
        return []
    from mypyc.build import mypycify

    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as config:
        config.write(MYPYC_CONFIG)
    try:
        modules = sorted(str(path) for path in Path("screening").glob("*.py"))
        return list(
            mypycify(
                ["--config-file", config.name, *modules], opt_level="3", group_name="screening"
            )
        )
    finally:
        os.unlink(config.name)


setup(ext_modules=compiled_screening())

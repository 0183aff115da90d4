"""The image's wheel, built from exactly what /.dockerignore admits, installs and runs.

The Dockerfile copies the whole build context and runs `pip wheel .`, so the context
(the repository filtered by /.dockerignore) is all the image knows. This test lays out
that context in a temporary folder, builds the wheel from it, installs the wheel into a
fresh virtualenv and runs `entitywatch --help` there. A package left out of the
allow-list (as `reference/` once was) fails here with ModuleNotFoundError, without
Docker. The dependencies are lent from this virtualenv's site-packages by a `.pth`
line (installing them again would download them); the project itself comes only from
the wheel, which the test checks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def dockerignore_rules(text: str) -> list[tuple[bool, re.Pattern[str]]]:
    """(admits, pattern) per line, in order: the last rule that matches a path decides."""
    rules: list[tuple[bool, re.Pattern[str]]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        admits = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        rules.append((admits, re.compile(glob_regex(pattern))))
    return rules


def glob_regex(pattern: str) -> str:
    """Docker's .dockerignore globs: `*` stays inside one path part, `**` crosses them."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return out


def admitted(relative: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Whether the context holds `relative`: a rule matching a folder covers what is in it."""
    parts = relative.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    verdict = True
    for admits, pattern in rules:
        if any(pattern.fullmatch(candidate) for candidate in candidates):
            verdict = admits
    return verdict


def context_files(root: Path, rules: list[tuple[bool, re.Pattern[str]]]) -> Iterator[str]:
    """Every file of the build context, as a path relative to `root`."""
    readmits = [p.pattern for admits, p in rules if admits]
    for folder, dirs, files in os.walk(root):
        here = Path(folder).relative_to(root).as_posix()
        prefix = "" if here == "." else f"{here}/"
        # Skip a folder that is excluded and that no `!` rule could reach into (.git, .venv).
        dirs[:] = [
            d
            for d in dirs
            if admitted(prefix + d, rules)
            or any(r.startswith(re.escape(prefix + d)) for r in readmits)
        ]
        for name in files:
            if admitted(prefix + name, rules):
                yield prefix + name


def test_the_rules_read_like_docker() -> None:
    rules = dockerignore_rules("*\n!bot/\n**/__pycache__\n**/*.pyc\n!keep.md\n")
    assert admitted("bot/cli/main.py", rules)
    assert not admitted("bot/cli/__pycache__/main.cpython-311.pyc", rules)
    assert not admitted("bot/x.pyc", rules)
    assert not admitted("tests/test_x.py", rules)
    assert not admitted(".env", rules)
    assert admitted("keep.md", rules)
    assert not admitted("botany/x.py", rules)


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rules = dockerignore_rules((ROOT / ".dockerignore").read_text(encoding="utf-8"))
    folder = tmp_path_factory.mktemp("context")
    for relative in context_files(ROOT, rules):
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, target)
    return folder


def test_the_context_holds_every_package_and_nothing_secret(context: Path) -> None:
    top = {p.name for p in context.iterdir()}
    assert {"bot", "watchers", "storage", "screening", "reference"} <= top
    assert {"tests", ".venv", ".git", "bench", "deploy"}.isdisjoint(top)
    assert not list(context.rglob(".env")) and not list(context.rglob("__pycache__"))


@pytest.mark.slow
def test_a_wheel_of_the_context_installs_and_runs(context: Path, tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(wheels), str(context)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("entitywatch-*.whl")

    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    # The dependencies, lent: a plain path line adds this venv's site-packages after the
    # fresh one's, and the editable install's own .pth files there are not run.
    (Path(site) / "lent-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", str(wheel)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr

    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "DATABASE_URL"}}
    where = subprocess.run(
        [str(python), "-c", "import bot, reference; print(bot.__file__, reference.__file__)"],
        capture_output=True, text=True, cwd=tmp_path, env=env, check=True,
    ).stdout  # fmt: skip
    assert str(ROOT) not in where and where.count(site) == 2, where
    helped = subprocess.run(
        [str(fresh / "bin" / "entitywatch"), "--help"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert helped.returncode == 0, helped.stderr
    assert "usage: entitywatch" in helped.stdout

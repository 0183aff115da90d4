"""The project's own files: the licence, its metadata, and what each make target installs."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from importlib.metadata import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_licence_file_is_the_apache_2_text() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text


def test_the_licence_is_declared_as_an_spdx_expression() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "Apache-2.0"
    assert project["project"]["license-files"] == ["LICENSE"]
    # Older setuptools reject (or warn about) the PEP 639 fields.
    assert "setuptools>=77" in project["build-system"]["requires"]
    assert metadata("entitywatch")["License-Expression"] == "Apache-2.0"


def make_dry_run(target: str, venv: Path) -> str:
    done = subprocess.run(
        ["make", "-n", target, f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True,
        timeout=30, check=True,
    )  # fmt: skip
    return done.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_install_installs_only_the_runtime(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    install = make_dry_run("install", venv)
    assert "pip install --quiet -e ." in install and "[dev]" not in install
    # The demo needs no dev tools either; the test targets install them themselves.
    assert "[dev]" not in make_dry_run("demo", venv)
    for target in ("dev", "test", "lint", "bench"):
        assert "pip install --quiet -e '.[dev]'" in make_dry_run(target, venv), target

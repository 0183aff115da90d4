"""Fixtures for the CLI's screening tests: a SQLite database holding the 2019 sample."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import FIXTURES

SAMPLE_2019 = str(FIXTURES / "csl" / "consolidated-2019-sample.csv")


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Imported once per run; tests get copies (`db`) so none sees another's audit rows."""
    path = tmp_path_factory.mktemp("screen") / "sample.db"
    assert main(["lists", "import", SAMPLE_2019, "--database-url", f"sqlite:///{path}"]) == 0
    return path


@pytest.fixture
def db(sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    copy = tmp_path / "screen.db"
    shutil.copyfile(sample_db, copy)
    capsys.readouterr()  # the session fixture's import summary
    return f"sqlite:///{copy}"

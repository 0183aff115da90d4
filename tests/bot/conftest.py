"""Fixtures for the CLI's screening tests: a SQLite database holding the 2019 sample, with its
start dates moved so that it is a current snapshot (see `lists_ages`)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.bot.lists_ages import current_sample


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Imported once per run; tests get copies (`db`) so none sees another's audit rows."""
    folder = tmp_path_factory.mktemp("screen")
    path = folder / "sample.db"
    snapshot = folder / "current-sample.csv"
    snapshot.write_bytes(current_sample(today=datetime.now(UTC).date()))
    assert main(["lists", "import", str(snapshot), "--database-url", f"sqlite:///{path}"]) == 0
    return path


@pytest.fixture
def db(sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    copy = tmp_path / "screen.db"
    shutil.copyfile(sample_db, copy)
    capsys.readouterr()  # the session fixture's import summary
    return f"sqlite:///{copy}"

"""Shared fixtures: databases (SQLite file and PostgreSQL), data files, the CLI.

PostgreSQL tests run against TEST_POSTGRES_URL (default: the local server's
`test` database). Each test gets its own schema, dropped afterwards. When the
server is unreachable the tests are skipped with the reason, except under
CI=true, where a missing PostgreSQL fails the run.
"""

from __future__ import annotations

import gzip
import os
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from storage.engine import create_db_engine, normalize_url
from storage.migrate import upgrade

pytest_plugins = ["tests.fakes.fixtures"]

FIXTURES = Path(__file__).parent / "fixtures"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


@cache
def csl_2022_bytes() -> bytes:
    return gzip.decompress((FIXTURES / "csl" / "consolidated-2022-05.csv.gz").read_bytes())


def fixture_bytes(*parts: str) -> bytes:
    return FIXTURES.joinpath(*parts).read_bytes()


@cache
def _postgres_problem() -> str | None:
    url = normalize_url(os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG))
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure means "no PostgreSQL here"; reported below
        return f"PostgreSQL unreachable at {url}: {type(exc).__name__}"
    return None


def require_postgres() -> str:
    problem = _postgres_problem()
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{problem} (CI=true: PostgreSQL is required)")
        pytest.skip(problem)
    return normalize_url(os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'entitywatch.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    base = require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = create_db_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(autouse=True)
def _no_inherited_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-xdist's workers run with COLUMNS=80, plain pytest without: answers wrap at
    $COLUMNS, so a test (and the processes it starts) sees no width unless it sets one."""
    monkeypatch.delenv("COLUMNS", raising=False)

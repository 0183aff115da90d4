"""Two `entitywatch lists import` processes at once, on SQLite and PostgreSQL.

Tried: the full 2022 snapshot as the stored state, then two CLI processes started
together, each importing a different edit of it (A: 40 addresses changed; B: 40
other entries' policies changed and 25 entries added). Run serially, A then B
(or B then A) records each change once and leaves the list equal to the later
snapshot. Run concurrently, the end state must equal one of those two serial
orders: same entries, same changes (kind, entry, fields), none recorded twice. The
serial orders are run once, on SQLite, and both kinds are held to them.
Without serialisation on SQLite both processes diffed against the baseline.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.engine import create_db_engine
from storage.migrate import upgrade
from storage.models import ChangeRow, ListEntryRow
from tests.conftest import csl_2022_bytes
from tests.storage.helpers import rewrite_csv
from watchers.csl.importer import import_csl

EntryState = frozenset[tuple[str, str, str]]
ChangeState = Counter[tuple[str, str | None, str | None, str]]


def edit_a(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    for row in rows[100:140]:
        row["addresses"] = f"{row['addresses']}; Suite A"
    return rows


def edit_b(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    for row in rows[2000:2040]:
        row["license_policy"] = "Policy of denial (B)."
    extra = [
        dict(r, name=f"{r['name']} Holding B{i}", alt_names="") for i, r in enumerate(rows[:25])
    ]
    return rows + extra


def entries(engine: Engine) -> EntryState:
    with Session(engine) as session:
        rows = session.execute(
            select(ListEntryRow.list_code, ListEntryRow.entry_key, ListEntryRow.content_digest)
        )
        return frozenset((r[0], r[1], r[2]) for r in rows)


def changes(engine: Engine) -> ChangeState:
    """Entry changes as comparable tuples; a change recorded twice counts twice."""
    with Session(engine) as session:
        rows = session.execute(
            select(
                ChangeRow.kind, ChangeRow.list_code, ChangeRow.entry_key, ChangeRow.fields
            ).where(ChangeRow.kind.in_(("added", "removed", "modified")))  # type: ignore[attr-defined]
        )
        # The fields carry before and after: B undoing A's edit is a change of its own.
        return Counter((r[0], r[1], r[2], repr(sorted((r[3] or {}).items()))) for r in rows)


def baseline(url: str) -> Engine:
    engine = create_db_engine(url)
    upgrade(engine)
    import_csl(
        engine, csl_2022_bytes(), now=datetime.now(UTC), origin="test", max_removed_share=0.1
    )
    return engine


def serial(url: str, first: bytes, second: bytes) -> tuple[EntryState, ChangeState]:
    engine = create_db_engine(url)
    for data in (first, second):
        import_csl(engine, data, now=datetime.now(UTC), origin="test", max_removed_share=0.1)
    state = entries(engine), changes(engine)
    engine.dispose()
    return state


@dataclass(frozen=True)
class Reference:
    """Made once per module (each full import costs seconds): the two edits, a SQLite
    database holding the 2022 baseline, and the end state of each serial order."""

    path_a: Path
    path_b: Path
    baseline_db: Path
    orders: dict[str, tuple[EntryState, ChangeState]]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    folder = tmp_path_factory.mktemp("concurrent-import")
    data_a = rewrite_csv(csl_2022_bytes(), edit_a)
    data_b = rewrite_csv(csl_2022_bytes(), edit_b)
    path_a, path_b = folder / "a.csv", folder / "b.csv"
    path_a.write_bytes(data_a)
    path_b.write_bytes(data_b)
    baseline_db = folder / "baseline.db"
    baseline(f"sqlite:///{baseline_db}").dispose()
    # The serial orders on SQLite are the reference for both kinds: the stored entries and
    # changes compared here do not depend on the database (the storage tests check each
    # kind's serial imports), so PostgreSQL's concurrent result must equal them too.
    orders = {}
    for name, first, second in (("A then B", data_a, data_b), ("B then A", data_b, data_a)):
        copy = folder / f"{name.replace(' ', '-')}.db"
        shutil.copyfile(baseline_db, copy)
        orders[name] = serial(f"sqlite:///{copy}", first, second)
    return Reference(path_a=path_a, path_b=path_b, baseline_db=baseline_db, orders=orders)


def cli_import(url: str, path: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    env["DATABASE_URL"] = url
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "lists", "import", str(path), "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_imports_at_once_equal_one_serial_order(db_url: str, reference: Reference) -> None:
    if db_url.startswith("sqlite"):
        # The baseline, copied: the same state an import would leave, without its cost.
        shutil.copyfile(reference.baseline_db, db_url.removeprefix("sqlite:///"))
        engine = create_db_engine(db_url)
    else:
        engine = baseline(db_url)
    processes = [cli_import(db_url, reference.path_a), cli_import(db_url, reference.path_b)]
    for process in processes:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert "Traceback" not in err
    got = entries(engine), changes(engine)
    engine.dispose()
    assert all(n == 1 for n in got[1].values()), "a change was recorded twice"
    matching = [name for name, state in reference.orders.items() if state == got]
    assert matching, (
        f"end state matches no serial order: {len(got[0])} entries, {sum(got[1].values())} "
        f"changes; serial: {[(len(s[0]), sum(s[1].values())) for s in reference.orders.values()]}"
    )

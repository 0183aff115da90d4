"""CSL import into a real database (SQLite file and PostgreSQL): baseline, diff, guard.

Bad inputs tried here, each leaving stored state byte-for-byte unchanged: a
snapshot that would remove >10% of a list, an HTML error page, a truncated
file, a repeated header, missing key columns, undecodable bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storage.models import ChangeRow, ListEntryRow, SnapshotRow
from tests.conftest import fixture_bytes
from tests.storage.helpers import dump_state, rewrite_csv
from watchers.csl.importer import ImportOutcome, SnapshotRefused, import_csl
from watchers.errors import ParseError

SAMPLE_2019 = fixture_bytes("csl", "consolidated-2019-sample.csv")
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
T1 = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def run_import(engine: Engine, data: bytes, *, now: datetime = T0, **kw: object) -> ImportOutcome:
    return import_csl(
        engine,
        data,
        now=now,
        origin="test",
        max_removed_share=0.10,
        **kw,  # type: ignore[arg-type]
    )


def change_kinds(engine: Engine) -> list[tuple[str, str | None, str | None]]:
    with Session(engine) as session:
        rows = session.execute(
            select(ChangeRow.kind, ChangeRow.list_code, ChangeRow.entry_name).order_by(ChangeRow.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def edited_2019() -> bytes:
    """One EL address and policy changed (and its row's notice), one EL entry dropped, one added."""

    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        el = [r for r in rows if r["source"].startswith("Entity List")]
        el[0]["addresses"] = "1 New Street, Moscow, RU"
        el[0]["license_policy"] = "Policy of denial."
        rows.remove(el[1])
        rows.append(dict(el[2], name="Brand New Trading LLC", alt_names=""))
        return rows

    return rewrite_csv(SAMPLE_2019, edit)


def test_first_import_is_a_baseline_per_list(engine: Engine) -> None:
    outcome = run_import(engine, SAMPLE_2019)
    assert outcome.status == "baseline"
    kinds = change_kinds(engine)
    assert {k for k, _, _ in kinds} == {"baseline"}
    assert len(kinds) == len(outcome.lists) == 9
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(ListEntryRow)) == 115


def test_reimport_of_the_same_snapshot_records_nothing(engine: Engine) -> None:
    run_import(engine, SAMPLE_2019)
    before = dump_state(engine)
    outcome = run_import(engine, SAMPLE_2019, now=T1)
    assert outcome.status == "unchanged"
    assert dump_state(engine) == before


def test_modifications_are_field_level_not_remove_plus_add(engine: Engine) -> None:
    run_import(engine, SAMPLE_2019)
    outcome = run_import(engine, edited_2019(), now=T1)
    el = outcome.lists["EL"]
    assert (el.added, el.removed, el.modified) == (1, 1, 1)
    assert outcome.lists["SDN"].status == "unchanged"
    with Session(engine) as session:
        modified = session.scalars(select(ChangeRow).where(ChangeRow.kind == "modified")).one()
    assert modified.fields is not None
    assert sorted(modified.fields) == ["addresses", "countries", "license_policy"]
    assert modified.fields["addresses"][1] == ["1 New Street, Moscow, RU"]
    # The same edited snapshot again: nothing new.
    before = dump_state(engine)
    run_import(engine, edited_2019(), now=T1)
    assert dump_state(engine) == before


def _drop_el_rows(count: int) -> bytes:
    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        el = [r for r in rows if r["source"].startswith("Entity List")][:count]
        return [r for r in rows if r not in el]

    return rewrite_csv(SAMPLE_2019, edit)


def test_mass_removal_is_refused_and_state_untouched(engine: Engine) -> None:
    run_import(engine, SAMPLE_2019)
    before = dump_state(engine)
    with pytest.raises(SnapshotRefused, match=r"EL would lose 3 of 22 entries \(14%\)"):
        run_import(engine, _drop_el_rows(3), now=T1)
    assert dump_state(engine) == before


def test_forced_import_applies_and_notes_it(engine: Engine) -> None:
    run_import(engine, SAMPLE_2019)
    outcome = run_import(engine, _drop_el_rows(3), now=T1, force=True)
    assert outcome.lists["EL"].removed == 3
    with Session(engine) as session:
        snap = session.scalars(select(SnapshotRow).order_by(SnapshotRow.id.desc())).first()  # type: ignore[union-attr]
    assert snap is not None and snap.detail == "forced past the removal guard"


def test_small_removal_passes_the_guard(engine: Engine) -> None:
    run_import(engine, SAMPLE_2019)
    assert run_import(engine, _drop_el_rows(2), now=T1).lists["EL"].removed == 2


BAD = [
    b"<html><head><title>Service Unavailable</title></head></html>",
    SAMPLE_2019[: len(SAMPLE_2019) // 3],
    SAMPLE_2019 + SAMPLE_2019.split(b"\n", 1)[0] + b"\n",
    SAMPLE_2019.replace(b"source,", b"src,", 1),
    SAMPLE_2019[:1000] + b"\xc3\x28" + SAMPLE_2019[1000:],
    b"",
]


@pytest.mark.parametrize(
    "data", BAD, ids=["html", "truncated", "header-twice", "no-source", "bad-utf8", "empty"]
)
def test_malformed_snapshot_leaves_state_untouched(engine: Engine, data: bytes) -> None:
    run_import(engine, SAMPLE_2019)
    before = dump_state(engine)
    with pytest.raises(ParseError):
        run_import(engine, data, now=T1)
    assert dump_state(engine) == before


def test_an_entry_that_comes_back_is_recorded_each_time(engine: Engine) -> None:
    """Added, removed, added again: the list returns to bytes it published before."""

    def with_gamma(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        el = next(r for r in rows if r["source"].startswith("Entity List"))
        return [*rows, dict(el, name="Gamma Trading LLC", alt_names="")]

    run_import(engine, SAMPLE_2019)
    plus = rewrite_csv(SAMPLE_2019, with_gamma)
    for when, data in enumerate([plus, SAMPLE_2019, plus], start=1):
        run_import(engine, data, now=T1 + timedelta(days=when))
    kinds = [k for k, _, name in change_kinds(engine) if name == "Gamma Trading LLC"]
    assert kinds == ["added", "removed", "added"]

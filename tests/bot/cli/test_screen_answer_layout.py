"""`entitywatch screen` as a process: an answer that a 120-column terminal shows unwrapped.

The lists are an invented family written as the Entity List writes one: a parent
"Co., Ltd. (short name)", affiliates named "Parent.  Affiliated Entity:  Member",
and a foreign office listed under a shorter form of the parent's name, which the
old tie-break (shorter name first) ranked above the parent. Long addresses and a
long affiliate name test the wrapping; eight affiliates give omissions to count.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.models import ScreeningAuditRow, SnapshotRow
from tests.bot.cli.test_cli_process import clean_env
from tests.conftest import fixture_bytes

EL = "Entity List (EL) - Bureau of Industry and Security"
PARENT = "Vornak Systems Co., Ltd. (Vornak)"
OFFICE = "Vornak Systems"
LONG_ADDRESS = (
    "Building 7, Quarter C, Kelvar Science and Technology Park, No. 4417 Ostrel Ring Road, "
    "Lantha New District, Marrow City, Dravia Province, 610000"
)
PARENT_ADDRESS = "No. 18 Tessel Road, Kelvar Technology Park, Marrow City, 610041"
AFFILIATES = [
    "Ostrel Vornak Instruments Co., Ltd.",
    "Vornak Marine Networks Co., Ltd.",
    "Vornak Digital Terminal (Marrow) Co., Ltd.",
    "Vornak Systems Co., Ltd., Kelvar Research and Development Institute for Applied Optics",
    "Lantha Vornak Software Co., Ltd.",
    "Vornak Cloud Computing Co., Ltd.",
    "Dravia Vornak Power Co., Ltd.",
    "Vornak Tech. Investment Co.",
]
# The columns of the CSL's CSV, as the 2019 sample has them.
HEADER = fixture_bytes("csl", "consolidated-2019-sample.csv").decode().splitlines()[0].split(",")


def family_csv() -> str:
    start = (datetime.now(UTC).date() - timedelta(days=10)).isoformat()

    def row(name: str, addresses: str, aliases: str = "") -> dict[str, str]:
        return {"source": EL, "name": name, "addresses": addresses, "start_date": start,
                "federal_register_notice": "84 FR 22961", "alt_names": aliases}  # fmt: skip

    # Affiliates and the office first: the parent is not first in the file either.
    rows = [row(f"{PARENT}.  Affiliated Entity:  {a}", f"{LONG_ADDRESS}, CN") for a in AFFILIATES]
    rows.append(row(OFFICE, "Cairo, EG"))
    rows.append(row(PARENT, f"{PARENT_ADDRESS}, CN; {LONG_ADDRESS}, CN", "Vornak Technology"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture(scope="module")
def family_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("family")
    source = folder / "family.csv"
    source.write_text(family_csv(), encoding="utf-8")
    env = clean_env(folder)
    env.pop("COLUMNS", None)
    done = run(env, "lists", "import", str(source))
    assert done.returncode == 0, done.stderr
    return env


def run(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv], env=env, cwd=Path(env["DATABASE_URL"][10:]).parent,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def heads(out: str) -> list[str]:
    """The head line of each result block: '1. match 1.00  NAME' -> NAME."""
    return [m.group(1) for m in re.finditer(r"^\d+\. \w+(?: \w+)? \d\.\d\d  (.+)$", out, re.M)]


@pytest.mark.parametrize(("columns", "width"), [(None, 120), ("80", 80)])
def test_every_line_fits_the_terminal(
    family_env: dict[str, str], columns: str | None, width: int
) -> None:
    env = family_env | ({"COLUMNS": columns} if columns else {})
    done = run(env, "screen", "Vornak Systems Co., Ltd.", "--limit", "10")
    assert done.returncode == 4, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    # The long address and the long affiliate name are there, wrapped, not cut.
    joined = " ".join(done.stdout.split())
    assert "Dravia Province, 610000" in joined and "for Applied Optics" in joined


def test_counts_and_omissions_come_before_the_verdict(family_env: dict[str, str]) -> None:
    # A wider terminal still gets 120 columns.
    env = family_env | {"COLUMNS": "300"}
    done = run(env, "screen", "Vornak Systems Co., Ltd.", "--limit", "3")
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 120
    assert lines[-1] == "verdict: match"
    assert lines[-2].startswith("3 candidates shown; not shown: +7 more on the Entity List")
    assert len(heads(done.stdout)) == 3


def test_the_parent_comes_before_its_family_when_all_tie(family_env: dict[str, str]) -> None:
    done = run(family_env, "screen", "Vornak Systems Co., Ltd.", "--limit", "10", "--json")
    results = json.loads(done.stdout)["results"]
    assert {r["score"] for r in results[:3]} == {1.0}
    assert results[0]["entry_name"] == PARENT
    # The office's shorter name no longer wins the tie; the affiliates come after both.
    names = [r["entry_name"] for r in results]
    assert names.index(OFFICE) < min(i for i, n in enumerate(names) if "Affiliated" in n)
    text = run(family_env, "screen", "Vornak Systems Co., Ltd.", "--limit", "10").stdout
    assert heads(text)[0] == PARENT


def test_an_address_query_shows_the_matched_address_in_its_own_place(
    family_env: dict[str, str],
) -> None:
    done = run(family_env, "screen", PARENT_ADDRESS, "--limit", "1")
    assert done.returncode in (3, 4), done.stdout + done.stderr
    block = done.stdout.split("\n1. ", 1)[1]
    head, *rest = block.splitlines()
    # The head line names the listed party, never the address that matched.
    assert head.endswith(f"  {PARENT}")
    assert "Tessel Road" not in head
    matched = next(line for line in rest if line.startswith("   matched address: "))
    assert PARENT_ADDRESS in matched
    # The party's other address is labelled as such, not in the matched address's place.
    other = next(line for line in rest if line.startswith("   other address: "))
    assert "Kelvar Science" in other


def test_a_query_that_displays_as_a_listed_name_is_screened_as_displayed(
    family_env: dict[str, str],
) -> None:
    """A right-to-left override and the letters reversed: every screen shows the listed
    name; the answer says so, with the control made visible, and finds the parent."""
    shown = "Vornak Systems Co., Ltd."
    done = run(family_env, "screen", "\u202e" + shown[::-1], "--limit", "2")
    assert done.returncode == 4, done.stdout + done.stderr
    assert f"query: \\u202e{shown[::-1]} (displays as “{shown}”); screened as stored and as " in (
        done.stdout
    )
    assert "\u202e" not in done.stdout
    assert heads(done.stdout)[0] == PARENT


def test_json_names_the_list_versions_and_the_audit_row(family_env: dict[str, str]) -> None:
    done = run(family_env, "screen", "Vornak Systems", "--json", "--limit", "1")
    answer = json.loads(done.stdout)
    engine = create_engine(family_env["DATABASE_URL"])
    with Session(engine) as session:
        snapshot = session.scalars(select(SnapshotRow).order_by(SnapshotRow.id.desc())).first()
        audit = session.get(ScreeningAuditRow, answer["audit_id"])
    engine.dispose()
    assert snapshot is not None and audit is not None
    # The audit row of this very screening, and the snapshot it was screened against.
    assert (audit.origin, audit.query) == ("cli", "Vornak Systems")
    versions = answer["list_versions"]
    assert versions["csl"] == snapshot.content_hash == audit.list_versions["csl"]
    assert versions["csl_fetched_at"] == audit.list_versions["csl_fetched_at"]
    assert "federal_register_change" in versions

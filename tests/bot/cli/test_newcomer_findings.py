"""What a newcomer tripped over (issue 22), each as the real `entitywatch` process meets it.

`parse --help` offered a kind the command refuses; `audit export` had no verdict
column (a "cannot clear" answer read as top band "no match") and overwrote a file
silently; `digest --print` called a failing source "ok" and an old snapshot fresh.
"""

from __future__ import annotations

import csv
import io
import shlex
from pathlib import Path

import pytest

from tests.bot.cli.test_cli_process import clean_env, entitywatch
from tests.conftest import FIXTURES

SAMPLE_2019 = FIXTURES / "csl" / "consolidated-2019-sample.csv"
FEED = FIXTURES / "press" / "press-feed.rss.xml"


@pytest.fixture
def old_lists(tmp_path: Path) -> dict[str, str]:
    """A database holding the 2019 sample: far too old to clear a name."""
    env = clean_env(tmp_path)
    done = entitywatch("lists", "import", str(SAMPLE_2019), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return env


def test_every_parse_example_in_its_help_runs(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    shown = entitywatch("parse", "--help", env=env, cwd=tmp_path)
    examples = shown.stdout.split("\nexamples:\n", 1)[1].splitlines()
    with_kind = [shlex.split(line)[1:] for line in examples if "--kind" in line]
    assert with_kind, shown.stdout
    for argv in with_kind:
        # The example's file name stands for a saved document of that kind.
        argv[1] = str(FEED)
        done = entitywatch(*argv, env=env, cwd=tmp_path)
        assert done.returncode == 0, (argv, done.stderr)
        assert "items" in done.stdout


def test_audit_export_has_the_verdict_and_refuses_to_overwrite(
    tmp_path: Path, old_lists: dict[str, str]
) -> None:
    screened = entitywatch("screen", "Zzyzx Quillfeather Works", env=old_lists, cwd=tmp_path)
    assert screened.returncode == 5 and "CANNOT CLEAR" in screened.stdout
    out = tmp_path / "audit.csv"
    done = entitywatch("audit", "export", "--out", str(out), env=old_lists, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (row,) = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
    assert (row["top_band"], row["verdict"], row["lists_state"]) == (
        "no match",
        "cannot clear",
        "stale",
    )

    kept = out.read_text(encoding="utf-8")
    again = entitywatch("audit", "export", "--out", str(out), env=old_lists, cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr == f"entitywatch: error: {out} exists; use --force to overwrite it\n"
    assert out.read_text(encoding="utf-8") == kept
    decisions = ("audit", "export", "--decisions", "--out", str(out))
    assert entitywatch(*decisions, env=old_lists, cwd=tmp_path).returncode == 1
    assert out.read_text(encoding="utf-8") == kept
    forced = entitywatch(*decisions, "--force", env=old_lists, cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert out.read_text(encoding="utf-8").startswith("decision_id,decided_at,")


def test_digest_calls_a_failing_source_failing_and_an_old_snapshot_stale(
    tmp_path: Path, old_lists: dict[str, str]
) -> None:
    # Nothing listens on port 9 of this machine: the Federal Register poll fails once.
    offline = old_lists | {"FR_API_URL": "http://127.0.0.1:9/api/v1/"}
    polled = entitywatch(
        "poll", "--source", "federal_register", "--once", env=offline, cwd=tmp_path
    )
    assert polled.returncode != 0
    done = entitywatch("digest", "--print", env=old_lists, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    sources = done.stdout.split("\nSources\n", 1)[1].splitlines()
    (csl,) = [line for line in sources if line.startswith("  csl:")]
    (fr,) = [line for line in sources if line.startswith("  federal_register:")]
    assert csl.startswith("  csl: STALE, last success") and "newest item 2019-" in csl
    assert fr.startswith("  federal_register: failing, 1 failure in a row, never succeeded")

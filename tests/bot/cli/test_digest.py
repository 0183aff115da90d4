"""`entitywatch digest --print` as a process: what it says about the CSL source after the
lists were imported by hand."""

from __future__ import annotations

from pathlib import Path

from tests.bot.cli.test_cli_process import clean_env, entitywatch, refused_port
from tests.conftest import FIXTURES

SAMPLE_2019 = str(FIXTURES / "csl" / "consolidated-2019-sample.csv")


def test_a_manual_import_counts_as_a_csl_success(tmp_path: Path) -> None:
    # The CSL URL is unreachable: one failed poll is enough to call the source down.
    env = clean_env(
        tmp_path,
        CSL_URL=f"http://127.0.0.1:{refused_port()}/consolidated.csv",
        SOURCE_DOWN_AFTER="1",
        HTTP_RETRIES="0",
    )
    polled = entitywatch("poll", "--once", "--source", "csl", env=env, cwd=tmp_path)
    assert polled.returncode == 1
    before = entitywatch("digest", "--print", env=env, cwd=tmp_path).stdout
    assert "DOWN: csl" in before and "never succeeded" in before

    imported = entitywatch("lists", "import", SAMPLE_2019, env=env, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    after = entitywatch("digest", "--print", env=env, cwd=tmp_path)
    assert after.returncode == 0
    sources = after.stdout.split("\nSources\n", 1)[1]
    # A success, though the 2019 sample is no current snapshot: stale, not "ok".
    assert "csl: STALE, last success" in sources
    assert "DOWN" not in after.stdout and "never succeeded" not in after.stdout

    # The source itself is still polled, and a failure after the import counts again.
    again = entitywatch("poll", "--once", "--source", "csl", env=env, cwd=tmp_path)
    assert again.returncode == 1
    assert "DOWN: csl" in entitywatch("digest", "--print", env=env, cwd=tmp_path).stdout

"""The operator's documents agree with each other and with what the process does (issue 22).

Found by a newcomer: `.env.example` said an empty value is a value while the README
(and the code) treat it as unset; the systemd unit installed the settings file 0640
where the README says 600; the README cited a file outside the repository and
promised a demo without internet although its first run installs from PyPI.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.bot.cli.test_cli_process import clean_env, entitywatch

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / "deploy" / ".env.example").read_text(encoding="utf-8")
UNIT = (ROOT / "deploy" / "entitywatch.service").read_text(encoding="utf-8")


def flat(text: str) -> str:
    """Comment markers and line breaks out, so a sentence reads as one line."""
    return " ".join(line.lstrip("# ").strip() for line in text.splitlines())


def test_empty_values_count_as_unset_as_both_documents_say(tmp_path: Path) -> None:
    sentence = "An empty value counts as unset"
    assert sentence in flat(README) and sentence in flat(ENV_EXAMPLE)
    # A settings file with empty lines, as an operator leaves them: each is the default.
    (tmp_path / ".env").write_text(
        "SLACK_APP_TOKEN=\nDIGEST_TIME=\nSOURCE_DOWN_AFTER=\nPRESS_FEEDS=\n", encoding="utf-8"
    )
    env = clean_env(tmp_path)
    shown = entitywatch("sources", "settings", env=env, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    (feeds,) = [line for line in shown.stdout.splitlines() if "PRESS_FEEDS=" in line]
    assert feeds.endswith("(default)") and "govdelivery" in feeds
    digest = entitywatch("digest", "--print", env=env, cwd=tmp_path)
    assert digest.returncode == 0, digest.stderr


def test_the_unit_installs_the_settings_file_with_the_readmes_mode() -> None:
    (unit_mode,) = re.findall(r"install -m (0?\d{3}) deploy/\.env\.example", UNIT)
    (readme_mode,) = re.findall(r"entitywatch\.env` \(mode (\d{3})", README)
    assert int(unit_mode, 8) == int(readme_mode, 8) == 0o600


def test_the_readme_cites_only_files_of_this_repository() -> None:
    roots = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")}
    # `shared/` is the workspace's data folder, not part of a clone.
    roots |= {"shared"}
    cited = set(re.findall(r"`([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+)`", README))
    missing = sorted(
        path for path in cited if path.split("/")[0] in roots and not (ROOT / path).exists()
    )
    assert missing == []


def test_the_readme_says_the_first_demo_run_needs_the_package_index() -> None:
    start = README.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    assert "no internet" not in start
    assert "The first run installs the dependencies from PyPI" in flat(start)

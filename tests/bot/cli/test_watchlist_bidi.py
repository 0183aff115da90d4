"""`watchlist import` and `watchlist list` as processes: a name stored with a right-to-left
override is listed with the control made visible and what it displays as, and screened as
displayed when it is added."""

from __future__ import annotations

from pathlib import Path

from tests.bot.cli.test_cli_process import clean_env, entitywatch
from tests.bot.cli.test_screen_answer_layout import family_csv

SHOWN = "Vornak Systems Co., Ltd."


def test_a_name_with_an_override_is_listed_as_it_is_and_as_it_displays(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    lists = tmp_path / "family.csv"
    lists.write_text(family_csv(), encoding="utf-8")
    assert entitywatch("lists", "import", str(lists), env=env, cwd=tmp_path).returncode == 0
    watch = tmp_path / "watch.csv"
    watch.write_text(f'id,name\nC-1,"\u202e{SHOWN[::-1]}"\n', encoding="utf-8")
    added = entitywatch(
        "watchlist", "import", str(watch), "--name-column", "name", "--id-column", "id",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    # Screened when added, as it displays: the listed parent is a possible match.
    # (the parent, its office and its affiliates, each a possible match)
    assert "screened 1 counterparties against every list: 5 possible matches" in added.stdout
    shown = entitywatch("watchlist", "list", env=env, cwd=tmp_path)
    assert f"  C-1  \\u202e{SHOWN[::-1]} (displays as “{SHOWN}”)" in shown.stdout
    assert "\u202e" not in shown.stdout

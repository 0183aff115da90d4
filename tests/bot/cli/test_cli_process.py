"""`entitywatch` as a new user meets it: a real process, its exit status, stdout and stderr.

Bad settings stop every command at start with one line naming the variable; an
offline `poll --once` says per source what failed and why, without tracebacks;
`--help` and `--version` answer.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.help import COMMANDS, subcommands
from bot.cli.main import build_parser

CLEARED = ("SLACK_", "ALERT_", "DATABASE_", "DIGEST_", "CSL_", "FR_", "PRESS_", "LOG_", "NO_COLOR")


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.db'}"
    env.update(extra)
    return env


def entitywatch(
    *argv: str, env: dict[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    # cwd: a folder without a .env file, so only `env` configures the process.
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def refused_port() -> int:
    """A local port nothing listens on: connections to it are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_one_line_error(done: subprocess.CompletedProcess[str], message: str) -> None:
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("entitywatch: error: "), done.stderr
    assert message in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SLACK_API_URL", "not-a-url", "setting SLACK_API_URL: 'not-a-url' has no scheme"),
        ("FR_API_URL", "ftp://x", "setting FR_API_URL: 'ftp://x' has scheme 'ftp'"),
        (
            "CSL_URL",
            "https:///consolidated.csv",
            "setting CSL_URL: 'https:///consolidated.csv' has no host",
        ),
        (
            "PRESS_FEEDS",
            "https://www.bis.gov/rss.xml,news",
            "setting PRESS_FEEDS: 'news' has no scheme",
        ),
        (
            "PUBLIC_INSPECTION_FAST_WINDOWS",
            "8:40-9:30",
            "setting PUBLIC_INSPECTION_FAST_WINDOWS: '8:40-9:30' is not a time window; "
            "use HH:MM-HH:MM",
        ),
        ("DIGEST_DAY", "funday", "setting DIGEST_DAY: 'funday' is not a day of the week"),
        ("DIGEST_DAY", "8", "setting DIGEST_DAY: '8' is not a day of the week"),
        ("DIGEST_TIMEZONE", "Mars/Olympus", "setting DIGEST_TIMEZONE: unknown timezone"),
        ("DATABASE_URL", "garbage", "setting DATABASE_URL: not a database URL"),
        (
            "DATABASE_URL",
            "mysql://db/entitywatch",
            "setting DATABASE_URL: 'mysql' databases are not supported",
        ),
        ("ALERT_ROUTES", "list:EL=#compliance", "setting ALERT_ROUTES: bad route"),
        # A route no change can ever take, and editors no Slack request can ever name.
        (
            "ALERT_ROUTES",
            "list:ENTITY=C0ELROUTE1",
            "setting ALERT_ROUTES: bad route 'list:ENTITY=C0ELROUTE1': unknown list code 'ENTITY'",
        ),
        (
            "ALERT_ROUTES",
            "country:China=C0CNROUTE1",
            "setting ALERT_ROUTES: bad route 'country:China=C0CNROUTE1': 'CHINA' is not a "
            "two-letter ISO country code",
        ),
        (
            "WATCHLIST_EDITORS",
            "U0LEAD0001,@alice",
            "setting WATCHLIST_EDITORS: '@alice' is not a Slack user ID like U0123456789",
        ),
        (
            "DIGEST_TIME",
            "9am",
            "setting DIGEST_TIME: '9am' is not a time of day: use HH:MM, 24-hour (e.g. 09:00)",
        ),
    ],
)
def test_a_bad_setting_stops_a_command_at_start(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    done = entitywatch("db", "upgrade", env=clean_env(tmp_path, **{variable: value}), cwd=tmp_path)
    assert_one_line_error(done, message)
    # Nothing ran: not even the SQLite database was created.
    assert not (tmp_path / "cli.db").exists()


@pytest.mark.parametrize(
    ("command", "variable", "value", "message"),
    [
        # Accepted before, failing only at the first poll / the first Slack call / the digest.
        (["poll", "--once"], "FR_API_URL", "ftp://x", "setting FR_API_URL:"),
        (["run"], "SLACK_API_URL", "not-a-url", "setting SLACK_API_URL:"),
        (["run"], "DIGEST_DAY", "funday", "setting DIGEST_DAY:"),
        (["digest", "--post"], "SLACK_API_URL", "slack.com/api", "setting SLACK_API_URL:"),
    ],
)
def test_long_running_commands_check_settings_before_they_start(
    tmp_path: Path, command: list[str], variable: str, value: str, message: str
) -> None:
    env = clean_env(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-not-used",
        SLACK_SIGNING_SECRET="not-used",
        ALERT_CHANNEL="C0ALERTS",
        **{variable: value},
    )
    done = entitywatch(*command, env=env, cwd=tmp_path)
    assert_one_line_error(done, message)
    assert not (tmp_path / "cli.db").exists()


def test_a_bad_database_url_flag_is_named_as_the_flag(tmp_path: Path) -> None:
    done = entitywatch(
        "db", "upgrade", "--database-url", "garbage", env=clean_env(tmp_path), cwd=tmp_path
    )
    assert_one_line_error(done, "setting --database-url: not a database URL")


def test_an_old_postgres_spelling_is_accepted(tmp_path: Path) -> None:
    # `postgres://` is what many hosting panels print; the engine maps it to psycopg.
    url = "postgres://nobody@127.0.0.1:1/none"
    done = entitywatch("db", "current", env=clean_env(tmp_path, DATABASE_URL=url), cwd=tmp_path)
    assert_one_line_error(done, "cannot use the database")


def test_offline_poll_once_is_one_line_per_source_without_tracebacks(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{refused_port()}"
    env = clean_env(
        tmp_path,
        CSL_URL=f"{dead}/consolidated.csv",
        FR_API_URL=f"{dead}/api/v1/",
        PRESS_FEEDS=f"{dead}/feed.xml",
        PRESS_PAGES=f"{dead}/news-updates",
        ECFR_API_URL=f"{dead}/api/versioner/v1/",
        ECFR_TEXT_URL=f"{dead}/title-15.xml",
        # One retry a source (not three, up to 1 s + 2 s + 4 s) keeps the test short.
        HTTP_RETRIES="1",
    )
    done = entitywatch("poll", "--once", env=env, cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    failed = [line for line in lines if ": FAILED " in line]
    assert sorted(line.split(":")[0] for line in failed) == [
        "csl", "ecfr", "ecfr_text", "federal_register", "press", "press_page",
        "public_inspection",
    ]  # fmt: skip
    assert all("could not connect" in line for line in failed)
    # The Federal Register's 600-character query string is cut to "?…".
    assert any("/api/v1/documents.json?…)" in line for line in failed)
    assert lines[-1].startswith("7 source(s) polled, 7 failed (")
    assert len(lines) == 8
    assert done.stderr == ""


def test_poll_tracebacks_are_shown_at_debug(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{refused_port()}"
    env = clean_env(
        tmp_path, CSL_URL=f"{dead}/consolidated.csv", LOG_LEVEL="DEBUG", HTTP_RETRIES="0"
    )
    done = entitywatch("poll", "--once", "--source", "csl", env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert "poll.failed source=csl" in done.stderr and "Traceback" in done.stderr


def test_poll_at_info_logs_failures_in_one_line_each(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{refused_port()}"
    env = clean_env(
        tmp_path, CSL_URL=f"{dead}/consolidated.csv", LOG_LEVEL="INFO", HTTP_RETRIES="2"
    )
    done = entitywatch("poll", "--once", "--source", "csl", env=env, cwd=tmp_path)
    assert "poll.failed source=csl error=TransportError" in done.stderr
    assert "Traceback" not in done.stderr
    # HTTP_RETRIES=2: the first try and two retries, each retry one line.
    assert done.stderr.count("fetch.retry source=csl") == 2


def test_version(tmp_path: Path) -> None:
    done = entitywatch("--version", env=clean_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 0
    name, number = done.stdout.split()
    assert name == "entitywatch" and number[0].isdigit()


def test_every_command_has_a_description_and_examples() -> None:
    commands = subcommands(build_parser())
    assert set(commands) == set(COMMANDS), "a command without help text (bot/cli_help.py)"
    for path, parser in commands.items():
        help_text = parser.format_help()
        assert COMMANDS[path].description.split()[0] in help_text, path
        examples = help_text.split("\nexamples:\n", 1)[1]
        assert f"entitywatch {path}" in examples, path


@pytest.mark.parametrize("command", [[], ["lists", "import"], ["poll"], ["demo"], ["digest"]])
def test_help_as_a_process(tmp_path: Path, command: list[str]) -> None:
    done = entitywatch(*command, "--help", env=clean_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == ""
    assert "\nexamples:\n" in done.stdout
    assert all(len(line) <= 100 for line in done.stdout.split("\nexamples:")[0].splitlines())

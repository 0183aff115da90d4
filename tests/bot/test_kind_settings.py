"""A new source kind brings its own settings: the bot reads, checks and hands them over.

The kind here exists only in this test. It is registered the way a folder under
watchers/ registers its kind, and nothing in bot/ is told about it: its setting is
read from the environment (and .env), a bad value stops a command with one line
naming the variable, the composition root builds its source and the CLI shows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import Field

from bot.app import AppRoot
from bot.cli.main import main
from bot.kind_settings import load_sources_config
from bot.settings import Settings, SettingsError, load_settings
from watchers.kind_settings import KindSettings, Url
from watchers.registry import kinds, register, unregister
from watchers.source import PollContext, PollResult, Source, SourceSchedule

DEFAULT_URL = "https://beacon.example/notices.json"
EVERY_MINUTE = SourceSchedule(interval_seconds=60)


class BeaconSettings(KindSettings):
    beacon_url: Url = Field(default=DEFAULT_URL, description="Where the beacon's notices are.")


@dataclass
class BeaconSource:
    url: str
    name: str = "beacon"
    schedule: SourceSchedule = EVERY_MINUTE

    def poll(self, ctx: PollContext) -> PollResult:
        return PollResult(status="unchanged")


def beacon_sources(settings: BeaconSettings) -> list[Source]:
    return [BeaconSource(url=settings.beacon_url)]


@pytest.fixture
def beacon(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    # A folder without a .env file, and no BEACON_URL inherited from the shell.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BEACON_URL", raising=False)
    register("beacon", settings=BeaconSettings)(beacon_sources)
    try:
        yield
    finally:
        unregister("beacon")


def beacon_url_built(**settings: object) -> str:
    root = AppRoot(settings=load_settings(**settings))
    (source,) = root.sources(only="beacon")
    assert isinstance(source, BeaconSource)
    return source.url


def test_its_setting_comes_from_the_environment(
    beacon: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert beacon_url_built() == DEFAULT_URL
    monkeypatch.setenv("BEACON_URL", "http://127.0.0.1:8080/notices.json")
    assert load_sources_config().of(BeaconSettings).beacon_url == (
        "http://127.0.0.1:8080/notices.json"
    )
    assert beacon_url_built() == "http://127.0.0.1:8080/notices.json"
    # As for every setting, an empty value means "unset".
    monkeypatch.setenv("BEACON_URL", "")
    assert beacon_url_built() == DEFAULT_URL


def test_its_setting_comes_from_the_env_file(beacon: None, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BEACON_URL=https://mirror.example/beacon\n", encoding="utf-8")
    assert beacon_url_built() == "https://mirror.example/beacon"


def test_a_bad_value_is_one_line_naming_the_variable(
    beacon: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BEACON_URL", "gopher://beacon.example/")
    with pytest.raises(SettingsError) as raised:
        load_sources_config()
    assert str(raised.value) == (
        "setting BEACON_URL: 'gopher://beacon.example/' has scheme 'gopher'; "
        "expected an http:// or https:// URL"
    )


def test_a_bad_value_stops_a_command_at_start(
    beacon: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("BEACON_URL", "beacon.example")
    database = tmp_path / "never.db"
    assert main(["db", "upgrade", "--database-url", f"sqlite:///{database}"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("entitywatch: error: setting BEACON_URL: 'beacon.example' has no scheme")
    assert err.count("\n") == 1
    assert not database.exists()


def test_the_cli_shows_its_setting(
    beacon: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BEACON_URL", "https://mirror.example/beacon")
    assert main(["sources", "settings"]) == 0
    out = capsys.readouterr().out
    assert "beacon:\n  BEACON_URL=https://mirror.example/beacon\n" in out
    assert "      Where the beacon's notices are.\n" in out
    assert "  CSL_POLL_SECONDS=3600  (default)\n" in out


class PortSettings(KindSettings):
    port: int = Field(default=1, description="the bot's PORT already")


def test_a_kind_cannot_take_a_variable_the_bot_reads() -> None:
    register("port_taker", settings=PortSettings)(lambda settings: [])
    try:
        with pytest.raises(ValueError, match="PortSettings declares PORT"):
            load_sources_config()
    finally:
        unregister("port_taker")


def test_the_kind_is_gone_once_its_tests_are_done() -> None:
    # Registered by the fixture only: the other tests see the built-in kinds alone.
    assert "beacon" not in kinds() and "port_taker" not in kinds()
    assert "beacon_url" not in Settings.model_fields

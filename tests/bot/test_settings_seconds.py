"""Seconds settings that arm timers are bounded: above 0 and at most a day.

A socket timeout or the fetch's deadline timer beyond the platform's limit fails when it
is armed (OverflowError): `HTTP_TOTAL_TIMEOUT=1e12` killed the deadline's timer thread,
and with it the deadline. Tried: too large, infinite, not a number, zero, negative and
not a number at all, for each of the three HTTP timeouts; and the largest and a small
fractional value, which are kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

TIMEOUTS = ("HTTP_CONNECT_TIMEOUT", "HTTP_READ_TIMEOUT", "HTTP_TOTAL_TIMEOUT")


@pytest.fixture(autouse=True)
def _only_this_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env file
    for name in TIMEOUTS:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("variable", TIMEOUTS)
@pytest.mark.parametrize("value", ["1e12", "86401", "inf", "nan", "0", "-5"])
def test_a_timeout_out_of_range_says_what_to_write(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings(database_url="sqlite:///:memory:")
    assert str(raised.value) == (
        f"setting {variable}: {value!r} must be a number of seconds above 0 and at most"
        " 86400 (a day), e.g. 600"
    )


@pytest.mark.parametrize("variable", TIMEOUTS)
def test_a_timeout_that_is_not_a_number_says_so(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "ten minutes")
    with pytest.raises(SettingsError, match=f"setting {variable}: 'ten minutes' is not a number"):
        load_settings(database_url="sqlite:///:memory:")


@pytest.mark.parametrize(("value", "seconds"), [("86400", 86400.0), ("2.5", 2.5)])
def test_a_timeout_in_range_is_kept(
    monkeypatch: pytest.MonkeyPatch, value: str, seconds: float
) -> None:
    for variable in TIMEOUTS:
        monkeypatch.setenv(variable, value)
    settings = load_settings(database_url="sqlite:///:memory:")
    assert settings.http_connect_timeout == settings.http_read_timeout == seconds
    assert settings.http_total_timeout == seconds

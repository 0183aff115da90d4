"""OWNERSHIP_REQUIRED_COUNTRIES: read from the environment, checked at start."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


def test_country_codes_are_read_and_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OWNERSHIP_REQUIRED_COUNTRIES", " cn, RU ,,ir ")
    assert load_settings().ownership_required_countries == frozenset({"CN", "RU", "IR"})
    monkeypatch.delenv("OWNERSHIP_REQUIRED_COUNTRIES")
    assert load_settings().ownership_required_countries == frozenset()


@pytest.mark.parametrize("value", ["CHN", "China", "C1"])
def test_a_bad_code_names_the_variable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("OWNERSHIP_REQUIRED_COUNTRIES", f"DE,{value}")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert "OWNERSHIP_REQUIRED_COUNTRIES" in str(raised.value)
    assert f"{value.upper()!r} is not a two-letter country code" in str(raised.value)

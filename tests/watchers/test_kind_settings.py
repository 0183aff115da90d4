"""The source kinds' own settings: what each declares, how it checks values, how kinds get them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import Field, ValidationError

from watchers.csl.settings import CslSettings
from watchers.ecfr.settings import EcfrSettings
from watchers.federal_register.settings import FederalRegisterSettings
from watchers.kind_settings import KindSettings, SourcesConfig
from watchers.press.settings import PressSettings
from watchers.registry import (
    build_sources,
    rate_limits,
    register,
    registered,
    settings_models,
    unregister,
)
from watchers.source import Source

DEFAULTS = {
    "csl_url": (
        "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
    ),
    "csl_poll_seconds": 3600,
    "removal_guard_share": 0.10,
    "fr_api_url": "https://www.federalregister.gov/api/v1/",
    "fr_poll_seconds": 900,
    "public_inspection_poll_seconds": 600,
    "public_inspection_fast_windows": "08:40-09:30,16:00-16:30",
    "public_inspection_fast_poll_seconds": 60,
    "fr_baseline_days": 30,
    "press_feeds": ("https://public.govdelivery.com/accounts/USDOC/feed.rss",),
    "press_pages": ("https://www.bis.gov/news-updates",),
    "press_poll_seconds": 900,
    "ecfr_api_url": "https://www.ecfr.gov/api/versioner/v1/",
    "ecfr_text_url": "https://www.govinfo.gov/bulkdata/ECFR/title-15/ECFR-title15.xml",
    "ecfr_poll_seconds": 21600,
    "ecfr_text_poll_seconds": 86400,
    "ecfr_history_days": 730,
}


def test_each_folder_registers_its_kinds_with_its_settings() -> None:
    assert {k.name: k.settings for k in registered()} == {
        "csl": CslSettings,
        "federal_register": FederalRegisterSettings,
        "public_inspection": FederalRegisterSettings,
        "press": PressSettings,
        "press_page": PressSettings,
        "ecfr": EcfrSettings,
        "ecfr_text": EcfrSettings,
    }
    assert set(settings_models()) == {
        CslSettings,
        FederalRegisterSettings,
        PressSettings,
        EcfrSettings,
    }


def test_the_defaults_are_the_ones_operators_had() -> None:
    found = {
        name: getattr(model(), name) for model in settings_models() for name in model.model_fields
    }
    assert found == DEFAULTS


def test_every_setting_has_a_description() -> None:
    for model in settings_models():
        for name, field in model.model_fields.items():
            assert field.description and not field.is_required(), (model.__name__, name)


@pytest.mark.parametrize(
    ("model", "values", "wrong"),
    [
        (CslSettings, {"csl_url": "ftp://x"}, "has scheme 'ftp'"),
        (CslSettings, {"csl_url": "https:///x.csv"}, "has no host"),
        (CslSettings, {"csl_poll_seconds": 9}, "greater than or equal to 10"),
        (CslSettings, {"csl_poll_seconds": 10**12}, "less than or equal to 86400"),
        (CslSettings, {"removal_guard_share": 1.5}, "less than or equal to 1"),
        (CslSettings, {"removal_guard_share": -0.1}, "greater than or equal to 0"),
        (FederalRegisterSettings, {"fr_api_url": "www.federalregister.gov"}, "no scheme"),
        (FederalRegisterSettings, {"public_inspection_poll_seconds": 0}, "greater than"),
        (FederalRegisterSettings, {"fr_baseline_days": -1}, "greater than or equal to 0"),
        (
            FederalRegisterSettings,
            {"public_inspection_fast_windows": "8:40-9:30"},
            "'8:40-9:30' is not a time window; use HH:MM-HH:MM",
        ),
        (
            FederalRegisterSettings,
            {"public_inspection_fast_windows": "08:40-09:30,16:30-16:00"},
            "'16:30-16:00' ends before it starts",
        ),
        (
            FederalRegisterSettings,
            {"public_inspection_fast_windows": "08:40-24:30"},
            "'08:40-24:30' is not a time of day; use HH:MM-HH:MM",
        ),
        (FederalRegisterSettings, {"public_inspection_fast_poll_seconds": 5}, "greater than"),
        (PressSettings, {"press_feeds": "https://a.example/rss,news"}, "'news' has no scheme"),
        (PressSettings, {"press_poll_seconds": 5}, "greater than or equal to 10"),
        (PressSettings, {"press_poll_seconds": 86_401}, "less than or equal to 86400"),
        (PressSettings, {"press_interval": 900}, "Extra inputs are not permitted"),
        (EcfrSettings, {"ecfr_text_url": "govinfo.gov/x.xml"}, "no scheme"),
        (EcfrSettings, {"ecfr_history_days": 5}, "greater than or equal to 30"),
    ],
)
def test_bad_values_are_refused_with_a_reason(
    model: type[KindSettings], values: dict[str, object], wrong: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(values)
    assert wrong in str(raised.value)


def test_url_lists_are_comma_separated_and_none_means_none() -> None:
    press = PressSettings.model_validate(
        {"press_feeds": " https://a.example/rss , https://b.example/atom,", "press_pages": "None"}
    )
    assert press.press_feeds == ("https://a.example/rss", "https://b.example/atom")
    assert press.press_pages == ()


def test_a_kind_not_given_stands_at_its_defaults() -> None:
    config = SourcesConfig(CslSettings(csl_poll_seconds=60))
    assert config.of(CslSettings).csl_poll_seconds == 60
    assert config.of(PressSettings) == PressSettings()
    with pytest.raises(ValueError, match="given twice"):
        SourcesConfig(CslSettings(), CslSettings())


def test_replace_changes_the_named_settings_and_checks_them() -> None:
    config = SourcesConfig(
        CslSettings(csl_poll_seconds=60), FederalRegisterSettings(), PressSettings()
    )
    moved = config.replace(csl_url="http://127.0.0.1:1/c.csv", press_pages=())
    assert moved.of(CslSettings).csl_url == "http://127.0.0.1:1/c.csv"
    assert moved.of(CslSettings).csl_poll_seconds == 60  # the rest is kept
    assert moved.of(PressSettings).press_pages == ()
    assert config.of(PressSettings).press_pages == PressSettings().press_pages
    with pytest.raises(ValidationError):
        config.replace(fr_api_url="ftp://x")
    with pytest.raises(ValueError, match="no kind given here has a setting named"):
        config.replace(csl_interval=60)


def test_factories_get_their_own_kinds_settings() -> None:
    config = SourcesConfig(
        CslSettings(csl_url="http://h.example/c.csv", csl_poll_seconds=120),
        FederalRegisterSettings(fr_api_url="http://fr.example/api/v1/", fr_poll_seconds=30),
        PressSettings(press_feeds=("http://p.example/rss",), press_pages=(), press_poll_seconds=45),
    )
    by_name = {s.name: s for s in build_sources(config)}
    assert set(by_name) == {
        "csl",
        "federal_register",
        "public_inspection",
        "press:p.example",
        "ecfr",
        "ecfr_text",
    }
    assert by_name["csl"].schedule.interval_seconds == 120
    assert by_name["federal_register"].schedule.interval_seconds == 30
    assert by_name["public_inspection"].schedule.interval_seconds == 600
    assert by_name["press:p.example"].schedule.interval_seconds == 45
    assert by_name["ecfr"].schedule.interval_seconds == 21600
    assert by_name["ecfr_text"].schedule.interval_seconds == 86400


def test_the_federal_register_asks_for_its_rate_wherever_its_api_is() -> None:
    assert rate_limits(SourcesConfig()) == {"www.federalregister.gov": 5.0, "www.ecfr.gov": 1.0}
    mirror = FederalRegisterSettings(fr_api_url="http://127.0.0.1:8080/api/v1/")
    assert rate_limits(SourcesConfig(mirror)) == {"127.0.0.1": 5.0, "www.ecfr.gov": 1.0}


class GaugeSettings(KindSettings):
    gauge_url: str = Field(default="https://www.federalregister.gov/x", description="a gauge")

    def rate_limits(self) -> dict[str, float]:
        return {"www.federalregister.gov": 2.0, "gauge.example": 1.0}


class ClashingSettings(KindSettings):
    csl_url: str = Field(default="https://example.org/", description="already CSL's")


@pytest.fixture
def gauge() -> Iterator[None]:
    register("gauge", settings=GaugeSettings)(lambda settings: [])
    try:
        yield
    finally:
        unregister("gauge")


def test_the_strictest_rate_wins_when_two_kinds_name_a_host(gauge: None) -> None:
    assert rate_limits(SourcesConfig()) == {
        "www.federalregister.gov": 2.0,
        "gauge.example": 1.0,
        "www.ecfr.gov": 1.0,
    }


def test_two_kinds_cannot_declare_one_setting() -> None:
    def factory(settings: ClashingSettings) -> list[Source]:
        return []

    with pytest.raises(ValueError, match="setting CSL_URL of source kind 'clash' is already"):
        register("clash", settings=ClashingSettings)(factory)
    assert "clash" not in {k.name for k in registered()}


def test_a_kind_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        register("csl", settings=CslSettings)(lambda settings: [])

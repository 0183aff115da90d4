"""What the Federal Register watchers (rules and public inspection) can be told."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from pydantic import Field

from watchers.kind_settings import KindSettings, PollSeconds, Url

DEFAULT_FR_API_URL = "https://www.federalregister.gov/api/v1/"
# The Federal Register asks clients for no more than about five requests a second; the
# limit follows FR_API_URL, so that a mirror or proxy in between is spared too.
REQUESTS_PER_SECOND = 5.0


class FederalRegisterSettings(KindSettings):
    fr_api_url: Url = Field(
        default=DEFAULT_FR_API_URL,
        description="Federal Register API v1 base URL (documents.json and public inspection).",
    )
    fr_poll_seconds: PollSeconds = Field(
        default=900, description="Seconds between Federal Register polls."
    )
    public_inspection_poll_seconds: PollSeconds = Field(
        default=600, description="Seconds between Federal Register public-inspection polls."
    )
    # 100 years: far enough for any baseline, near enough for a date to hold it.
    fr_baseline_days: int = Field(
        default=30,
        ge=0,
        le=36500,
        description=(
            "Rules published this many days before the first poll have their entries loaded "
            "(for screening, without alerts) as part of the baseline."
        ),
    )

    def rate_limits(self) -> Mapping[str, float]:
        host = urlsplit(self.fr_api_url).hostname
        return {host: REQUESTS_PER_SECOND} if host else {}

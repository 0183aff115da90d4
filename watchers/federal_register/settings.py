"""What the Federal Register watchers (rules and public inspection) can be told."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

from watchers.kind_settings import KindSettings, PollSeconds, Url
from watchers.poll_windows import parse_windows

DEFAULT_FR_API_URL = "https://www.federalregister.gov/api/v1/"
# The Federal Register asks clients for no more than about five requests a second; the
# limit follows FR_API_URL, so that a mirror or proxy in between is spared too.
REQUESTS_PER_SECOND = 5.0
# The Public Inspection desk's filing windows are Washington times.
FAST_WINDOWS_ZONE = "America/New_York"
NO_WINDOWS = "none"


def fast_windows(value: str) -> str:
    """Time windows as `HH:MM-HH:MM,...` (checked here, read by the factory), or `none`."""
    if value.strip().lower() != NO_WINDOWS:
        parse_windows(value)
    return value.strip()


FastWindows = Annotated[str, AfterValidator(fast_windows)]


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
    # Regular filings go on the desk at 08:45 ET and special ones often around 16:15 ET; BIS
    # rules are often effective on filing, so the desk is polled fast in those windows.
    public_inspection_fast_windows: FastWindows = Field(
        default="08:40-09:30,16:00-16:30",
        description=(
            "Public-inspection filing windows (America/New_York, HH:MM-HH:MM, comma-separated, "
            "or none), polled every PUBLIC_INSPECTION_FAST_POLL_SECONDS."
        ),
    )
    public_inspection_fast_poll_seconds: PollSeconds = Field(
        default=60, description="Seconds between public-inspection polls inside the windows."
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

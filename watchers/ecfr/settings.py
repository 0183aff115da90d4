"""What the eCFR watchers (amendment history and regulation text) can be told.

Two sources share these settings: `ecfr` asks the eCFR versioner API which
sections and supplements of 15 CFR part 744 changed, and when; `ecfr_text`
reads the text of part 744 from the Government Publishing Office's bulk eCFR
XML, because ecfr.gov's robots.txt disallows its own full-text endpoint
(`/api/versioner/v1/full/`; the evidence is in the README's sources section).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from pydantic import Field

from watchers.kind_settings import KindSettings, PollSeconds, Url

DEFAULT_ECFR_API_URL = "https://www.ecfr.gov/api/versioner/v1/"
DEFAULT_ECFR_TEXT_URL = "https://www.govinfo.gov/bulkdata/ECFR/title-15/ECFR-title15.xml"
# ecfr.gov publishes no rate limit; one request a second is well within polite use,
# and a poll makes one to three.
REQUESTS_PER_SECOND = 1.0


class EcfrSettings(KindSettings):
    ecfr_api_url: Url = Field(
        default=DEFAULT_ECFR_API_URL,
        description="eCFR versioner API base URL (the versions of 15 CFR part 744).",
    )
    ecfr_text_url: Url = Field(
        default=DEFAULT_ECFR_TEXT_URL,
        description=(
            "Title 15 of the eCFR as XML (GPO bulk data): the text of part 744, read for "
            "§ 744.22(f)(2) and Supplements No. 4, 6 and 7."
        ),
    )
    ecfr_poll_seconds: PollSeconds = Field(
        default=21600, description="Seconds between polls of the eCFR amendment history."
    )
    ecfr_text_poll_seconds: PollSeconds = Field(
        default=86400,
        description="Seconds between polls of the eCFR title XML (a conditional GET).",
    )
    ecfr_history_days: int = Field(
        default=730,
        ge=30,
        le=7300,
        description=(
            "Days of part 744 amendment history the first eCFR poll records as its baseline "
            "(without alerts); later polls ask for the same window."
        ),
    )

    def rate_limits(self) -> Mapping[str, float]:
        host = urlsplit(self.ecfr_api_url).hostname
        return {host: REQUESTS_PER_SECOND} if host else {}

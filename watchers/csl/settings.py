"""What the Consolidated Screening List watcher can be told (bot/ reads it from the environment)."""

from __future__ import annotations

from pydantic import Field

from watchers.csl.guard import DEFAULT_MAX_REMOVED_SHARE
from watchers.kind_settings import KindSettings, PollSeconds, Share, Url

DEFAULT_CSL_URL = (
    "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
)


class CslSettings(KindSettings):
    csl_url: Url = Field(
        default=DEFAULT_CSL_URL, description="Consolidated Screening List download (CSV or JSON)."
    )
    csl_poll_seconds: PollSeconds = Field(
        default=3600, description="Seconds between Consolidated Screening List polls."
    )
    # `lists import` applies it too: a snapshot is refused the same way, however it came.
    removal_guard_share: Share = Field(
        default=DEFAULT_MAX_REMOVED_SHARE,
        description="Refuse a snapshot that would remove more than this share (0-1) of any list.",
    )

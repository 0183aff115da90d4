"""What the press watchers (feeds and listing pages) can be told."""

from __future__ import annotations

from pydantic import Field

from watchers.kind_settings import KindSettings, PollSeconds, UrlList

# bis.gov's old RSS paths answer 404 and commerce.gov answers 403 to automated clients;
# Commerce's GovDelivery feed is reported to answer (README, "Press sources").
DEFAULT_PRESS_FEEDS = ("https://public.govdelivery.com/accounts/USDOC/feed.rss",)
# BIS's news listing is HTML only; it is read item by item.
DEFAULT_PRESS_PAGES = ("https://www.bis.gov/news-updates",)


class PressSettings(KindSettings):
    press_feeds: UrlList = Field(
        default=DEFAULT_PRESS_FEEDS,
        description=(
            'Comma-separated RSS/Atom press-release feeds, one source each; "none" for none.'
        ),
    )
    press_pages: UrlList = Field(
        default=DEFAULT_PRESS_PAGES,
        description=(
            "Comma-separated HTML news-listing pages (each item's page is read), one source "
            'each; "none" for none.'
        ),
    )
    press_poll_seconds: PollSeconds = Field(
        default=900, description="Seconds between polls of each press feed and listing page."
    )

"""Composition: turn validated settings into the objects the watchers take."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.settings import Settings
from watchers.http import HttpFetcher
from watchers.source import SourcesConfig


def sources_config(settings: Settings) -> SourcesConfig:
    return SourcesConfig(
        csl_url=settings.csl_url,
        fr_api_url=settings.fr_api_url,
        press_feeds=settings.press_feeds,
        press_pages=settings.press_pages,
        csl_interval=settings.csl_poll_seconds,
        fr_interval=settings.fr_poll_seconds,
        public_inspection_interval=settings.public_inspection_poll_seconds,
        press_interval=settings.press_poll_seconds,
        max_removed_share=settings.removal_guard_share,
    )


def fetcher_for(settings: Settings) -> HttpFetcher:
    # The Federal Register allows about five requests a second, wherever FR_API_URL points.
    fr_host = urlsplit(settings.fr_api_url).hostname or "www.federalregister.gov"
    return HttpFetcher(
        connect_timeout=settings.http_connect_timeout,
        read_timeout=settings.http_read_timeout,
        max_bytes=settings.http_max_bytes,
        rate_limits={fr_host: 5.0},
    )

"""Federal Register Public Inspection desk: the earliest legal signal of a list rule.

A BIS filing that names a watched list, or whose raw text says it amends 15 CFR
part 744, becomes a change at once (`inspection_record`). Unlike the other
sources there is no silent baseline: `current.json` only ever holds the filings
of the current business day, and each of them is news.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from watchers.content_checks import require_json
from watchers.federal_register.inspection_json import parse_public_inspection
from watchers.federal_register.inspection_record import read_desk, record_filings
from watchers.federal_register.settings import (
    FAST_WINDOWS_ZONE,
    NO_WINDOWS,
    FederalRegisterSettings,
)
from watchers.poll_windows import PollWindows, parse_windows
from watchers.registry import register
from watchers.source import PollContext, PollResult, Source, SourceSchedule

SOURCE = "public_inspection"


@dataclass
class PublicInspectionSource:
    api_url: str
    schedule: SourceSchedule
    name: str = SOURCE

    def poll(self, ctx: PollContext) -> PollResult:
        url = f"{self.api_url.rstrip('/')}/public-inspection-documents/current.json"
        fetched = ctx.fetch_if_changed(
            url,
            source=self.name,
            accept="application/json",
        )
        if fetched.not_modified:
            return PollResult(status="not_modified")
        page = parse_public_inspection(require_json(fetched, source=self.name))
        # Raw texts are read before the transaction: a slow desk holds no lock.
        desk = read_desk(ctx, page.documents, source=self.name)
        with Session(ctx.engine) as session, session.begin():
            changes = record_filings(session, desk.filings, now=ctx.now)
        return PollResult(
            status="changed" if changes else "unchanged",
            changes=tuple(changes),
            # With a filing deferred, the desk is read in full again at the next poll.
            etag=None if desk.deferred else fetched.etag,
            last_modified=None if desk.deferred else fetched.last_modified,
            cursor=desk.cursor,
        )


def _fast_windows(settings: FederalRegisterSettings) -> PollWindows | None:
    text = settings.public_inspection_fast_windows
    if text.lower() == NO_WINDOWS:
        return None
    windows = parse_windows(text)
    if not windows:
        return None
    return PollWindows(
        windows=windows,
        zone=FAST_WINDOWS_ZONE,
        fast_seconds=settings.public_inspection_fast_poll_seconds,
    )


@register("public_inspection", settings=FederalRegisterSettings)
def _factory(settings: FederalRegisterSettings) -> list[Source]:
    return [
        PublicInspectionSource(
            api_url=settings.fr_api_url,
            schedule=SourceSchedule(
                interval_seconds=settings.public_inspection_poll_seconds,
                jitter_seconds=30,
                fast=_fast_windows(settings),
            ),
        )
    ]

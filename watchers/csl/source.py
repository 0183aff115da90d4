"""The Consolidated Screening List at its URL, through the same import path as the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from watchers.content_checks import reject_html
from watchers.csl.importer import import_csl
from watchers.csl.settings import CslSettings
from watchers.registry import register
from watchers.source import PollContext, PollResult, Source, SourceSchedule


@dataclass
class CslSource:
    url: str
    max_removed_share: float
    schedule: SourceSchedule
    name: str = "csl"

    def poll(self, ctx: PollContext) -> PollResult:
        fetched = ctx.fetch_if_changed(
            self.url,
            source=self.name,
            accept="text/csv, application/json;q=0.9",
        )
        if fetched.not_modified:
            return PollResult(status="not_modified")
        body = reject_html(fetched, source=self.name)
        fmt = "json" if "json" in fetched.content_type or self.url.endswith(".json") else None
        outcome = import_csl(
            ctx.engine,
            body,
            now=ctx.now,
            origin=self.url,
            fmt=fmt,
            max_removed_share=self.max_removed_share,
        )
        changes = tuple(
            f"{code}: {o.status} +{o.added} -{o.removed} ~{o.modified}"
            for code, o in sorted(outcome.lists.items())
            if o.status != "unchanged"
        )
        return PollResult(
            status="changed" if outcome.status == "applied" else outcome.status,
            changes=changes,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
        )


@register("csl", settings=CslSettings)
def _factory(settings: CslSettings) -> list[Source]:
    return [
        CslSource(
            url=settings.csl_url,
            max_removed_share=settings.removal_guard_share,
            schedule=SourceSchedule(interval_seconds=settings.csl_poll_seconds, jitter_seconds=120),
        )
    ]

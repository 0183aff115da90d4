"""Federal Register Public Inspection desk: the earliest legal signal of a list rule.

A BIS filing that names a watched list becomes a change at once. Unlike the other
sources there is no silent baseline: `current.json` only ever holds the filings
of the current business day, and each of them is news.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key, record_event
from watchers.content_checks import require_json
from watchers.federal_register.inspection_json import (
    PublicInspectionDocument,
    list_filings,
    parse_public_inspection,
)
from watchers.federal_register.settings import (
    FAST_WINDOWS_ZONE,
    NO_WINDOWS,
    FederalRegisterSettings,
)
from watchers.poll_windows import PollWindows, parse_windows
from watchers.registry import register
from watchers.source import PollContext, PollResult, Source, SourceSchedule

SOURCE = "public_inspection"


def filing_payload(doc: PublicInspectionDocument) -> dict[str, object]:
    return {
        "title": doc.title,
        "filing_type": doc.filing_type,
        "publication_date": doc.publication_date.isoformat() if doc.publication_date else None,
        "filed_at": doc.filed_at.isoformat() if doc.filed_at else None,
        "pdf_url": doc.pdf_url,
        "html_url": doc.html_url,
        "lists": list(doc.lists),
    }


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
        changes: list[str] = []
        with Session(ctx.engine) as session, session.begin():
            for doc in list_filings(page.documents):
                if record_event(
                    session,
                    dedupe_key=change_dedupe_key(SOURCE, doc.document_number),
                    source=SOURCE,
                    kind="public_inspection",
                    now=ctx.now,
                    list_code=doc.lists[0] if doc.lists else None,
                    document_number=doc.document_number,
                    # A filing carries its scheduled publication date, not the date the
                    # rule takes effect (which can be earlier); that comes with the rule.
                    effective_date=None,
                    after=filing_payload(doc),
                    summary=f"On public inspection: {doc.title} ({doc.document_number})",
                ):
                    changes.append(f"public_inspection {doc.document_number}: {doc.title}")
        return PollResult(
            status="changed" if changes else "unchanged",
            changes=tuple(changes),
            etag=fetched.etag,
            last_modified=fetched.last_modified,
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

"""Recording the part 744 filings of the Public Inspection desk as change rows.

Each BIS filing not yet recorded is read once (`inspection_rules`); a filing that
does not touch part 744 is remembered in the source's cursor for as long as it is on
the desk, so that its raw text is not fetched again at every poll.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key, record_event
from storage.fr_rules import recorded_documents
from watchers.federal_register.inspection_json import PublicInspectionDocument, bis_rule_filings
from watchers.federal_register.inspection_rules import (
    FilingAssessment,
    FilingRead,
    assess,
    read_filing,
)
from watchers.source import PollContext

log = logging.getLogger(__name__)

SOURCE = "public_inspection"
NOT_OURS = "not_part_744"
# A BIS filing whose raw text is not there yet (or came as an error page) is asked for
# again at the next polls, for this long after its filing time; then it is alerted as
# "read it". A filing whose title names a list is alerted at once whatever its text.
RAW_TEXT_GRACE = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class DeskRead:
    filings: tuple[FilingAssessment, ...]
    cursor: dict[str, Any]
    # Filings left for a later poll: the desk's validators must not be kept, so that
    # the next poll reads the desk again instead of getting a 304.
    deferred: tuple[str, ...] = ()


def filing_payload(doc: PublicInspectionDocument) -> dict[str, object]:
    return {
        "title": doc.title,
        "filing_type": doc.filing_type,
        "publication_date": doc.publication_date.isoformat() if doc.publication_date else None,
        "filed_at": doc.filed_at.isoformat() if doc.filed_at else None,
        "pdf_url": doc.pdf_url,
        "html_url": doc.html_url,
        "raw_text_url": doc.raw_text_url,
        "lists": list(doc.lists),
    }


def read_desk(
    ctx: PollContext, documents: Sequence[PublicInspectionDocument], *, source: str
) -> DeskRead:
    """Read every new BIS filing of the desk (network), before anything is written."""
    on_desk = {d.document_number for d in documents}
    known_not_ours = set(ctx.state.cursor.get(NOT_OURS, [])) & on_desk
    with Session(ctx.engine) as session:
        recorded = recorded_documents(session, source=SOURCE, kinds=("public_inspection",))
    found: list[FilingAssessment] = []
    deferred: list[str] = []
    for doc in bis_rule_filings(tuple(documents)):
        if doc.document_number in recorded or doc.document_number in known_not_ours:
            continue
        read = read_filing(ctx, doc, source=source)
        if _worth_waiting(read, now=ctx.now):
            log.warning(
                "fr.pi_raw_text_deferred document=%s problem=%s", doc.document_number, read.problem
            )
            deferred.append(doc.document_number)
            continue
        assessment = assess(read)
        if assessment is None:
            known_not_ours.add(doc.document_number)
        else:
            found.append(assessment)
    return DeskRead(
        filings=tuple(found),
        cursor={NOT_OURS: sorted(known_not_ours)},
        deferred=tuple(deferred),
    )


def _worth_waiting(read: FilingRead, *, now: datetime) -> bool:
    doc = read.doc
    if read.text is not None or not read.transient or doc.lists or doc.filed_at is None:
        return False
    return now < doc.filed_at + RAW_TEXT_GRACE


def record_filings(
    session: Session, filings: Sequence[FilingAssessment], *, now: datetime
) -> list[str]:
    """One `public_inspection` change per filing; descriptions of the new ones."""
    changes: list[str] = []
    for filing in filings:
        doc = filing.doc
        if record_event(
            session,
            dedupe_key=change_dedupe_key(SOURCE, doc.document_number),
            source=SOURCE,
            kind="public_inspection",
            now=now,
            list_code=doc.lists[0] if doc.lists else "EL",
            document_number=doc.document_number,
            # From the filing's DATES text, never its scheduled publication date.
            effective_date=filing.effective_date,
            after=filing_payload(doc) | filing.after,
            summary=f"On public inspection: {doc.title} ({doc.document_number})",
        ):
            changes.append(f"public_inspection {doc.document_number}: {doc.title}")
    return changes

"""Recording the part 744 filings of the Public Inspection desk as change rows.

Each BIS filing not yet recorded is read once (`inspection_rules`); a filing that
does not touch part 744 is remembered in the source's cursor for as long as it is on
the desk, so that its raw text is not fetched again at every poll.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key, record_event
from storage.fr_rules import recorded_documents
from watchers.federal_register.inspection_json import PublicInspectionDocument, bis_rule_filings
from watchers.federal_register.inspection_rules import FilingAssessment, assess, read_filing
from watchers.source import PollContext

SOURCE = "public_inspection"
NOT_OURS = "not_part_744"


@dataclass(frozen=True, slots=True)
class DeskRead:
    filings: tuple[FilingAssessment, ...]
    cursor: dict[str, Any]


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
    for doc in bis_rule_filings(tuple(documents)):
        if doc.document_number in recorded or doc.document_number in known_not_ours:
            continue
        assessment = assess(read_filing(ctx, doc, source=source))
        if assessment is None:
            known_not_ours.add(doc.document_number)
        else:
            found.append(assessment)
    return DeskRead(filings=tuple(found), cursor={NOT_OURS: sorted(known_not_ours)})


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

"""Which Public Inspection filings amend part 744, what they do, and when they take effect.

A BIS rule on the desk is selected when its title names a list (the second net) or
when its raw text's CFR heading names part 744. Its DATES text gives the effective
date ("effective on filing" is said as such, with the filing time in ET), and its
ACTION and SUMMARY are classified (`meaning`). A filing whose text cannot be read
(no raw text yet, a PDF or an HTML error page, a failed fetch) is never dropped: it
is logged and recorded as `unreadable`, so that its alert says "read it".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from reference.lists import bis_rule_lists_named
from watchers.errors import FetchError, FetchRefused
from watchers.federal_register.inspection_json import PublicInspectionDocument
from watchers.federal_register.inspection_text import (
    FilingText,
    FilingTextError,
    read_filing_text,
)
from watchers.federal_register.meaning import Classification, RuleFacts, classify
from watchers.federal_register.rule_dates import Effective, effective_from_dates
from watchers.source import PollContext

log = logging.getLogger(__name__)

EASTERN = ZoneInfo("America/New_York")
PART = 744


@dataclass(frozen=True, slots=True)
class FilingRead:
    doc: PublicInspectionDocument
    text: FilingText | None
    problem: str | None  # why the text could not be read
    transient: bool = False  # the text may yet come (none yet, an error page, a 5xx)


@dataclass(frozen=True, slots=True)
class FilingAssessment:
    doc: PublicInspectionDocument
    classification: Classification
    effective_date: date | None
    after: dict[str, Any]  # what the change row adds to the filing's own facts


def read_filing(ctx: PollContext, doc: PublicInspectionDocument, *, source: str) -> FilingRead:
    """Fetch and read the filing's raw text; a problem is logged and returned, not raised."""
    if not doc.raw_text_url:
        log.warning("fr.pi_no_raw_text document=%s title=%r", doc.document_number, doc.title)
        return FilingRead(
            doc=doc, text=None, problem="the desk has no raw text for this filing", transient=True
        )
    try:
        fetched = ctx.fetcher.get(doc.raw_text_url, source=source, accept="text/plain")
        text = read_filing_text(fetched.body or b"")
    except (FetchError, ValueError) as exc:  # FilingTextError is a ValueError too
        log.error(
            "fr.pi_raw_text_unreadable document=%s url=%s error=%s",
            doc.document_number,
            doc.raw_text_url,
            exc,
        )
        if isinstance(exc, FilingTextError):
            transient = exc.transient
        else:  # a failed fetch may succeed later; a refused one never will
            transient = not isinstance(exc, FetchRefused)
        return FilingRead(doc=doc, text=None, problem=str(exc), transient=transient)
    return FilingRead(doc=doc, text=text, problem=None)


def assess(read: FilingRead) -> FilingAssessment | None:
    """The filing's classification and effective date; None when it does not touch part 744."""
    doc, text = read.doc, read.text
    named = bool(doc.lists)
    if text is not None and not named and PART not in text.cfr_parts:
        log.info(
            "fr.pi_not_part_744 document=%s parts=%s",
            doc.document_number,
            ",".join(map(str, text.cfr_parts)) or "-",
        )
        return None
    effective = effective_from_dates(text.dates) if text else None
    on = _effective_date(doc, effective)
    facts = RuleFacts(
        title=doc.title,
        action=text.action if text else "",
        summary=text.summary if text else "",
        dates_text=text.dates if text else "",
        effective_on=on,
        entry_count=None,
        names_list=named or bool(text and bis_rule_lists_named(text.summary)),
        readable=text is not None,
    )
    classification = classify(facts)
    if effective is not None and effective.kind in ("unknown", "missing"):
        log.warning(
            "fr.pi_dates_unexpected document=%s dates=%r", doc.document_number, effective.text
        )
    log.info(
        "fr.pi_classified document=%s classification=%s reason=%r",
        doc.document_number,
        classification.kind,
        classification.reason,
    )
    after: dict[str, Any] = {
        **classification.as_after(),
        "cfr_parts": list(text.cfr_parts) if text else [],
        "effective": _effective_json(doc, effective, on),
        "read_problem": read.problem,
    }
    return FilingAssessment(doc=doc, classification=classification, effective_date=on, after=after)


def filed_eastern(doc: PublicInspectionDocument) -> str | None:
    """ "2025-09-29 08:45 ET": the filing time as the desk keeps it."""
    if doc.filed_at is None:
        return None
    return doc.filed_at.astimezone(EASTERN).strftime("%Y-%m-%d %H:%M ET")


def _effective_date(doc: PublicInspectionDocument, effective: Effective | None) -> date | None:
    if effective is None:
        return None
    if effective.kind == "date":
        return effective.on
    if effective.kind == "on_filing" and doc.filed_at is not None:
        return doc.filed_at.astimezone(EASTERN).date()
    if effective.kind == "on_publication":
        return doc.publication_date
    return None


def _effective_json(
    doc: PublicInspectionDocument, effective: Effective | None, on: date | None
) -> dict[str, Any]:
    """How the alert states the effective date, and the DATES text it came from."""
    if effective is None:
        return {"kind": "unread", "on": None, "text": "", "filed": filed_eastern(doc)}
    kind: str = effective.kind
    filed = filed_eastern(doc)
    # A date that is the filing day is "effective on filing": BIS rules often are.
    if kind == "date" and on is not None and filed is not None and filed.startswith(on.isoformat()):
        kind = "on_filing"
    return {
        "kind": kind,
        "on": on.isoformat() if on else None,
        "text": effective.text,
        "filed": filed,
    }

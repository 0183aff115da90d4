"""Recording a Federal Register rule: its document-level change, its per-entry changes, and
its entries stored for screening before the CSL lists them. Records in, rows out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key, record_event
from storage.fr_rules import (
    DOCUMENT_KINDS,
    SOURCE,
    document_numbers_for_keys,
    recorded_documents,
)
from storage.list_state import delete_entries_by_key
from watchers.entry_rows import insert_entries
from watchers.federal_register.documents import FrDocument
from watchers.federal_register.meaning import Classification
from watchers.federal_register.rule_xml import RuleDocument, RuleEntry
from watchers.records import ListEntry

_ENTRY_KIND = {"add": "added", "remove": "removed", "revise": "modified"}
# The CSL follows a rule within days to weeks; an older rule is a different action.
CORRELATION_WINDOW = timedelta(days=45)


def seen_documents(session: Session) -> set[str]:
    return recorded_documents(session, source=SOURCE, kinds=DOCUMENT_KINDS)


def rule_documents_for_keys(
    session: Session, keys: Iterable[str], *, now: datetime
) -> dict[str, str]:
    """The FR document that acted on each entry key lately (to correlate CSL changes)."""
    return document_numbers_for_keys(session, keys, source=SOURCE, since=now - CORRELATION_WINDOW)


def document_summary(doc: FrDocument, rule: RuleDocument) -> dict[str, Any]:
    by_action: dict[str, int] = {}
    by_country: dict[str, int] = {}
    for item in rule.entries:
        by_action[item.action] = by_action.get(item.action, 0) + 1
        for country in item.entry.countries[:1] or ("??",):
            by_country[country] = by_country.get(country, 0) + 1
    return {
        "title": doc.title,
        "citation": doc.citation,
        "publication_date": doc.publication_date.isoformat(),
        "cfr_parts": list(doc.cfr_parts),
        # The rule's own DATES text, else the API's `effective_on`; never the publication
        # date: a rule can take effect before it is published (2023-03929: 2/24 vs 2/27).
        "effective_on": _iso(rule.effective_on or doc.effective_on),
        "html_url": doc.html_url,
        "pdf_url": doc.pdf_url,
        "full_text_xml_url": doc.full_text_xml_url,
        "action": doc.action,
        "lists": list(doc.lists),
        "entries_by_action": by_action,
        "entries_by_country": by_country,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def record_document(
    session: Session,
    *,
    doc: FrDocument,
    kind: str,
    now: datetime,
    rule: RuleDocument | None = None,
    problem: str | None = None,
    classification: Classification | None = None,
    effective_on: date | None = None,
) -> bool:
    """The document-level change of a rule; with its summary when the rule's XML was read.

    Without `rule` (no entries, no XML yet, or a baseline rule older than the window)
    only the document's own facts are kept, and `effective_on` (its DATES, when read)
    or the API's. `classification` goes into `after` as the rules calendar reads it
    (contract: `watchers.federal_register.meaning`). True when the change is new.
    """
    if rule is not None:
        after = document_summary(doc, rule)
        effective = rule.effective_on or doc.effective_on
        counted = f" ({len(rule.entries)} entries)"
    else:
        after = {
            "title": doc.title,
            "citation": doc.citation,
            "publication_date": doc.publication_date.isoformat(),
            "effective_on": _iso(effective_on or doc.effective_on),
            "html_url": doc.html_url,
            "pdf_url": doc.pdf_url,
            "action": doc.action,
            "cfr_parts": list(doc.cfr_parts),
            "parse_error": problem,
        }
        effective = effective_on or doc.effective_on
        counted = " (entries could not be read: see the rule)" if problem else ""
    if classification is not None:
        after |= classification.as_after()
    return record_event(
        session,
        dedupe_key=change_dedupe_key(SOURCE, kind, doc.document_number),
        source=SOURCE,
        kind=kind,
        now=now,
        list_code=doc.lists[0] if doc.lists else "EL",
        document_number=doc.document_number,
        effective_date=effective,
        after=after,
        summary=f"{doc.citation or doc.document_number}: {doc.title}{counted}",
    )


def record_rule(
    session: Session,
    *,
    doc: FrDocument,
    rule: RuleDocument,
    now: datetime,
    alert: bool,
    classification: Classification | None = None,
) -> list[str]:
    """Store a rule's entries and its change rows; returns descriptions of new changes.

    With `alert=False` (the baseline) the rule is recorded as seen and its entries
    are stored for screening, but no per-entry changes are raised.
    """
    kind = "rule_published" if alert else "rule_baseline"
    new: list[str] = []
    if record_document(
        session, doc=doc, kind=kind, now=now, rule=rule, classification=classification
    ):
        new.append(f"{kind} {doc.document_number}: {doc.title}")
    _store_entries(session, rule.entries, now=now)
    if alert:
        for item in rule.entries:
            if _record_entry_change(session, item, doc=doc, rule=rule, now=now):
                new.append(f"{_ENTRY_KIND[item.action]} {item.entry.list_code} {item.entry.name}")
    return new


def _record_entry_change(
    session: Session, item: RuleEntry, *, doc: FrDocument, rule: RuleDocument, now: datetime
) -> bool:
    entry = item.entry
    kind = _ENTRY_KIND[item.action]
    content = entry.content() | {"destination": item.destination}
    return record_event(
        session,
        # One entity can be listed under several destinations; each row is its own change.
        dedupe_key=change_dedupe_key(
            SOURCE, doc.document_number, item.destination, entry.base_key, item.action
        ),
        source=SOURCE,
        kind=kind,
        now=now,
        list_code=entry.list_code,
        document_number=doc.document_number,
        effective_date=rule.effective_on or doc.effective_on,
        after=content,
        summary=f"{entry.list_code} {kind}: {entry.name} ({item.destination})",
        entry_key=entry.base_key,
        entry_name=entry.name,
    )


def _store_entries(session: Session, items: Iterable[RuleEntry], *, now: datetime) -> None:
    items = list(items)
    delete_entries_by_key(session, source=SOURCE, keys=[i.entry.base_key for i in items])
    kept: dict[str, ListEntry] = {}
    for item in items:
        if item.action == "remove":
            continue
        key, entry = item.entry.base_key, item.entry
        if key in kept:
            # One entity under several destinations: one entry with all its countries.
            first = kept[key]
            entry = replace(
                first,
                countries=tuple(dict.fromkeys(first.countries + entry.countries)),
                addresses=tuple(dict.fromkeys(first.addresses + entry.addresses)),
                aliases=tuple(dict.fromkeys(first.aliases + entry.aliases)),
            )
        kept[key] = entry
    insert_entries(session, kept.items(), source=SOURCE, now=now)

"""Federal Register `public-inspection-documents/current.json` -> filings about our lists.

A rule goes on public inspection a business day (sometimes several) before
it is published: the earliest legal signal of an Entity List action. The
answer is `{"count": N, "results": [...]}` with, per document,
`document_number`, `title`, `type` ("Rule"), `filing_type` ("regular" or
"special"), `filed_at`, `publication_date`, `pdf_url`, `html_url`,
`agencies` and more. Pure: bytes in, frozen records out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reference.lists import bis_rule_lists_named
from watchers.federal_register.api_json import (
    Agency,
    JsonObject,
    agencies_of,
    int_field,
    is_bis,
    load_object,
    optional_date,
    optional_datetime,
    optional_str,
    results_of,
    str_field,
)

SOURCE = "federal_register.public_inspection"


@dataclass(frozen=True, slots=True)
class PublicInspectionDocument:
    document_number: str
    title: str
    type: str | None
    filing_type: str | None  # "regular" or "special"
    filed_at: datetime | None
    publication_date: date | None  # the scheduled date of publication
    pdf_url: str | None
    html_url: str | None
    agencies: tuple[Agency, ...]
    editorial_note: str | None
    lists: tuple[str, ...]  # list codes the title names: "EL", "UVL", "MEU"
    # The filing's text as typed (None until the desk has made it); its CFR parts
    # and DATES are read from it (`inspection_rules`).
    raw_text_url: str | None = None


@dataclass(frozen=True, slots=True)
class PublicInspectionPage:
    count: int
    documents: tuple[PublicInspectionDocument, ...]


def parse_public_inspection(data: bytes) -> PublicInspectionPage:
    """Parse the answer of `public-inspection-documents/current.json`."""
    envelope = load_object(data, source=SOURCE)
    results = results_of(envelope, source=SOURCE)
    return PublicInspectionPage(
        count=int_field(envelope, "count", source=SOURCE, where="count"),
        documents=tuple(_document(r, where=f"results[{i}]") for i, r in enumerate(results)),
    )


def list_filings(
    documents: tuple[PublicInspectionDocument, ...],
) -> tuple[PublicInspectionDocument, ...]:
    """BIS filings whose title names the Entity, Unverified or Military End-User List."""
    return tuple(d for d in documents if is_bis(d.agencies) and d.lists)


def bis_rule_filings(
    documents: tuple[PublicInspectionDocument, ...],
) -> tuple[PublicInspectionDocument, ...]:
    """BIS filings that may amend part 744: those naming a list, and every BIS rule
    (whose raw text then says which CFR parts it amends)."""
    return tuple(
        d
        for d in documents
        if is_bis(d.agencies) and (d.lists or (d.type or "").casefold() == "rule")
    )


def _document(result: JsonObject, *, where: str) -> PublicInspectionDocument:
    document_number = str_field(result, "document_number", source=SOURCE, where=where)
    title = str_field(result, "title", source=SOURCE, where=where)
    # Some filings carry a short title plus a table-of-contents subject/document
    # line ("Entity List; Additions"); any of them may name the list.
    headings = " | ".join(
        t
        for t in (title, optional_str(result, "toc_subject"), optional_str(result, "toc_doc"))
        if t
    )
    return PublicInspectionDocument(
        document_number=document_number,
        title=title,
        type=optional_str(result, "type"),
        filing_type=optional_str(result, "filing_type"),
        filed_at=optional_datetime(result, "filed_at", source=SOURCE, where=where),
        publication_date=optional_date(result, "publication_date", source=SOURCE, where=where),
        pdf_url=optional_str(result, "pdf_url"),
        html_url=optional_str(result, "html_url"),
        agencies=agencies_of(result),
        editorial_note=optional_str(result, "editorial_note"),
        lists=bis_rule_lists_named(headings),
        raw_text_url=optional_str(result, "raw_text_url"),
    )

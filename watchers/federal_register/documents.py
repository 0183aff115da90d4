"""Federal Register `documents.json` search: the request to send and the answer parsed.

Pure: `documents_request` builds the query, `parse_documents_page` turns one
page of the answer into frozen records, `list_rules` keeps the BIS rules that
amend 15 CFR part 744 (by `cfr_references`) or name the Entity List, Unverified
List or Military End-User List. The fetcher
follows `next_page_url` itself, at most about 5 requests a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from reference.lists import bis_rule_lists_named
from watchers.federal_register.api_json import (
    BIS_SLUG,
    Agency,
    JsonObject,
    agencies_of,
    int_field,
    is_bis,
    load_object,
    optional_date,
    optional_str,
    results_of,
    str_field,
)
from watchers.federal_register.errors import ApiResponseError

SOURCE = "federal_register.documents"

# Everything an alert or the rule parser needs; the API returns only what is asked.
DOCUMENT_FIELDS: tuple[str, ...] = (
    "document_number",
    "citation",
    "publication_date",
    "effective_on",
    "full_text_xml_url",
    "html_url",
    "pdf_url",
    "action",
    "abstract",
    "title",
    "type",
    "agencies",
    "cfr_references",
    "dates",
)
# The regulation the watched lists live in: 15 CFR part 744 (Entity List = Supplement
# No. 4, Unverified List = No. 6, MEU List = No. 7).
CFR_TITLE = 15
CFR_PART = 744


@dataclass(frozen=True, slots=True)
class FrDocument:
    document_number: str
    title: str
    type: str  # "Rule", "Proposed Rule", "Notice", ...
    publication_date: date
    effective_on: date | None
    citation: str | None  # "84 FR 54002"
    action: str | None
    abstract: str | None
    full_text_xml_url: str | None
    html_url: str | None
    pdf_url: str | None
    agencies: tuple[Agency, ...]
    lists: tuple[str, ...]  # list codes the title or abstract names: "EL", "UVL", "MEU"
    cfr_parts: tuple[int, ...] = ()  # title 15 parts of its `cfr_references`
    dates: str | None = None  # its DATES paragraph (suspension spans, TGL expiry)

    @property
    def amends_part_744(self) -> bool:
        return CFR_PART in self.cfr_parts


@dataclass(frozen=True, slots=True)
class DocumentsPage:
    count: int
    total_pages: int
    next_page_url: str | None
    documents: tuple[FrDocument, ...]


def documents_request(
    base_url: str,
    *,
    term: str | None = "Entity List",
    per_page: int = 100,
    page: int = 1,
    cfr_part: int | None = None,
    published_since: date | None = None,
) -> str:
    """The full URL of one page of the newest BIS rules matching `term`, or amending
    15 CFR `cfr_part` (the API's CFR conditions), published on or after `published_since`."""
    params: list[tuple[str, str]] = [
        ("conditions[agencies][]", BIS_SLUG),
        ("conditions[type][]", "RULE"),
    ]
    if term:
        params.append(("conditions[term]", term))
    if cfr_part is not None:
        params += [
            ("conditions[cfr][title]", str(CFR_TITLE)),
            ("conditions[cfr][part]", str(cfr_part)),
        ]
    if published_since is not None:
        params.append(("conditions[publication_date][gte]", published_since.isoformat()))
    params += [
        ("order", "newest"),
        ("per_page", str(per_page)),
        ("page", str(page)),
    ]
    params.extend(("fields[]", field) for field in DOCUMENT_FIELDS)
    return f"{base_url.rstrip('/')}/documents.json?{urlencode(params)}"


def parse_documents_page(data: bytes) -> DocumentsPage:
    """Parse one page of a `documents.json` answer."""
    envelope = load_object(data, source=SOURCE)
    results = results_of(envelope, source=SOURCE)
    total_pages = envelope.get("total_pages", 0 if not results else 1)
    if not isinstance(total_pages, int) or isinstance(total_pages, bool):
        raise ApiResponseError(
            f"`total_pages` is not an integer: {total_pages!r}", source=SOURCE, where="total_pages"
        )
    return DocumentsPage(
        count=int_field(envelope, "count", source=SOURCE, where="count"),
        total_pages=total_pages,
        next_page_url=optional_str(envelope, "next_page_url"),
        documents=tuple(_document(r, where=f"results[{i}]") for i, r in enumerate(results)),
    )


def list_rules(documents: tuple[FrDocument, ...]) -> tuple[FrDocument, ...]:
    """The final rules of BIS that amend 15 CFR part 744 (by their `cfr_references`) or
    whose title or abstract names the Entity, Unverified or MEU list (the second net)."""
    return tuple(
        d
        for d in documents
        if d.type.casefold() == "rule" and is_bis(d.agencies) and (d.lists or d.amends_part_744)
    )


def _document(result: JsonObject, *, where: str) -> FrDocument:
    document_number = str_field(result, "document_number", source=SOURCE, where=where)
    title = str_field(result, "title", source=SOURCE, where=where)
    abstract = optional_str(result, "abstract")
    publication_date = optional_date(result, "publication_date", source=SOURCE, where=where)
    if publication_date is None:
        raise ApiResponseError("`publication_date` is missing", source=SOURCE, where=where)
    return FrDocument(
        document_number=document_number,
        title=title,
        type=str_field(result, "type", source=SOURCE, where=where),
        publication_date=publication_date,
        effective_on=optional_date(result, "effective_on", source=SOURCE, where=where),
        citation=optional_str(result, "citation"),
        action=optional_str(result, "action"),
        abstract=abstract,
        full_text_xml_url=optional_str(result, "full_text_xml_url"),
        html_url=optional_str(result, "html_url"),
        pdf_url=optional_str(result, "pdf_url"),
        agencies=agencies_of(result),
        lists=bis_rule_lists_named(f"{title}\n{abstract or ''}"),
        cfr_parts=_cfr_parts(result.get("cfr_references")),
        dates=optional_str(result, "dates"),
    )


def _cfr_parts(references: object) -> tuple[int, ...]:
    """Title 15 parts of `cfr_references` ([{"title": 15, "part": 744, ...}]); entries of
    another shape are skipped (the second net, the title words, still applies)."""
    if not isinstance(references, list):
        return ()
    parts: list[int] = []
    for reference in references:
        if not isinstance(reference, dict):
            continue
        title, part = reference.get("title"), reference.get("part")
        try:
            if int(str(title)) == CFR_TITLE and int(str(part)) not in parts:
                parts.append(int(str(part)))
        except ValueError:
            continue
    return tuple(parts)

"""What kind of saved document a file is: the one sniffer that `entitywatch parse` uses.

Pure: bytes in, a kind name out, or `UnrecognisedDocument` saying what the
bytes are not. Kinds are recognised by structure, not by a keyword somewhere
in the first kilobytes: a `documents.json` page requested without
`full_text_xml_url` is still a documents page, and a README that mentions the
Entity List is still no press announcement.

    fr-rule            Federal Register full-text XML with a <RULE> root
    fr-documents       documents.json: results with `document_number` and `publication_date`
    public-inspection  public-inspection-documents JSON: results with `filed_at` / `filing_type`
    csl                Consolidated Screening List CSV (header with `source` and `name`) or JSON
    press-feed         RSS or Atom
    press-text         plain text of an announcement: names a screening list and BIS or Commerce
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping

from reference.lists import lists_named
from watchers.errors import ParseError

SOURCE = "document"

KINDS: tuple[str, ...] = (
    "fr-rule",
    "fr-documents",
    "public-inspection",
    "csl",
    "press-feed",
    "press-text",
)

_MARKDOWN = re.compile(r"^(?:#{1,6} |```|\|\s*-{3,}|\s*[-*] \[|\[[^\]]+\]\([^)]+\))", re.MULTILINE)
_AGENCY = re.compile(
    r"\b(?:Bureau of Industry and Security|BIS|Commerce Department|Department of Commerce|"
    r"Commerce)\b"
)
_CSL_HEADER = re.compile(rb"^(?:\xef\xbb\xbf)?[^\r\n]*\bsource\b[^\r\n]*\bname\b", re.IGNORECASE)


class UnrecognisedDocument(ParseError):
    """The bytes are none of the kinds `entitywatch parse` reads."""


def sniff_kind(data: bytes) -> str:
    """The kind of a saved document, or `UnrecognisedDocument` saying what it is not."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise UnrecognisedDocument("empty file", source=SOURCE)
    if head.startswith(b"<"):
        return _xml_kind(head)
    if head.startswith(b"{") or re.match(rb"\[\s*[{\]]", head):
        return _json_kind(data)
    if _CSL_HEADER.match(head):
        return "csl"
    return _text_kind(data)


def _xml_kind(head: bytes) -> str:
    if re.search(rb"<RULE[\s>]", head):
        return "fr-rule"
    if re.search(rb"<(?:rss|feed|rdf:RDF)[\s>]", head):
        return "press-feed"
    if re.search(rb"<html[\s>]|<!doctype html", head, re.IGNORECASE):
        raise UnrecognisedDocument(
            "an HTML page, not a Federal Register rule XML or a feed", source=SOURCE
        )
    raise UnrecognisedDocument(
        "XML, but neither a Federal Register <RULE> nor an RSS/Atom feed", source=SOURCE
    )


def _json_kind(data: bytes) -> str:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnrecognisedDocument(f"looks like JSON but is not: {error}", source=SOURCE) from None
    results = document.get("results") if isinstance(document, dict) else document
    if not isinstance(results, list):
        raise UnrecognisedDocument(
            'JSON without a "results" list: not a Federal Register or CSL answer', source=SOURCE
        )
    first = next((r for r in results if isinstance(r, dict)), None)
    if first is None:
        raise UnrecognisedDocument(
            "JSON with no results: cannot tell which API it came from; pass --kind",
            source=SOURCE,
        )
    for kind, test in _JSON_TESTS:
        if test(first):
            return kind
    keys = ", ".join(sorted(first)[:8])
    raise UnrecognisedDocument(
        f"JSON results of an unknown shape (keys: {keys}): not a Federal Register "
        "documents or public-inspection page, nor a CSL file",
        source=SOURCE,
    )


_JSON_TESTS: tuple[tuple[str, Callable[[Mapping[str, object]], bool]], ...] = (
    # Public inspection first: its results carry `document_number` too.
    ("public-inspection", lambda r: "filed_at" in r or "filing_type" in r),
    ("fr-documents", lambda r: "document_number" in r and "publication_date" in r),
    ("csl", lambda r: "source" in r and "name" in r),
)


def _text_kind(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnrecognisedDocument(
            "binary or not UTF-8: not a document entitywatch reads", source=SOURCE
        ) from None
    if len(_MARKDOWN.findall(text)) >= 2:
        raise UnrecognisedDocument(
            "a Markdown document, not an announcement, rule, Federal Register JSON, feed or "
            "CSL file",
            source=SOURCE,
        )
    if not lists_named(text) or not _AGENCY.search(text):
        raise UnrecognisedDocument(
            "plain text that is no announcement: it names no screening list and no BIS or "
            "Commerce action",
            source=SOURCE,
        )
    return "press-text"

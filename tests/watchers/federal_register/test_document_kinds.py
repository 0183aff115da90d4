"""The one sniffer that decides what kind of saved document a file is (`entitywatch parse`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from watchers.document_kinds import UnrecognisedDocument, sniff_kind

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("federal_register/2023-03929.xml", "fr-rule"),
        ("federal_register/2024-13148-hong-kong-addresses.xml", "fr-rule"),
        # Requested without full_text_xml_url: still a documents page, not a CSL file.
        ("federal_register/fr-documents-bis-2026-10-02.json", "fr-documents"),
        ("federal_register/documents-page-1.json", "fr-documents"),
        ("federal_register/public-inspection-current.json", "public-inspection"),
        ("csl/csl-2026-json-records.json", "csl"),
        ("csl/consolidated-2025-sample.json", "csl"),
        ("csl/consolidated-2025-sample.csv", "csl"),
        ("csl/consolidated-2019-sample.csv", "csl"),
        ("press/press-feed.rss.xml", "press-feed"),
        ("press/press-feed.atom.xml", "press-feed"),
        ("press/2019-10-entity-list-28-chinese-organizations.txt", "press-text"),
    ],
)
def test_real_documents_are_recognised(path: str, kind: str) -> None:
    assert sniff_kind((FIXTURES / path).read_bytes()) == kind


def test_a_documents_page_without_any_optional_field_is_recognised() -> None:
    page = json.loads(
        (FIXTURES / "federal_register" / "fr-documents-bis-2026-10-02.json").read_bytes()
    )
    bare = [
        {"document_number": r["document_number"], "publication_date": r["publication_date"]}
        for r in page["results"]
    ]
    assert sniff_kind(json.dumps({"count": 7, "results": bare}).encode()) == "fr-documents"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ((ROOT / "README.md").read_bytes(), "a Markdown document, not an announcement"),
        # A settings file, written here: the project's own pyproject.toml changes (its
        # comments once quoted code in backticks, which reads as Markdown).
        (
            b'[project]\nname = "acme"\nversion = "0.1.0"\n\n[tool.lint]\nselect = ["E"]\n',
            "plain text that is no announcement",
        ),
        (
            b"Minutes of the team lunch. Nothing about lists.\n",
            "plain text that is no announcement",
        ),
        # Names a list but no agency action: a blog line is not an announcement.
        (b"I read about the Entity List in a novel.\n", "plain text that is no announcement"),
        (b"", "empty file"),
        (b"\xff\xfe\x00binary", "not UTF-8"),
        (b"<html><body>Access denied</body></html>", "an HTML page"),
        (b"<?xml version='1.0'?><note/>", "neither a Federal Register <RULE> nor"),
        (b'{"results": []}', "no results: cannot tell"),
        (b'{"results": [{"foo": 1}]}', "unknown shape (keys: foo)"),
        (b'{"count": 1}', 'without a "results" list'),
        (b"{broken", "looks like JSON but is not"),
    ],
)
def test_anything_else_is_refused_with_what_it_is_not(data: bytes, message: str) -> None:
    with pytest.raises(UnrecognisedDocument, match=message.replace("(", r"\(").replace(")", r"\)")):
        sniff_kind(data)

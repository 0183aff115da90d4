"""documents.json: the request we send and the pages we get back."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from watchers.federal_register.documents import (
    DOCUMENT_FIELDS,
    documents_request,
    list_rules,
    parse_documents_page,
)
from watchers.federal_register.errors import ApiResponseError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "federal_register"


def test_request_asks_for_newest_bis_rules_with_our_fields() -> None:
    url = documents_request("https://www.federalregister.gov/api/v1/", term="Entity List", page=2)
    parts = urlsplit(url)
    assert parts.path == "/api/v1/documents.json"
    params = parse_qsl(parts.query)
    assert ("conditions[agencies][]", "industry-and-security-bureau") in params
    assert ("conditions[type][]", "RULE") in params
    assert ("conditions[term]", "Entity List") in params
    assert ("order", "newest") in params
    assert ("page", "2") in params
    assert [v for k, v in params if k == "fields[]"] == list(DOCUMENT_FIELDS)


@pytest.mark.parametrize(
    ("page", "next_url", "numbers", "rules"),
    [
        (1, True, ["2023-03929", "9999-10001"], ["2023-03929"]),
        (2, False, ["2019-22210", "9999-10002"], ["2019-22210"]),
    ],
)
def test_pages_and_filter(page: int, next_url: bool, numbers: list[str], rules: list[str]) -> None:
    parsed = parse_documents_page((FIXTURES / f"documents-page-{page}.json").read_bytes())
    assert (parsed.count, parsed.total_pages) == (4, 2)
    assert (parsed.next_page_url is not None) is next_url
    assert [d.document_number for d in parsed.documents] == numbers
    assert [d.document_number for d in list_rules(parsed.documents)] == rules


def test_fields_of_the_2019_rule() -> None:
    parsed = parse_documents_page((FIXTURES / "documents-page-2.json").read_bytes())
    rule = parsed.documents[0]
    assert rule.citation == "84 FR 54002"
    assert rule.publication_date == date(2019, 10, 9)
    assert rule.effective_on == date(2019, 10, 9)
    assert rule.type == "Rule"
    assert rule.lists == ("EL",)
    assert rule.full_text_xml_url is not None
    assert rule.full_text_xml_url.endswith("/2019-22210.xml")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty answer"),
        (b"<!DOCTYPE html><html><body>Access denied</body></html>", "HTML"),
        (b"{not json", "not JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"count": "many", "results": []}', "`count` is not an integer"),
        (b'{"count": 1, "results": {"a": 1}}', "`results` is not a list"),
        (b'{"count": 1, "results": [{"title": "x", "type": "Rule"}]}', "`document_number`"),
        (
            b'{"count": 1, "results": [{"document_number": "1", "title": "x", "type": "Rule",'
            b' "publication_date": "2019-13-45"}]}',
            "not a date",
        ),
    ],
)
def test_wrong_answers_raise(data: bytes, message: str) -> None:
    with pytest.raises(ApiResponseError, match=message):
        parse_documents_page(data)


def test_no_results_key_when_nothing_matched() -> None:
    parsed = parse_documents_page(b'{"count": 0, "description": "none"}')
    assert parsed.documents == ()
    assert parsed.next_page_url is None


def test_real_2026_page_requested_without_optional_fields() -> None:
    # Captured from the live API without `full_text_xml_url`, `citation`, `effective_on`,
    # `abstract` or `pdf_url` in fields[]: the parser must not need them.
    page = parse_documents_page((FIXTURES / "fr-documents-bis-2026-10-02.json").read_bytes())
    assert page.count == 7 and len(page.documents) == 7 and page.total_pages == 1
    rules = list_rules(page.documents)
    assert [d.document_number for d in rules] == ["2026-17231", "2026-17230"]
    assert {d.title for d in rules} == {
        "Revisions to the Entity List",
        "Removal From the Entity List",
    }
    assert all(d.full_text_xml_url is None and d.effective_on is None for d in page.documents)
    # The temporary denial order is a Notice, the drone rule names no list: neither is a list rule.
    denial = next(d for d in page.documents if d.document_number == "2026-19927")
    assert denial.type == "Notice" and denial not in rules

"""public-inspection-documents/current.json: the earliest signal of a list action."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from watchers.federal_register.errors import ApiResponseError
from watchers.federal_register.inspection_json import list_filings, parse_public_inspection

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "federal_register"


def test_only_the_bis_entity_list_filing_is_kept() -> None:
    page = parse_public_inspection((FIXTURES / "public-inspection-current.json").read_bytes())
    assert page.count == 3
    assert len(page.documents) == 3
    [filing] = list_filings(page.documents)
    assert filing.document_number == "2019-22210"
    assert filing.title == "Addition of Certain Entities to the Entity List"
    assert filing.filing_type == "regular"
    assert filing.publication_date == date(2019, 10, 9)
    assert filing.filed_at == datetime(2019, 10, 7, 20, 15, tzinfo=UTC)
    assert filing.pdf_url == "https://public-inspection.federalregister.gov/2019-22210.pdf"
    assert filing.lists == ("EL",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body>Too many requests</body></html>", "HTML"),
        (b'{"count": 1}', "`results` is not a list"),
        (b'{"count": 1, "results": [{"document_number": "2019-1"}]}', "`title`"),
        (
            b'{"count": 1, "results": [{"document_number": "2019-1", "title": "t",'
            b' "filed_at": "yesterday"}]}',
            "not a timestamp",
        ),
    ],
)
def test_wrong_answers_raise(data: bytes, message: str) -> None:
    with pytest.raises(ApiResponseError, match=message):
        parse_public_inspection(data)

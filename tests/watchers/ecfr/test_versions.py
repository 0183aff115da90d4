"""The eCFR versioner's `versions` answer, read from a recorded answer and from broken ones."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import fixture_bytes
from watchers.ecfr.errors import VersionsAnswerError
from watchers.ecfr.versions import parse_versions, versions_request, watched_identifier

ANSWER = json.loads(fixture_bytes("ecfr", "versions-title-15-part-744.json"))


def test_the_recorded_answer_gives_the_substantive_amendments_of_the_watched_parts() -> None:
    page = parse_versions(fixture_bytes("ecfr", "versions-title-15-part-744.json"))
    found = [(a.identifier, a.list_code, a.amendment_date.isoformat()) for a in page.amendments]
    assert found == [
        ("744.22", "MIEU", "2021-03-16"),
        ("744.22", "MIEU", "2021-12-09"),
        ("Supplement No. 7 to Part 744", "MEU", "2021-12-09"),
        ("Supplement No. 7 to Part 744", "MEU", "2022-02-24"),
        ("744.22", "MIEU", "2022-03-02"),
        ("Supplement No. 4 to Part 744", "EL", "2022-03-02"),
        ("Supplement No. 4 to Part 744", "EL", "2022-04-07"),
        ("Supplement No. 4 to Part 744", "EL", "2023-02-24"),
    ]  # § 744.21 and the non-substantive version of Supplement No. 4 are left out
    assert page.latest_issue_date == date(2023, 3, 1)
    assert not page.may_continue


@pytest.mark.parametrize(
    ("identifier", "canonical"),
    [
        ("744.22", "744.22"),
        ("§ 744.22", "744.22"),
        ("Supplement No. 4 to Part 744", "Supplement No. 4 to Part 744"),
        ("supplement no.  6 to part 744", "Supplement No. 6 to Part 744"),
        ("Supplement No. 5 to Part 744", None),
        ("744.21", None),
        ("Supplement No. 4 to Part 774", None),
    ],
)
def test_which_identifiers_are_watched(identifier: str, canonical: str | None) -> None:
    assert watched_identifier(identifier) == canonical


def test_the_request_asks_for_part_744_since_a_date() -> None:
    url = versions_request("https://www.ecfr.gov/api/versioner/v1/", since=date(2024, 12, 1))
    assert url == (
        "https://www.ecfr.gov/api/versioner/v1/versions/title-15.json"
        "?part=744&issue_date%5Bgte%5D=2024-12-01"
    )


def _with_first(**changes: object) -> bytes:
    answer = json.loads(json.dumps(ANSWER))
    answer["content_versions"][1].update(changes)
    return json.dumps(answer).encode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body>Request blocked</body></html>", "not JSON"),
        (b"[]", "expected a JSON object, got a list"),
        (b'{"versions": []}', "no `content_versions` list in the answer (keys: versions)"),
        (b'{"error": "Bad date: \'2025-16-01\'"}', "the eCFR answered error: Bad date"),
        (b'{"message": "Title 15 currently unavailable"}', "the eCFR answered message"),
        (b'{"content_versions": ["744.22"]}', "a version is a str (content_versions[1])"),
        (_with_first(identifier=None), "a version without an identifier (content_versions[2])"),
        (_with_first(substantive="yes"), "`substantive` is 'yes', not true or false"),
        (_with_first(amendment_date="24/02/2023", date=None), "date '24/02/2023' is not"),
        (_with_first(amendment_date=None, date=None), "a version without an amendment date"),
    ],
)
def test_an_answer_of_another_shape_is_refused_whole(body: bytes, message: str) -> None:
    with pytest.raises(VersionsAnswerError) as raised:
        parse_versions(body)
    assert message in str(raised.value)
    assert str(raised.value).startswith("ecfr.versions: ")

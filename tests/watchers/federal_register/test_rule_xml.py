"""The rule XML parser against the real FR Doc 2023-03929 and hand-made variants of it."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from watchers.errors import ParseError
from watchers.federal_register.countries import country_code
from watchers.federal_register.errors import RuleXmlError
from watchers.federal_register.rule_xml import RuleDocument, parse_rule_xml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "federal_register"
REAL = FIXTURES / "2023-03929.xml"


def _parse(name: str, citation: str | None = "88 FR 12170") -> RuleDocument:
    return parse_rule_xml((FIXTURES / name).read_bytes(), citation=citation)


def _summary_counts(summary: str) -> Counter[str]:
    """Per-destination counts as the rule's SUMMARY states them: "Canada (2), China (5), ..."."""
    counts: Counter[str] = Counter()
    for name, number in re.findall(
        r"(?:^|,\s+|\bof\s+)(?:and\s+)?([A-Z][A-Za-z ]*?) \((\d+)\)", summary
    ):
        code = country_code(name)
        assert code is not None, name
        counts[code] += int(number)
    return counts


def test_per_country_counts_equal_the_summary() -> None:
    document = _parse("2023-03929.xml")
    parsed = Counter(e.entry.countries[0] for e in document.entries)
    assert parsed == _summary_counts(document.summary)
    # SUMMARY: "These entities are listed on the Entity List under the destinations of
    # Canada (2), China (5), France (1), Luxembourg (1), Netherlands (1), and Russia (3)."
    assert parsed == Counter({"CN": 5, "RU": 3, "CA": 2, "FR": 1, "LU": 1, "NL": 1})


def test_document_fields_of_the_real_rule() -> None:
    document = _parse("2023-03929.xml")
    assert document.document_number == "2023-03929"
    assert document.title == "Additions of Entities to the Entity List"
    assert document.action == "Final rule."
    assert document.effective_on == date(2023, 2, 24)
    assert {e.action for e in document.entries} == {"add"}


@pytest.mark.parametrize(
    ("destination", "name", "aliases", "addresses"),
    [
        ("CA", "CPUNTO Inc.", ("CPUNTO",), 1),
        ("CA", "Electronic Network Inc.", 6, 1),  # address on a continuation row
        ("CN", "Beijing Yunze Technology Co., Ltd.", 3, 3),  # three addresses joined by "; and"
        (
            "CN",
            "Spacety Co., Ltd.",
            (
                "Changsha Tianyi Space Science and Technology Research Institute",
                "Spacety",
                "Spacety Luxembourg S.A.",
            ),
            2,
        ),
        ("RU", "Innovation and Technologies LLC", ("Intekh", "INTEKH OOO"), 2),
    ],
)
def test_entries_of_the_real_rule(
    destination: str, name: str, aliases: tuple[str, ...] | int, addresses: int
) -> None:
    document = _parse("2023-03929.xml")
    [found] = [
        e.entry
        for e in document.entries
        if e.entry.name == name and destination in e.entry.countries
    ]
    assert found.aliases == aliases if isinstance(aliases, tuple) else len(found.aliases) == aliases
    assert len(found.addresses) == addresses
    assert found.list_code == "EL"
    assert found.fr_document == "2023-03929"
    assert found.fr_citations == ("88 FR 12170",)
    assert found.start_date == date(2023, 2, 24)
    assert found.license_requirement is not None
    assert found.license_requirement.startswith("For all items subject to the EAR.")
    assert "3 744.21" not in found.license_requirement  # footnote marker dropped
    assert found.license_policy is not None
    assert found.license_policy.startswith("Policy of denial")


def test_superscript_ordinal_stays_in_the_address() -> None:
    document = _parse("2023-03929.xml")
    addresses = [a for e in document.entries for a in e.entry.addresses]
    assert any("west 3rd ring r." in a for a in addresses)
    assert not any("See alternate address" in a for a in addresses)


def test_placeholder_citation_kept_before_publication() -> None:
    document = _parse("2023-03929.xml", citation=None)
    assert document.entries[0].entry.fr_citations == (
        "88 FR [INSERT FR PAGE NUMBER AND 2/27/2023]",
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "synthetic-revision-9999-00001.xml",
            [
                ("revise", "CN", "Beijing Yunze Technology Co., Ltd."),
                ("revise", "RU", "Promtekhkomplekt JSC"),
                ("add", "RU", "Volga Test Instruments LLC"),
            ],
        ),
        (
            "synthetic-removal-9999-00002.xml",
            [("remove", "CA", "CPUNTO Inc."), ("remove", "LU", "Spacety Co., Ltd.")],
        ),
    ],
)
def test_actions_of_synthetic_rules(name: str, expected: list[tuple[str, str, str]]) -> None:
    document = _parse(name, citation="88 FR 40000")
    assert [(e.action, e.entry.countries[0], e.entry.name) for e in document.entries] == expected


def test_revision_keeps_earlier_citations_and_splits_inline_address() -> None:
    document = _parse("synthetic-revision-9999-00001.xml", citation="88 FR 40000")
    yunze, _, volga = (e.entry for e in document.entries)
    assert yunze.fr_citations == ("88 FR 12170", "88 FR 40000")
    assert volga.aliases == ()
    assert volga.addresses == ("12 Lenina Street, Samara 443000, Russia",)


def test_document_number_mismatch_is_refused() -> None:
    with pytest.raises(RuleXmlError, match="not the requested 2019-22210"):
        parse_rule_xml(REAL.read_bytes(), citation=None, document_number="2019-22210")


def _without_gpotable() -> bytes:
    text = REAL.read_text(encoding="utf-8")
    return re.sub(r"<GPOTABLE.*</GPOTABLE>", "", text, flags=re.DOTALL).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty document"),
        (b"   \n", "empty document"),
        (REAL.read_bytes()[:20000], "not well-formed XML"),
        (b"<!DOCTYPE html><html><body>Request blocked</body></html>", "HTML page"),
        (b"<html><head><title>Error</title></head><body>busy</body></html>", "HTML page"),
        (
            b'<?xml version="1.0"?><!DOCTYPE RULE [<!ENTITY a "aaaa">]><RULE>&a;</RULE>',
            "DOCTYPE or entity",
        ),
        (b"<PRORULE><PREAMB/></PRORULE>", "expected a <RULE>"),
        (b"<RULE><FRDOC>[FR Doc. 2023-03929 Filed]</FRDOC></RULE>", "no GPOTABLE"),
        (_without_gpotable(), "no GPOTABLE row"),
    ],
    ids=[
        "empty",
        "blank",
        "truncated",
        "html-doctype",
        "html",
        "entities",
        "not-rule",
        "no-table",
        "table-cut",
    ],
)
def test_malformed_input_raises_parse_error(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message) as raised:
        parse_rule_xml(data, citation="88 FR 12170", document_number="2023-03929")
    assert raised.value.source == "federal_register.rule_xml"

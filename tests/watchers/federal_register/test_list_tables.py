"""Rule tables of the three part 744 lists, each in its real column set, and address-only entries.

Fixtures (tests/fixtures/federal_register/PROVENANCE.md says what is real and what inferred):
- 2024-13148-hong-kong-addresses.xml: the eight Hong Kong addresses of FR Doc 2024-13148
  (the first rule with address-only Entity List entries), as the rule prints them;
- uvl-shape-9999-00006.xml: an Unverified List table (Country / Listed person and address /
  Federal Register citation) with real UVL entries from the CSL;
- 2020-28052-meu-excerpt.xml: three entries of the first Military End-User List rule
  (Country / Entity / Federal Register citation).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import csl_2022_bytes
from watchers.csl.parse import parse_csl
from watchers.federal_register.entity_cell import looks_like_bare_address, parse_entity_cell
from watchers.federal_register.errors import RuleXmlError
from watchers.federal_register.gpotable import table_columns, table_entries
from watchers.federal_register.rule_xml import RuleDocument, parse_rule_xml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "federal_register"
HONG_KONG = "2024-13148-hong-kong-addresses.xml"
UVL = "uvl-shape-9999-00006.xml"
MEU = "2020-28052-meu-excerpt.xml"


def _parse(name: str, citation: str | None = None) -> RuleDocument:
    return parse_rule_xml((FIXTURES / name).read_bytes(), citation=citation)


def test_address_only_entries_are_address_entries() -> None:
    rule = _parse(HONG_KONG, citation="89 FR 51644")
    assert rule.document_number == "2024-13148"
    assert len(rule.entries) == 8
    unit_d = "Unit D, 16/F One Capital Place, 18 Luard Rd, Wan Chai, Hong Kong"
    [found] = [e.entry for e in rule.entries if e.entry.name == unit_d]
    # Not a company called "Unit D" with the rest as its address.
    assert found.entity_type == "address"
    assert found.addresses == (unit_d,)
    assert found.aliases == ()
    assert found.countries == ("HK",)
    assert found.list_code == "EL"
    assert found.license_policy == "Presumption of denial."
    assert found.fr_citations == ("89 FR 51644",)
    assert {e.action for e in rule.entries} == {"add"}
    assert all(e.entry.entity_type == "address" for e in rule.entries)
    assert all(e.entry.name == e.entry.addresses[0] for e in rule.entries)


def test_the_effective_date_is_the_first_one_dates_gives_for_the_rule() -> None:
    # "effective June 12, 2024, except for amendatory instruction 14, which is effective
    # September 16, 2024": the rule takes effect before its publication on June 18.
    assert _parse(HONG_KONG).effective_on == date(2024, 6, 12)


@pytest.mark.parametrize(
    ("text", "is_address"),
    [
        ("Unit D, 16/F One Capital Place, 18 Luard Rd, Wan Chai, Hong Kong.", True),
        ("Room 19C Lockhart Centre 301-307, Lockhart Rd. Wan Chai, Hong Kong.", True),
        ("Flat/RM 2309, 23/F, Ho King Commercial Centre, 2-16 Fa Yuen Street, Hong Kong.", True),
        ("Office 4, 16/F Ho King Commercial Centre, 2-16 Fayuen Street, Hong Kong.", True),
        # Names that start with words an address also starts with stay names.
        ("Office of Scientific and Technical Cooperation", False),
        ("27th Scientific Center", False),
        ("Volga Test Instruments LLC, 12 Lenina Street, Samara 443000, Russia.", False),
        ("CPUNTO Inc., a.k.a., the following one alias:", False),
    ],
)
def test_what_counts_as_a_bare_address(text: str, is_address: bool) -> None:
    assert looks_like_bare_address(text) is is_address


def test_no_name_of_the_2022_csl_reads_as_a_bare_address() -> None:
    # Known limit of the rule: a name like "Unit 8200, Israel" would read as an address.
    # None of the 14,160 names of the real 2022 CSL (before address-only entries existed) does.
    names = [e.name for e in parse_csl(csl_2022_bytes()).entries]
    assert len(names) == 14160
    assert [n for n in names if looks_like_bare_address(n)] == []


def test_an_address_cell_with_an_alias_line_is_an_entity() -> None:
    cell = ET.fromstring(
        "<ENT>Room 5 Trading Ltd., a.k.a., the following one alias:<LI>—R5.</LI>"
        "<LI>Room 5, 1 Main Road, Kowloon, Hong Kong.</LI></ENT>"
    )
    found = parse_entity_cell(cell)
    assert not found.is_address and found.name == "Room 5 Trading Ltd." and found.aliases == ("R5",)


def test_unverified_list_table_reads_its_three_columns() -> None:
    rule = _parse(UVL, citation="87 FR 55000")
    table = next(ET.fromstring((FIXTURES / UVL).read_bytes()).iter("GPOTABLE"))
    assert table_columns(table, list_code="UVL") == ("entity", "citation")
    got = [
        (e.entry.list_code, e.entry.name, e.entry.addresses, e.entry.countries)
        for e in rule.entries
    ]
    assert got == [
        ("UVL", "Atlas Sanatgaran", ("Komitas 26/114, Yerevan, Armenia",), ("AM",)),
        (
            "UVL",
            "Piricas Trading Company",
            (
                "No. 20 Heratsi 2A, Yerevan, Armenia",
                "No. 507 Al Mina Street, P.O. Box 181950, Dubai, UAE",
            ),
            ("AM",),
        ),
        (
            "UVL",
            "Abu Trade LLC",
            ("Lot Number 155, Al Zaroni Yard, Al Wasl Road, Dubai, UAE",),
            ("AE",),
        ),
    ]
    # No license columns in Supplement No. 6: nothing is invented for them.
    assert all(e.entry.license_requirement is None for e in rule.entries)
    assert all(e.entry.fr_citations == ("87 FR 55000",) for e in rule.entries)
    # "This rule is effective [INSERT DATE OF PUBLICATION ...]" is no date yet.
    assert rule.effective_on is None


def test_military_end_user_table_reads_its_three_columns() -> None:
    rule = _parse(MEU, citation="85 FR 83793")
    assert rule.effective_on == date(2020, 12, 23)
    got = [(e.entry.list_code, e.entry.name, e.entry.addresses) for e in rule.entries]
    assert got == [
        (
            "MEU",
            "AECC Aero Science & Technology Co. Ltd.",
            ("Cheng-fa Industrial Park, ShuLong Road, SanHe Block, Chengdu, Sichuan, China",),
        ),
        ("MEU", "AECC Aviation Power Co. Ltd.", ("Xiujia Bay, Weiyong Dt, Xian, 710021, China",)),
        # "Co., Ltd." is part of the name, not the start of the address.
        (
            "MEU",
            "AECC Harbin Dongan Engine Co., Ltd.",
            ("No. 51 Baoguo Street, Haerbin, 150036, China",),
        ),
    ]
    assert all(e.entry.countries == ("CN",) for e in rule.entries)
    assert all(e.entry.fr_citations == ("85 FR 83793",) for e in rule.entries)


def test_a_table_without_header_takes_its_list_columns() -> None:
    table = ET.fromstring(
        "<GPOTABLE><ROW><ENT I='01'>ARMENIA</ENT><ENT>Atlas Sanatgaran, Komitas 26/114, Yerevan, "
        "Armenia.</ENT><ENT>87 FR 1, 1/1/2022.</ENT></ROW></GPOTABLE>"
    )
    assert table_columns(table, list_code="MEU") == ("entity", "citation")
    [entry] = table_entries(table, list_code="UVL")
    assert entry.cell.name == "Atlas Sanatgaran" and entry.citation_text == "87 FR 1, 1/1/2022."
    # Read with Entity List columns, the same row is too short to be an entry: it would
    # continue an entry that does not exist, which is an error, not a silent skip.
    with pytest.raises(RuleXmlError, match="continuation row before any entry"):
        table_entries(table, list_code="EL")


def test_an_unknown_header_column_is_refused() -> None:
    table = ET.fromstring(
        "<GPOTABLE><ROW><ENT I='25'>Country</ENT><ENT>Entity</ENT><ENT>Remarks</ENT></ROW></GPOTABLE>"
    )
    with pytest.raises(RuleXmlError, match="unknown column 'Remarks'"):
        table_columns(table, list_code="EL")


def test_the_real_2023_rule_still_reads_its_five_columns() -> None:
    table = next(ET.fromstring((FIXTURES / "2023-03929.xml").read_bytes()).iter("GPOTABLE"))
    assert table_columns(table, list_code="EL") == ("entity", "requirement", "policy", "citation")

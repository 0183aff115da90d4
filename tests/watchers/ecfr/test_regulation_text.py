"""Part 744 in the GPO bulk eCFR XML: § 744.22(f)(2)'s military-intelligence end users and the
supplements' tables, from the reconstructed title excerpt and from broken copies of it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from tests.conftest import fixture_bytes
from watchers.ecfr.errors import ListTextError, PartTextMissing, RegulationTextError
from watchers.ecfr.mieu import parse_mieu
from watchers.ecfr.part_text import read_part_744
from watchers.ecfr.regulation import read_regulation_lists

TITLE = fixture_bytes("ecfr", "ECFR-title15-part744-excerpt.xml")


def test_the_title_gives_its_date_and_the_watched_parts_of_744_only() -> None:
    text = read_part_744(TITLE)
    assert text.amended_on == date(2023, 3, 1)
    assert set(text.parts) == {
        "744.22",
        "Supplement No. 4 to Part 744",
        "Supplement No. 6 to Part 744",
        "Supplement No. 7 to Part 744",
    }


def test_the_thirteen_military_intelligence_end_users_of_744_22_f_2() -> None:
    entries = parse_mieu(read_part_744(TITLE).part("744.22"))
    found = [(e.countries[0], e.name, e.aliases, e.fr_citations[0][-6:]) for e in entries]
    assert found == [
        ("MM", "Office of Chief of Military Security Affairs", ("OCMSA",), "(2)(i)"),
        ("MM", "Directorate of Signal", (), "(2)(i)"),
        ("KH", "General Department of Research and Intelligence", ("GDRI",), "2)(ii)"),
        ("CU", "Directorate of Military Intelligence", ("DIM",), ")(iii)"),
        ("CU", "Directorate of Military Counterintelligence", ("CIM",), ")(iii)"),
        ("CN", "Intelligence Bureau of the Joint Staff Department", (), "2)(iv)"),
        (
            "IR",
            "Islamic Revolutionary Guard Corps Intelligence Organization",
            ("IRGC-IO",),
            "(2)(v)",
        ),
        ("IR", "Artesh Directorate for Intelligence", ("J2",), "(2)(v)"),
        ("KP", "Reconnaissance General Bureau", ("RGB",), "2)(vi)"),
        ("RU", "Main Intelligence Directorate", ("GRU",), ")(vii)"),
        ("SY", "Military Intelligence Service", (), "(viii)"),
        ("VE", "General Directorate of Military Counterintelligence", ("DGCIM",), "2)(ix)"),
        (
            "BY",
            "Main Intelligence Directorate of the General Staff of the Armed Forces of Belarus",
            (),
            "(2)(x)",
        ),
    ]
    russia = entries[9]
    assert russia.list_code == "MIEU"
    assert russia.fr_citations == ("15 CFR 744.22(f)(2)(vii)",)
    assert russia.license_policy == "Presumption of denial (§ 744.22(e))"
    assert "86 FR 70019, Dec. 9, 2021, as amended at 87 FR 13060" in (russia.remarks or "")


def test_an_and_inside_a_name_does_not_split_it() -> None:
    section = ET.fromstring(
        "<DIV8><P>(2) 'Military-intelligence end user' means any organization:</P>"
        "<P>(i) <I>Freedonia.</I> Directorate of Research and Development.</P></DIV8>"
    )
    with pytest.raises(ListTextError, match="unknown country 'Freedonia'"):
        parse_mieu(section)
    section.find("P[2]/I").text = "Cuba."  # type: ignore[union-attr]
    (entry,) = parse_mieu(section)
    assert entry.name == "Directorate of Research and Development"


def test_the_supplements_tables_give_their_entries() -> None:
    lists = read_regulation_lists(TITLE)
    assert {code: lists.count(code) for code in ("EL", "UVL", "MEU", "MIEU")} == {
        "EL": 15,
        "UVL": 2,
        "MEU": 2,
        "MIEU": 13,
    }
    aook = next(e for e in lists.entries if e.name == "AOOK Technology Ltd.")
    assert aook.aliases == ("AOOK", "AOOK Electronics")
    assert aook.countries == ("CN",)
    assert aook.fr_citations == ("88 FR 12170, 2/27/23.",)
    assert aook.addresses == (
        "Rm 803 Chevalier Building 45-51 Chatham Rd S Tsim Sha Tsui Hong Kong, China",
    )
    uvl = next(e for e in lists.entries if e.list_code == "UVL")
    assert (uvl.name, uvl.addresses) == ("Atlas Sanatgaran", ("Komitas 26/114, Yerevan, Armenia",))


def _without(pattern: bytes) -> bytes:
    broken = re.sub(pattern, b"", TITLE, flags=re.S)
    assert broken != TITLE
    return broken


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        (b"", RegulationTextError, "empty document"),
        (
            b"<!DOCTYPE html><html><body>Access denied</body></html>",
            RegulationTextError,
            "HTML page",
        ),
        (
            TITLE[: len(TITLE) // 2],
            RegulationTextError,
            "not well-formed XML (truncated download?)",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
            RegulationTextError,
            "DOCTYPE or entity declaration",
        ),
        (TITLE.replace(b'N="744"', b'N="745"'), PartTextMissing, "no part 744"),
        (
            _without(rb'<DIV9 N="Supplement No\. 6.*?</DIV9>'),
            PartTextMissing,
            "Supplement No. 6 to Part 744 is not in part 744",
        ),
        (
            _without(rb"<P>\(i\) <I>Burma.*?\(x\) <I>Belarus.*?</P>"),
            ListTextError,
            "followed by no (i), (ii)",
        ),
        (
            _without(rb"<P>\(2\) &#x2018;Military-intelligence end user.*?</P>"),
            ListTextError,
            "no paragraph (f)(2)",
        ),
        (_without(rb"<TR><TH.*?</TR>"), ListTextError, "a table row before any header"),
        (
            re.sub(
                rb"(Supplement No\. 7 to Part 744&#x2014;.*?)<TR><TD.*?</TABLE>",
                rb"\1</TABLE>",
                TITLE,
                flags=re.S,
            ),
            ListTextError,
            "no entry in the table of the MEU supplement",
        ),
    ],
)
def test_a_text_that_does_not_read_is_refused_with_where(
    body: bytes, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        read_regulation_lists(body)
    assert message in str(raised.value)

"""The pure readers of part 744 rules: DATES, CFR headings, raw text, and the classifier.

The classifier's dev set is written in our own words (no rule's wording, no issue
example); the two real rules are checked end to end in test_part744_rules.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from watchers.federal_register.inspection_text import FilingTextError, read_filing_text
from watchers.federal_register.meaning import RuleFacts, classify
from watchers.federal_register.rule_dates import cfr_parts_in, effective_from_dates


@pytest.mark.parametrize(
    ("dates", "kind", "on"),
    [
        ("This rule is effective March 3, 2026.", "date", date(2026, 3, 3)),
        ("Effective date: this rule is effective March 3 2026.", "date", date(2026, 3, 3)),
        (
            "Comments are due May 4, 2026. This rule is effective March 3, 2026.",
            "date",
            date(2026, 3, 3),
        ),
        (
            "This rule is effective [INSERT DATE OF FILING FOR PUBLIC INSPECTION].",
            "on_filing",
            None,
        ),
        ("The rule is effective upon filing for public inspection.", "on_filing", None),
        (
            "This rule is effective [INSERT DATE OF PUBLICATION IN THE FEDERAL REGISTER].",
            "on_publication",
            None,
        ),
        ("This rule is effective February 30, 2026.", "unknown", None),
        ("The changes apply when the agency says so.", "unknown", None),
        ("   ", "missing", None),
    ],
)
def test_effective_date_forms(dates: str, kind: str, on: date | None) -> None:
    effective = effective_from_dates(dates)
    assert (effective.kind, effective.on) == (kind, on)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("15 CFR Parts 732, 734, 736, 744, and 748", (732, 734, 736, 744, 748)),
        ("15 CFR Part 744", (744,)),
        ("15 CFR parts 740 and 744\n[Docket No. 1]", (740, 744)),
        ("49 CFR Part 744", ()),
        ("no heading at all", ()),
    ],
)
def test_cfr_headings(text: str, parts: tuple[int, ...]) -> None:
    assert cfr_parts_in(text) == parts


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.4\n...", "PDF"),
        (b"<!DOCTYPE html><html><body>Gateway Timeout</body></html>", "HTML"),
        (b"<?xml version='1.0'?><error/>", "HTML or XML"),
        (b"Just some words with no headings.", "no CFR heading"),
    ],
)
def test_raw_text_that_is_not_a_filing_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(FilingTextError, match=message):
        read_filing_text(data)


def test_raw_text_sections() -> None:
    text = read_filing_text(
        b"15 CFR Parts 740 and 744\n\nSome Title\n\nAGENCY: BIS.\n\nACTION: Final rule.\n\n"
        b"SUMMARY: One\nparagraph over lines.\n\nDATES: Effective June 2, 2026.\n\n"
        b"ADDRESSES: none.\n\nSUPPLEMENTARY INFORMATION: see part 744 of the EAR."
    )
    assert text.cfr_parts == (740, 744)
    assert text.action == "Final rule."
    assert text.summary == "One paragraph over lines."
    assert text.dates == "Effective June 2, 2026."
    assert text.mentions_part_744


def _meaning(facts: RuleFacts) -> tuple[str, list[tuple[str, str, date | None, date | None]]]:
    result = classify(facts)
    return result.kind, [(m.subject, m.action, m.start, m.until) for m in result.meanings]


DAY = date(2026, 4, 1)


@pytest.mark.parametrize(
    ("facts", "kind", "meanings"),
    [
        (
            RuleFacts(
                title="Narrowing the Foreign Direct Product Rule for Listed Chip Makers",
                effective_on=DAY,
                entry_count=0,
            ),
            "meaning",
            [("fdp", "amended", DAY, None)],
        ),
        (
            RuleFacts(
                title="Authorization for Wind-Down Shipments to Listed Parties",
                abstract="A temporary general license lets exporters finish orders; it "
                "expires on March 31, 2027.",
                effective_on=DAY,
                entry_count=0,
            ),
            "meaning",
            [("tgl", "expires", DAY, date(2027, 3, 31))],
        ),
        (
            RuleFacts(
                title="Review Policy for Listed Aerospace Suppliers",
                abstract="BIS revises the license review policy that applies to these parties.",
                effective_on=DAY,
                entry_count=0,
            ),
            "meaning",
            [("license_policy", "amended", DAY, None)],
        ),
        (
            RuleFacts(
                title="Restoring Coverage of Affiliates of Listed Entities",
                abstract="BIS reimposes the coverage of firms 50 percent or more owned by "
                "listed parties.",
                effective_on=DAY,
            ),
            "meaning",
            [("affiliates", "reimposed", DAY, None)],
        ),
        (
            RuleFacts(
                title="Pause of Certain Restrictions on Semiconductor Tools",
                abstract="BIS is suspending a set of restrictions for one year.",
                dates_text="Effective April 1, 2026. The restrictions are suspended from "
                "April 1, 2026, until March 31, 2027.",
                entry_count=0,
            ),
            "meaning",
            [
                ("suspension", "suspended", DAY, date(2027, 3, 31)),
                ("suspension", "reimposed", date(2027, 4, 1), None),
            ],
        ),
        (
            RuleFacts(
                title="Additions to the Entity List",
                abstract="Adds parties with a license review policy of presumption of denial; "
                "a license requirement applies.",
                entry_count=7,
            ),
            "entries",
            [],
        ),
        (RuleFacts(title="Removal of Two Parties From the Entity List"), "entries", []),
        (
            RuleFacts(title="Removal of Two Parties From the Entity List", readable=False),
            "entries",
            [],
        ),
        (
            RuleFacts(title="Updating Cross-References to Recordkeeping Rules", entry_count=0),
            "other",
            [],
        ),
        (
            RuleFacts(title="Entity List Clarifications", entry_count=0, names_list=True),
            "unreadable",
            [],
        ),
        (RuleFacts(title="Miscellaneous Changes", readable=False), "unreadable", []),
    ],
)
def test_classifier_dev_set(
    facts: RuleFacts, kind: str, meanings: list[tuple[str, str, date | None, date | None]]
) -> None:
    assert _meaning(facts) == (kind, meanings)


@pytest.mark.parametrize(
    "junk",
    ["", "\x00\x01", "affiliates " * 500, "suspended through through through", "🙂" * 50],
)
def test_the_classifier_never_raises(junk: str) -> None:
    result = classify(RuleFacts(title=junk, abstract=junk, dates_text=junk, summary=junk))
    assert result.kind in ("entries", "meaning", "other", "unreadable")
    assert result.as_after()["classification"] == result.kind

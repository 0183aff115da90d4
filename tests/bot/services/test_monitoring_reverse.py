"""The reverse direction of monitoring (listed names against the counterparties) compares
a listed person's name as /screen compares it: an initial for the given name, or a middle
name the list lacks, is still a review."""

from __future__ import annotations

import pytest

from bot.services.monitoring.listed import ListedEntry
from bot.services.monitoring.reverse import CounterpartyIndex, Party
from screening import MATCH, REVIEW, ScreeningEntry, ScreeningIndex, Thresholds

THRESHOLDS = Thresholds()


def _listed(name: str, entity_type: str | None) -> ListedEntry:
    return ListedEntry.of_content(
        {"name": name, "entity_type": entity_type}, entry_key="SDN:1", list_code="SDN"
    )


@pytest.mark.parametrize(
    ("listed", "counterparty"),
    [
        ("QUILLBY, Francesca", "F. Quillby"),
        ("SIDOROV, Ivan", "Ivan Petrovich Sidorov"),
        ("KAREEM, Nadeem", "Nadim Karim"),
        ("QUILLBY, Francesca Maria", "F. M. Quillby"),
    ],
)
def test_a_listed_person_finds_the_counterparty_both_ways(listed: str, counterparty: str) -> None:
    reverse = CounterpartyIndex.build([Party(id=7, name=counterparty)])
    (found,) = reverse.screen(_listed(listed, "Individual"), thresholds=THRESHOLDS)
    forward = ScreeningIndex.build(
        [ScreeningEntry(entry_key="SDN:1", list_code="SDN", name=listed, entity_type="Individual")]
    ).search(counterparty, thresholds=THRESHOLDS)
    assert found.counterparty_id == 7
    assert found.band in (MATCH, REVIEW)
    assert found.band == forward[0].band


def test_the_entry_type_comes_from_the_stored_content() -> None:
    assert _listed("QUILLBY, Francesca", "Individual").entity_type == "Individual"
    assert _listed("Quillby Logistics", None).entity_type is None
    # A company's name is not compared as a person's: an initial stays unmatched.
    reverse = CounterpartyIndex.build([Party(id=7, name="F. Quillby")])
    assert reverse.screen(_listed("QUILLBY, Francesca", None), thresholds=THRESHOLDS) == []


def test_a_company_counterparty_scores_as_low_both_ways_against_a_listed_person() -> None:
    """Tried: a listed person whose given name and surname are in a company's name."""
    listed, counterparty = "PETROVAN, Ivo Sergeyevich", "Ivo Petrovan Logistics LLC"
    reverse = CounterpartyIndex.build([Party(id=7, name=counterparty)])
    found = reverse.screen(_listed(listed, "Individual"), thresholds=THRESHOLDS)
    forward = ScreeningIndex.build(
        [ScreeningEntry(entry_key="SDN:1", list_code="SDN", name=listed, entity_type="Individual")]
    ).search(counterparty, thresholds=THRESHOLDS)
    assert [c.band for c in found] == [r.band for r in forward if r.band != "no match"]
    assert all(c.band != MATCH for c in found)

"""The eCFR title XML -> every entry of the part 744 lists it holds. Pure.

The military-intelligence end users come from § 744.22(f)(2); the Entity List,
the Unverified List and the Military End-User List from Supplements No. 4, 6
and 7. All four must read, or none is used: a text we can half read is a changed
format to look at, not a list that lost its entries.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from reference.lists import PART_744_LISTS
from watchers.ecfr.mieu import parse_mieu
from watchers.ecfr.part_text import read_part_744
from watchers.ecfr.supplements import parse_supplement
from watchers.records import ListEntry


@dataclass(frozen=True, slots=True)
class RegulationLists:
    amended_on: date | None  # the eCFR title is current through this date
    entries: tuple[ListEntry, ...]
    content_hash: str

    def count(self, list_code: str) -> int:
        return sum(1 for e in self.entries if e.list_code == list_code)


def read_regulation_lists(data: bytes) -> RegulationLists:
    text = read_part_744(data)
    entries: list[ListEntry] = []
    for identifier, list_code in PART_744_LISTS.items():
        element = text.part(identifier)
        if list_code == "MIEU":
            entries += parse_mieu(element)
        else:
            entries += parse_supplement(element, list_code=list_code)
    return RegulationLists(
        amended_on=text.amended_on,
        entries=tuple(entries),
        content_hash=hashlib.sha256(data).hexdigest(),
    )

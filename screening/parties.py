"""Which entries are one party: same list, same name once normalized.

The Denied Persons List holds one row per order and address, and the CSL
repeats an entity under each destination; shown as separate candidates they
fill the top five with copies and push other parties out. Grouped, they are
one result that carries every country and entry key.
"""

from __future__ import annotations

from collections.abc import Sequence

from screening.entries import ScreeningEntry
from screening.normalize import clean_text


def party_ids(entries: Sequence[ScreeningEntry]) -> tuple[tuple[int, ...], list[tuple[int, ...]]]:
    """(party number of each entry, entry numbers of each party)."""
    numbers: dict[tuple[str, str], int] = {}
    of_entry: list[int] = []
    members: list[list[int]] = []
    for position, entry in enumerate(entries):
        key = (entry.list_code, clean_text(entry.name))
        party = numbers.setdefault(key, len(members))
        if party == len(members):
            members.append([])
        members[party].append(position)
        of_entry.append(party)
    return tuple(of_entry), [tuple(m) for m in members]

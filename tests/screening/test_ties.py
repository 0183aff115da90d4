"""Equal scores: a family's parent entry before its members, in the same order on every run.

The family is invented, shaped as the Entity List writes one (see screening/ties.py).
"""

from __future__ import annotations

import random

from screening import ScreeningEntry, ScreeningIndex
from screening.ties import extension_counts, parent_counts, qualified

PARENT = "Quillon Avionics Co., Ltd. (Quillon)"
MEMBERS = [
    f"{PARENT}.  Affiliated Entity:  Quillon Avionics Sensor Works",
    f"{PARENT}.  Affiliated Entity: Tarvo Quillon Instruments Co.",
    f"{PARENT}. Subsidiary: Quillon Avionics Test Centre",
]
OFFICES = ["Quillon Avionics", "Quillon Avionics Co. Ltd., Harbour Branch Office"]


def entries(names: list[str]) -> list[ScreeningEntry]:
    return [
        ScreeningEntry(entry_key=f"k{i}", list_code="EL", name=name, countries=("XX",))
        for i, name in enumerate(names)
    ]


def test_qualifiers_mark_members_not_parents() -> None:
    assert all(qualified(name) for name in MEMBERS)
    assert not any(qualified(name) for name in [PARENT, *OFFICES])


def test_parents_are_counted_by_the_names_that_claim_them() -> None:
    names = [*MEMBERS, PARENT, *OFFICES]
    assert parent_counts(names) == [0, 0, 0, 3, 0, 0]
    # "Quillon Avionics" is extended at a word boundary by every other name; the parent by
    # its three members; "Quillon Avionics Co" is not extended by "Quillon Avionics Corp".
    assert extension_counts(names) == [0, 0, 0, 3, 5, 0]
    assert extension_counts(["Quillon Avionics Co", "Quillon Avionics Corp"]) == [0, 0]


def test_the_parent_ranks_first_whatever_the_order_of_the_lists() -> None:
    names = [*MEMBERS, *OFFICES, PARENT]
    orders = []
    for seed in range(4):
        shuffled = names[:]
        random.Random(seed).shuffle(shuffled)
        index = ScreeningIndex.build(entries(shuffled))
        results = index.search("Quillon Avionics Co., Ltd.", limit=10)
        orders.append([r.entry.name for r in results])
    first = orders[0]
    assert all(order == first for order in orders)
    assert first[0] == PARENT
    # The members, whatever their scores, come after every unqualified entry that ties.
    top = [r for r in index.search("Quillon Avionics Co., Ltd.", limit=10) if r.score == 1.0]
    flags = [qualified(r.entry.name) for r in top]
    assert flags == sorted(flags)

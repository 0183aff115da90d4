"""The arithmetic, table-driven: chains multiply, paths add, cycles stop, covered
intermediates count whole, review owners are added up apart. Names are invented."""

from __future__ import annotations

import pytest

from bot.services.ownership.programs import counts_for_rule
from bot.services.ownership.shares import (
    LISTED,
    POSSIBLE,
    Holding,
    OwnershipGraph,
    ShareCalculator,
)


def calc(edges: list[tuple[str, str, float]], standings: dict[str, str]) -> ShareCalculator:
    return ShareCalculator(OwnershipGraph(Holding(o, d, s) for o, d, s in edges), standings)


CASES = [
    # (name, holdings owner->owned share, standings, party, listed, possible, covered)
    ("direct", [("L", "T", 0.55)], {"L": LISTED}, "T", 0.55, 0.0, True),
    (
        "two listed add",
        [("L1", "T", 0.3), ("L2", "T", 0.25)],
        {"L1": LISTED, "L2": LISTED},
        "T",
        0.55,
        0.0,
        True,
    ),
    ("chain multiplies", [("L", "H", 0.4), ("H", "T", 0.5)], {"L": LISTED}, "T", 0.2, 0.0, False),
    (
        "paths add",
        [("L", "H", 0.4), ("H", "T", 1.0), ("L", "T", 0.2)],
        {"L": LISTED},
        "T",
        0.6,
        0.0,
        True,
    ),
    (
        "covered holding counts whole",
        [("L", "H", 0.6), ("H", "T", 0.6)],
        {"L": LISTED},
        "T",
        0.6,
        0.0,
        True,
    ),
    ("just under", [("L", "T", 0.4999)], {"L": LISTED}, "T", 0.4999, 0.0, False),
    ("exactly half", [("L", "T", 0.5)], {"L": LISTED}, "T", 0.5, 0.0, True),
    (
        "cycle stops",
        [("A", "B", 0.5), ("B", "A", 0.5), ("L", "A", 0.4), ("B", "T", 1.0)],
        {"L": LISTED},
        "T",
        0.2,
        0.0,
        False,
    ),
    ("self-owned", [("T", "T", 0.3), ("L", "T", 0.3)], {"L": LISTED}, "T", 0.3, 0.0, False),
    (
        "review apart",
        [("L", "T", 0.3), ("R", "T", 0.3)],
        {"L": LISTED, "R": POSSIBLE},
        "T",
        0.3,
        0.3,
        False,
    ),
    (
        "over 100 capped",
        [("L1", "T", 0.8), ("L2", "T", 0.7)],
        {"L1": LISTED, "L2": LISTED},
        "T",
        1.0,
        0.0,
        True,
    ),
    ("nobody listed", [("A", "T", 0.9)], {}, "T", 0.0, 0.0, False),
]


@pytest.mark.parametrize(
    ("edges", "standings", "party", "listed", "possible", "covered"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_listed_share(
    edges: list[tuple[str, str, float]],
    standings: dict[str, str],
    party: str,
    listed: float,
    possible: float,
    covered: bool,
) -> None:
    found = calc(edges, standings).coverage(party)
    assert found.listed == pytest.approx(listed)
    assert found.possible == pytest.approx(possible)
    assert found.covered is covered


def test_parts_name_each_owner_and_how_it_holds() -> None:
    found = calc(
        [("L1", "T", 0.3), ("L2", "H", 0.4), ("H", "T", 0.5), ("L3", "G", 0.6), ("G", "T", 0.1)],
        {"L1": LISTED, "L2": LISTED, "L3": LISTED},
    ).coverage("T")
    assert [(p.owner, round(p.share, 4), p.direct, p.covered_owner) for p in found.parts] == [
        ("L1", 0.3, True, False),
        ("L2", 0.2, False, False),
        ("G", 0.1, True, True),
    ]
    assert found.listed == pytest.approx(0.6)


def test_a_long_cycle_terminates_and_memo_gives_the_same_answer() -> None:
    ring = [(f"N{i}", f"N{(i + 1) % 50}", 0.9) for i in range(50)]
    calculator = calc([*ring, ("L", "N0", 0.6), ("N25", "T", 1.0)], {"L": LISTED})
    first = calculator.coverage("T")
    assert first.covered  # N0 is covered, and covered all the way round the ring
    assert calculator.coverage("T") == first


def test_dependents_follow_the_reverse_index_through_cycles() -> None:
    graph = OwnershipGraph(
        Holding(o, d, 0.5) for o, d in [("L", "A"), ("A", "B"), ("B", "A"), ("B", "T"), ("X", "Y")]
    )
    assert graph.dependents(["L"]) == {"A", "B", "T"}


@pytest.mark.parametrize(
    ("list_code", "programs", "counts"),
    [
        ("EL", [], True),
        ("MEU", [], True),
        ("SDN", ["SDGT"], True),
        ("SDN", ["[NPWMD]", "IFSR"], True),
        ("SDN", ["RUSSIA-EO14024"], False),
        ("SDN", [], False),
        ("DPL", [], False),
        ("UVL", [], False),
    ],
)
def test_which_lists_count(list_code: str, programs: list[str], counts: bool) -> None:
    assert counts_for_rule(list_code, programs) is counts

"""Press extraction on the development set: 45 real announcement texts (see PROVENANCE).

Reports precision and recall per field (`pytest -s` shows the table; `python -m
bench.bench_press` prints it too) and holds floors. Precision floors are higher
than recall floors on purpose: a wrong press alert costs trust, a missed one only
minutes.
"""

from __future__ import annotations

import pytest

from tests.watchers.press_dev_set import CHECK, FIELDS, differences, load_cases, score, table

# field: (precision floor, recall floor)
FLOORS = {
    "is_list_action": (0.95, 0.85),
    "lists": (0.95, 0.85),
    "action": (0.95, 0.85),
    "countries": (0.90, 0.75),
    "names": (0.85, 0.60),
    "removed": (0.85, 0.60),
}


def test_the_dev_set_is_large_enough_and_mixed() -> None:
    cases = load_cases()
    assert len(cases) >= 25
    kinds = {str(c.expected["category"]) for c in cases}
    assert {"list_action", "enforcement", "speech", "event"} <= kinds
    assert {str(c.expected["action"]) for c in cases} >= {"add", "remove", "revise", "None"}
    assert {code for c in cases for code in c.expected["lists"]} >= {"EL", "UVL", "MEU", "DPL"}  # type: ignore[attr-defined]


def test_precision_and_recall_per_field() -> None:
    cases = load_cases()
    tallies = score(cases)
    print("\n" + table(tallies))
    print("\n".join(differences(cases)))
    for field in FIELDS:
        precision_floor, recall_floor = FLOORS[field]
        assert tallies[field].precision >= precision_floor, field
        assert tallies[field].recall >= recall_floor, field


def test_the_check_set_holds_the_same_floors() -> None:
    cases = load_cases(CHECK)
    assert len(cases) >= 10
    tallies = score(cases)
    print("\n" + table(tallies))
    for field in FIELDS:
        precision_floor, recall_floor = FLOORS[field]
        assert tallies[field].precision >= precision_floor, field
        assert tallies[field].recall >= recall_floor, field


@pytest.mark.parametrize("category", ["enforcement", "speech", "event", "other"])
def test_no_release_of_another_kind_is_taken_for_a_list_action(category: str) -> None:
    from watchers.press.announcement import extract_announcement

    cases = [c for c in load_cases() + load_cases(CHECK) if c.expected["category"] == category]
    assert cases
    for case in cases:
        assert not extract_announcement(case.text).is_list_action, case.file

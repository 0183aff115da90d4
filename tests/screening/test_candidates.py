"""The candidates' pre-ranking sorts all rough scores up to a size and uses a heap above it
(`screening.table.SORT_ALL_UP_TO`): either way the same candidates, in the same order, ties
included, so that the answers do not depend on which path a query took."""

from __future__ import annotations

import pytest

import screening.table
from screening import InvalidQueryError, ScreeningAnswer, ScreeningIndex

# Few and many candidates: a rare name, a family of a hundred entries that all tie, common
# words, a person, an address (thousands of postings on the address table).
QUERIES = (
    "Hikvision",
    "Huawei Technologies Co., Ltd.",
    "Trading Company Limited",
    "China Electronics Technology Group Corporation",
    "Mohammed Ali",
    "Room 1501, 15/F, Tower 2, Lippo Centre, 89 Queensway, Admiralty, Hong Kong",
)


def _answers(index: ScreeningIndex) -> list[ScreeningAnswer | str]:
    found: list[ScreeningAnswer | str] = []
    for query in QUERIES:
        try:
            found.append(index.screen(query, limit=50))
        except InvalidQueryError as error:
            found.append(repr(error))
    return found


def test_sorting_and_the_heap_give_the_same_answers(
    csl_index: ScreeningIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = _answers(csl_index)
    monkeypatch.setattr(screening.table, "SORT_ALL_UP_TO", 0)
    by_heap = _answers(csl_index)
    monkeypatch.setattr(screening.table, "SORT_ALL_UP_TO", 10**9)
    by_sorting = _answers(csl_index)
    assert by_heap == default
    assert by_sorting == default
    # The queries reach the limit of candidates: the choice among them is tested.
    assert sum(len(a.results) for a in default if isinstance(a, ScreeningAnswer)) > 50

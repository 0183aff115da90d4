"""The engine's memories are bounded, and a cold start empties every one a build fills."""

from __future__ import annotations

from screening import ScreeningEntry, ScreeningIndex
from screening.memory import forget_memory, remembered
from screening.normalize import _tokens
from screening.weights import _factors_of


def test_a_full_memory_is_emptied_before_it_takes_more() -> None:
    memory = {"a": 1, "b": 2}
    assert remembered(memory, "c", 3, limit=3) == 3
    assert memory == {"a": 1, "b": 2, "c": 3}
    assert remembered(memory, "d", 4, limit=3) == 4
    assert memory == {"d": 4}


def test_forgetting_empties_what_a_build_remembered() -> None:
    ScreeningIndex.build(
        [ScreeningEntry(entry_key="1", list_code="EL", name="Quillby Optics Co., Ltd.")]
    )
    assert _tokens.cache_info().currsize > 0
    assert _factors_of.cache_info().currsize > 0
    forget_memory()
    assert _tokens.cache_info().currsize == 0
    assert _factors_of.cache_info().currsize == 0

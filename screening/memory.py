"""What the engine remembers between calls: bounded, and emptied at once for a cold start.

Tokens, words and weights are remembered across builds, so that a rebuild after a
list change reads only the names it has not seen; queries remember their words'
look-ups. A full memory is emptied rather than kept in order: what is still in use
comes back at the next miss. A benchmark empties every memory a build fills
(`forget_memory`) to time a build as the first one after start-up.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")
_FORGETTING: list[Callable[[], None]] = []


def remembered(memory: MutableMapping[K, V], key: K, value: V, *, limit: int) -> V:
    """`value`, now kept in `memory` under `key`; a `memory` of `limit` entries is emptied first."""
    if len(memory) >= limit:
        memory.clear()
    memory[key] = value
    return value


def forgotten_with_the_rest(forget: Callable[[], None]) -> None:
    """Have `forget_memory` call `forget` (a memory a build fills, emptying itself)."""
    _FORGETTING.append(forget)


def forget_memory() -> None:
    """Empty every memory a build fills."""
    for forget in _FORGETTING:
        forget()

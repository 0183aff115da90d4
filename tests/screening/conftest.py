from __future__ import annotations

import pytest

from screening import ScreeningEntry, ScreeningIndex
from tests.screening.quality import load_entries


@pytest.fixture(scope="session")
def csl_entries() -> list[ScreeningEntry]:
    return load_entries()


@pytest.fixture(scope="session")
def csl_index(csl_entries: list[ScreeningEntry]) -> ScreeningIndex:
    return ScreeningIndex.build(csl_entries)

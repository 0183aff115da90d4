"""The lists' own names: every name and alias, pasted exactly as the list prints it, finds
its own entry as a match at rank one (ties at the top allowed, the pasted entry among them).

No exceptions list: a name that fails is a bug in how names are cut or scored.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from screening import MATCH, ScreeningEntry, ScreeningIndex
from tests.screening.quality import RECORDS_2026, load_entries

# Shorter names ("AB", "Li") are initials or fragments, not names a person pastes.
MIN_CHARS = 4


def listed_names(entries: Iterable[ScreeningEntry]) -> dict[str, set[str]]:
    """Each distinct name or alias as printed, and the keys of the entries that print it."""
    names: dict[str, set[str]] = {}
    for entry in entries:
        for text in (entry.name, *entry.aliases):
            if len(text) >= MIN_CHARS:
                names.setdefault(text, set()).add(entry.entry_key)
    return names


def failures(index: ScreeningIndex, names: dict[str, set[str]]) -> list[str]:
    """What went wrong for each name that does not find itself, in one pass."""
    found: list[str] = []
    for text, keys in names.items():
        results = index.screen(text).results
        if not results:
            found.append(f"{text!r}: no candidate")
            continue
        first = results[0]
        tied = [r for r in results if r.score == first.score]
        own = any(r.entry.entry_key in keys or {p.entry_key for p in r.party} & keys for r in tied)
        if first.band != MATCH or not own:
            found.append(
                f"{text!r}: first {first.band} {first.score} {first.entry.name!r}"
                f" ({first.matched_name!r}), own entry {'tied' if own else 'not at the top'}"
            )
    return found


@pytest.fixture(scope="module")
def records_2026() -> list[ScreeningEntry]:
    return load_entries(RECORDS_2026)


# The snapshot's names in this many batches, so that xdist workers share them.
BATCHES = 4


def test_the_batches_cover_the_whole_snapshot(csl_entries: list[ScreeningEntry]) -> None:
    names = list(listed_names(csl_entries))
    assert len(names) > 32_000  # the whole snapshot, not a sample
    batches = [names[batch::BATCHES] for batch in range(BATCHES)]
    assert sorted(name for part in batches for name in part) == sorted(names)


@pytest.mark.parametrize("batch", range(BATCHES))
def test_every_name_of_the_2022_snapshot_finds_itself(
    csl_entries: list[ScreeningEntry], csl_index: ScreeningIndex, batch: int
) -> None:
    names = listed_names(csl_entries)
    mine = {text: names[text] for text in list(names)[batch::BATCHES]}
    bad = failures(csl_index, mine)
    assert not bad, f"{len(bad)} of {len(mine)}: {bad[:20]}"


def test_every_name_of_the_2026_records_finds_itself(
    csl_entries: list[ScreeningEntry], records_2026: list[ScreeningEntry]
) -> None:
    # The 2026 records among the whole 2022 list, as a refreshed list would hold them.
    index = ScreeningIndex.build([*csl_entries, *records_2026])
    names = listed_names(records_2026)
    assert len(names) >= 4
    assert not failures(index, names)


@pytest.mark.parametrize(
    "pasted",
    [
        # The shapes that once found nothing or something else, each against a small list.
        "Acme Optics Co., Ltd. (Acme).  Affiliated Entity:  Wuxi Acme Lens Co., Ltd.",
        "-OOO Severny Trakt",
        "KOVALENKO, Anatoly",
        "PAO, Mei Lin",
        "Ridgeway Sensor Co., Ltd. (a subordinate institute of NRI-4)",
        "Eastern Signal Institute (ESI 4th RI)",
        "Delta Works [aka Delta Machine Works, Delta Tools]",
    ],
)
def test_shapes_of_listed_names_find_themselves(pasted: str) -> None:
    entries = [
        ScreeningEntry(entry_key="own", list_code="EL", name=pasted, entity_type=None),
        ScreeningEntry(entry_key="other", list_code="EL", name="Acme Optics Co., Ltd. (Acme)"),
        ScreeningEntry(
            entry_key="person", list_code="SDN", name="PAO, Wen", entity_type="Individual"
        ),
    ]
    if "," in pasted and pasted.split(",")[0].isupper():
        entries[0] = ScreeningEntry(
            entry_key="own", list_code="SDN", name=pasted, entity_type="Individual"
        )
    assert not failures(ScreeningIndex.build(entries), {pasted: {"own"}})

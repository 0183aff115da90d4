"""The pure diff: baselines, unchanged re-imports, modifications by content not `_id`."""

from __future__ import annotations

from dataclasses import replace

from watchers.diff import StoredEntry, diff_lists
from watchers.records import ListEntry, keyed_entries

HIK = ListEntry(
    list_code="EL",
    name="Hangzhou Hikvision Digital Technology Co., Ltd.",
    aliases=("Hikvision",),
    countries=("CN",),
    addresses=("No.555 Qianmo Road, Binjiang District, Hangzhou",),
    license_policy="Case-by-case review",
    source_id="id-2019",
)
DAHUA = ListEntry(list_code="EL", name="Zhejiang Dahua Technology", countries=("CN",))
SDN_ONE = ListEntry(list_code="SDN", name="Someone", entity_number="123")


def stored(*entries: ListEntry) -> dict[str, StoredEntry]:
    return {
        key: StoredEntry(
            key=key,
            list_code=e.list_code,
            name=e.name,
            digest=e.content_digest(),
            content=e.content(),
        )
        for key, e in keyed_entries(list(entries)).items()
    }


def test_first_sight_of_a_list_is_a_baseline() -> None:
    diffs = diff_lists(stored(SDN_ONE), keyed_entries([HIK, DAHUA, SDN_ONE]))
    assert diffs["EL"].baseline and not diffs["EL"].changes
    assert not diffs["SDN"].baseline and not diffs["SDN"].changes


def test_same_content_with_a_new_id_is_unchanged() -> None:
    diffs = diff_lists(
        stored(HIK, DAHUA), keyed_entries([replace(HIK, source_id="id-2022"), DAHUA])
    )
    assert diffs["EL"].changes == ()


def test_changed_address_and_policy_is_one_modification_with_field_diff() -> None:
    moved = replace(HIK, addresses=("New address",), license_policy="Policy of denial")
    diffs = diff_lists(stored(HIK, DAHUA), keyed_entries([moved, DAHUA]))
    (change,) = diffs["EL"].changes
    assert change.kind == "modified"
    assert change.fields == {
        "addresses": ([HIK.addresses[0]], ["New address"]),
        "license_policy": ("Case-by-case review", "Policy of denial"),
    }


def test_additions_and_removals() -> None:
    new = ListEntry(list_code="EL", name="Megvii")
    diffs = diff_lists(stored(HIK, DAHUA), keyed_entries([HIK, new]))
    kinds = sorted((c.kind, c.name) for c in diffs["EL"].changes)
    assert kinds == [("added", "Megvii"), ("removed", DAHUA.name)]
    assert diffs["EL"].removed_share == 0.5


def test_a_list_that_vanishes_is_all_removals() -> None:
    diffs = diff_lists(stored(HIK, SDN_ONE), keyed_entries([HIK]))
    assert diffs["SDN"].removed_share == 1.0


def test_duplicate_names_are_told_apart_by_address() -> None:
    a = ListEntry(list_code="DPL", name="AL NASER AIRLINES", addresses=("Baghdad",))
    b = ListEntry(list_code="DPL", name="AL NASER AIRLINES", addresses=("Kabul",))
    keys = keyed_entries([a, b])
    assert len(keys) == 2 and keyed_entries([b, a]).keys() == keys.keys()

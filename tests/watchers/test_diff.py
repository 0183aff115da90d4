"""The pure diff: baselines, unchanged re-imports, modifications by content not `_id`."""

from __future__ import annotations

from dataclasses import replace

from watchers.diff import StoredEntry, align_keys, diff_lists
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


def test_a_new_namesake_does_not_remove_the_entry_already_listed() -> None:
    first = ListEntry(list_code="DPL", name="Delta Co", addresses=("Miami",))
    namesake = ListEntry(list_code="DPL", name="Delta Co", addresses=("Dubai",))
    before = stored(first)
    diffs = diff_lists(before, align_keys(before, keyed_entries([first, namesake])))
    assert [(c.kind, c.name) for c in diffs["DPL"].changes] == [("added", "Delta Co")]
    assert diffs["DPL"].added[0].after and diffs["DPL"].added[0].after["addresses"] == ["Dubai"]


def test_when_a_namesake_leaves_the_one_that_stays_is_unchanged() -> None:
    staying = ListEntry(list_code="DPL", name="Delta Co", addresses=("Miami",))
    leaving = ListEntry(list_code="DPL", name="Delta Co", addresses=("Dubai",))
    before = stored(staying, leaving)
    diffs = diff_lists(before, align_keys(before, keyed_entries([staying])))
    assert [(c.kind, c.before and c.before["addresses"]) for c in diffs["DPL"].changes] == [
        ("removed", ["Dubai"])
    ]


def test_guard_lets_a_small_list_lose_one_entry_but_not_vanish() -> None:
    from watchers.csl.guard import removal_violations

    fse = [ListEntry(list_code="FSE", name=f"Evader {i}") for i in range(3)]
    before = stored(*fse)
    one_gone = diff_lists(before, keyed_entries(fse[:2]))
    assert removal_violations(one_gone, max_removed_share=0.10) == []
    vanished = diff_lists(before, {})
    assert [v.list_code for v in removal_violations(vanished, max_removed_share=0.10)] == ["FSE"]

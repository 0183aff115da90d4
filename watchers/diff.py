"""Pure diff of stored list state against a parsed snapshot, per list code.

Entries are matched by `keyed_entries` keys (entity number or normalized name),
never by the CSL `_id`, which BIS and State rows change with every release.
A changed address or policy is therefore one `modified` change carrying the
field-level before and after, not a removal plus an addition.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from watchers.records import ListEntry


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """What storage knows of an entry: enough to detect and describe a change."""

    key: str
    list_code: str
    name: str
    digest: str
    content: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class EntryChange:
    kind: str  # "added" | "removed" | "modified"
    key: str
    list_code: str
    name: str
    before: Mapping[str, object] | None
    after: Mapping[str, object] | None
    # field -> (before, after); only for "modified"
    fields: Mapping[str, tuple[object, object]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ListDiff:
    list_code: str
    baseline: bool
    stored_count: int
    incoming_count: int
    added: tuple[EntryChange, ...] = ()
    removed: tuple[EntryChange, ...] = ()
    modified: tuple[EntryChange, ...] = ()

    @property
    def changes(self) -> tuple[EntryChange, ...]:
        return self.added + self.removed + self.modified

    @property
    def removed_share(self) -> float:
        return len(self.removed) / self.stored_count if self.stored_count else 0.0


def field_diff(
    before: Mapping[str, object], after: Mapping[str, object]
) -> dict[str, tuple[object, object]]:
    names = sorted(set(before) | set(after))
    return {n: (before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)}


def diff_lists(
    stored: Mapping[str, StoredEntry], incoming: Mapping[str, ListEntry]
) -> dict[str, ListDiff]:
    """Per list code, what changed between `stored` and `incoming` (both keyed alike).

    A list with nothing stored is a baseline: its entries are not reported as additions.
    """
    codes = sorted(
        {s.list_code for s in stored.values()} | {e.list_code for e in incoming.values()}
    )
    return {code: _diff_one(code, stored, incoming) for code in codes}


def _diff_one(
    code: str, stored: Mapping[str, StoredEntry], incoming: Mapping[str, ListEntry]
) -> ListDiff:
    old = {k: s for k, s in stored.items() if s.list_code == code}
    new = {k: e for k, e in incoming.items() if e.list_code == code}
    if not old:
        return ListDiff(list_code=code, baseline=True, stored_count=0, incoming_count=len(new))
    added = tuple(
        EntryChange(
            kind="added", key=k, list_code=code, name=e.name, before=None, after=e.content()
        )
        for k, e in sorted(new.items())
        if k not in old
    )
    removed = tuple(
        EntryChange(
            kind="removed", key=k, list_code=code, name=s.name, before=s.content, after=None
        )
        for k, s in sorted(old.items())
        if k not in new
    )
    modified: list[EntryChange] = []
    for k in sorted(old.keys() & new.keys()):
        entry = new[k]
        if old[k].digest == entry.content_digest():
            continue
        after = entry.content()
        modified.append(
            EntryChange(
                kind="modified",
                key=k,
                list_code=code,
                name=entry.name,
                before=old[k].content,
                after=after,
                fields=field_diff(old[k].content, after),
            )
        )
    return ListDiff(
        list_code=code,
        baseline=False,
        stored_count=len(old),
        incoming_count=len(new),
        added=added,
        removed=removed,
        modified=tuple(modified),
    )


_DISAMBIGUATION = re.compile(r"@[0-9a-f]{10}(?:~[0-9a-f]{10})?$")


def base_of(key: str) -> str:
    """The key without the address suffix `keyed_entries` adds to repeated names."""
    return _DISAMBIGUATION.sub("", key)


def align_keys(
    stored: Mapping[str, StoredEntry], incoming: Mapping[str, ListEntry]
) -> dict[str, ListEntry]:
    """Carry stored keys over to incoming entries whose name group changed size.

    A name's key gains an address suffix only once a second entry of that name
    appears, so the first entry's key changes with it. Without this, adding a
    namesake would report the untouched entry as removed and added again.
    Unmatched stored keys of the group go to incoming entries with the same
    content first, then in order.
    """
    stored_groups: dict[str, list[str]] = {}
    for key in stored:
        stored_groups.setdefault(base_of(key), []).append(key)
    incoming_groups: dict[str, list[str]] = {}
    for key in incoming:
        incoming_groups.setdefault(base_of(key), []).append(key)
    aligned: dict[str, ListEntry] = {}
    for base, keys in incoming_groups.items():
        old = stored_groups.get(base, [])
        spare = [k for k in old if k not in incoming]
        for key in sorted(keys, key=lambda k: k not in old):
            if key in old or not spare:
                aligned[key] = incoming[key]
                continue
            digest = incoming[key].content_digest()
            reuse = next((k for k in spare if stored[k].digest == digest), spare[0])
            spare.remove(reuse)
            aligned[reuse] = incoming[key]
    return aligned

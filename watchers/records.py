"""Entity-level records that every source parses into.

These are the contract between parsers (pure), the diff (pure) and storage:
frozen dataclasses with no I/O. A `ListEntry` is one party on one list as a
source described it; its `key` identifies it across snapshots.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

# Fields compared when deciding whether an entry was modified. Source-specific
# identifiers (`source_id`) and the raw row are left out on purpose: BIS and
# State rows get a new `_id` with every CSL release, which is not a change.
# `ids` (SWIFT/BIC, registration and passport numbers) are left out too: adding
# them here would change the digest of every stored SDN entry that has one, and
# the next import would report thousands of "modified" entries that did not
# change. They travel in `raw` (already stored) and on the entry for screening.
COMPARED_FIELDS: tuple[str, ...] = (
    "name",
    "aliases",
    "entity_type",
    "countries",
    "addresses",
    "programs",
    "fr_citations",
    "start_date",
    "end_date",
    "license_requirement",
    "license_policy",
    "remarks",
)

_SPACES = re.compile(r"\s+")


def normalize_key_text(text: str) -> str:
    """Case- and spacing-insensitive form of a name, used only for identity keys."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", folded).strip()


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One party on one screening list."""

    list_code: str
    name: str
    aliases: tuple[str, ...] = ()
    entity_type: str | None = None
    countries: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    fr_citations: tuple[str, ...] = ()
    start_date: date | None = None
    end_date: date | None = None
    license_requirement: str | None = None
    license_policy: str | None = None
    remarks: str | None = None
    # Identifiers the list gives ("SWIFT/BIC: HAVIGB2L", "Company Number: 01074897 (GB)").
    ids: tuple[str, ...] = field(default=(), compare=False)
    source_urls: tuple[str, ...] = ()
    # `_id` of the CSL row, or the OFAC entity number; kept for reference only.
    source_id: str | None = None
    # OFAC's entity number is stable across releases; BIS and State rows have none.
    entity_number: str | None = None
    # Set for entries taken from a Federal Register rule rather than the CSL.
    fr_document: str | None = None
    raw: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def base_key(self) -> str:
        """Identity before disambiguation: entity number if the list has one, else the name."""
        if self.entity_number:
            return f"{self.list_code}:#{self.entity_number}"
        return f"{self.list_code}:{normalize_key_text(self.name)}"

    def content(self) -> dict[str, object]:
        """The compared fields as a JSON-friendly dict (dates as ISO strings, tuples as lists)."""
        out: dict[str, object] = {}
        for name in COMPARED_FIELDS:
            value = getattr(self, name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out

    def content_digest(self) -> str:
        parts = [repr(getattr(self, f)) for f in COMPARED_FIELDS]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def keyed_entries(entries: list[ListEntry]) -> dict[str, ListEntry]:
    """Give every entry a unique, stable key.

    Most entries are keyed by `base_key`. A list can hold several entries with
    the same name (the Denied Persons List has one per order); those are told
    apart by their addresses, and if even that collides, by content.
    """
    groups: dict[str, list[ListEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.base_key, []).append(entry)
    keyed: dict[str, ListEntry] = {}
    for base, group in groups.items():
        if len(group) == 1:
            keyed[base] = group[0]
            continue
        for entry in group:
            where = normalize_key_text(" | ".join(entry.addresses)) or "-"
            key = f"{base}@{hashlib.sha256(where.encode()).hexdigest()[:10]}"
            if key in keyed:
                key = f"{key}~{entry.content_digest()[:10]}"
            keyed.setdefault(key, entry)
    return keyed

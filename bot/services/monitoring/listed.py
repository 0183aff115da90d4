"""A listed party as monitoring sees it: names to screen, and a digest of its content.

Pure. The digest covers what a person judging a hit looks at (names, aliases,
addresses, countries, license requirement and policy), so a cleared pair comes
back when any of these changes and stays quiet when only bookkeeping does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.services.alerts.model import ChangeView

DIGEST_FIELDS = (
    "name",
    "aliases",
    "addresses",
    "countries",
    "license_requirement",
    "license_policy",
)


def content_digest(content: Mapping[str, Any]) -> str:
    picked = {f: content.get(f) or None for f in DIGEST_FIELDS}
    for field in ("aliases", "addresses", "countries"):
        picked[field] = sorted(str(v) for v in picked[field] or [])
    text = json.dumps(picked, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ListedEntry:
    """An added or changed listed entry, with where it came from (for the alert)."""

    entry_key: str
    list_code: str
    name: str
    aliases: tuple[str, ...]
    addresses: tuple[str, ...]
    countries: tuple[str, ...]
    digest: str
    change_id: int | None = None
    document_number: str | None = None
    effective_date: date | None = None
    citation: str | None = None
    entity_type: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n in (self.name, *self.aliases) if n))

    @classmethod
    def of_content(
        cls,
        content: Mapping[str, Any],
        *,
        entry_key: str,
        list_code: str,
        change_id: int | None = None,
        document_number: str | None = None,
        effective_date: date | None = None,
    ) -> ListedEntry:
        citations = [str(c) for c in content.get("fr_citations") or []]
        return cls(
            entry_key=entry_key,
            list_code=list_code,
            name=str(content.get("name") or ""),
            aliases=tuple(str(a) for a in content.get("aliases") or []),
            addresses=tuple(str(a) for a in content.get("addresses") or []),
            countries=tuple(str(c) for c in content.get("countries") or []),
            digest=content_digest(content),
            change_id=change_id,
            document_number=document_number,
            effective_date=effective_date,
            citation=citations[0] if citations else None,
            entity_type=str(content.get("entity_type") or "") or None,
        )


# The change kinds that make a party what a list says it is (a removal makes it nothing).
SCREENED_KINDS = frozenset({"added", "modified"})


def listed_of_change(view: ChangeView) -> ListedEntry | None:
    """The entry a list change makes listed (added or modified), or None."""
    if view.kind not in SCREENED_KINDS or not view.entry_key or not view.after:
        return None
    return ListedEntry.of_content(
        view.after,
        entry_key=view.entry_key,
        list_code=view.list_code or "",
        change_id=view.id,
        document_number=view.document_number,
        effective_date=view.effective_date,
    )

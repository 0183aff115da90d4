"""An action's entries as Block Kit sections. Pure.

Each entry shows what a compliance officer checks a counterparty against: the
name (or, for an address-only Entity List entry, the address), aliases,
addresses and the country, named one way everywhere ("China", from
`reference.countries`). License requirement and review policy are the same
for most entries of a rule, so they are stated once per group of identical
terms, in a section before the group's entries, not repeated per entity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.services.alerts.model import ChangeView
from bot.slack.blocks.kit import escape, section
from reference.countries import country_code, country_name
from reference.lists import LIST_RULE_SECTIONS, list_name

MAX_ALIASES = 6
MAX_ADDRESSES = 3
MARKS = {"added": "➕", "removed": "➖", "modified": "✏️"}
VERBS = {"added": "added", "removed": "removed", "modified": "revised"}
# The CSL ends addresses with an alpha-2 code: "..., Beijing, China, CN".
_TRAILING_CODE = re.compile(r"(?:^|,)\s*([A-Z]{2})\s*$")

# (license requirement, review policy) as printed; (list code, "") for lists whose
# terms a section of the EAR sets; None when the entry states none (SDN, DPL, ...).
PolicyKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Item:
    """One block of the entry part of an alert: a policy group's heading or an entry."""

    block: dict[str, Any]
    group: PolicyKey | None
    is_heading: bool


def policy_key(change: ChangeView) -> PolicyKey | None:
    entry = change.content
    requirement = str(entry.get("license_requirement") or "").strip()
    policy = str(entry.get("license_policy") or "").strip()
    if requirement or policy:
        return requirement, policy
    if change.list_code in LIST_RULE_SECTIONS:
        return change.list_code, ""
    return None


def heading_block(key: PolicyKey, *, count: int, continued: bool = False) -> dict[str, Any]:
    requirement, policy = key
    more = "(continued) " if continued else ""
    noun = "entry" if count == 1 else f"{count} entries"
    if requirement in LIST_RULE_SECTIONS and not policy:
        section_ref = LIST_RULE_SECTIONS[requirement]
        lines = [
            f"*License requirement and review policy:* as {section_ref} of the EAR sets "
            f"them for the {list_name(requirement)}"
        ]
    else:
        lines = []
        if requirement:
            lines.append(f"*License requirement:* {escape(requirement)}")
        if policy:
            lines.append(f"*License review policy:* {escape(policy)}")
    lines.append(f"_{more}applies to the {noun} below_" if count else f"_{more}applies below_")
    return section("\n".join(lines))


def countries_text(change: ChangeView) -> str:
    """The entry's countries by their English short names, the destination first."""
    destination = change.content.get("destination")
    names = [country_name(str(destination))] if destination else []
    for code in change.countries:
        name = country_name(code)
        if name not in names:
            names.append(name)
    return ", ".join(names) or "country unknown"


def entity_block(change: ChangeView) -> dict[str, Any]:
    entry = change.content
    mark = MARKS.get(change.kind, "•")
    name = escape(change.entry_name or entry.get("name", "?"))
    is_address = entry.get("entity_type") == "address"
    if is_address:
        lines = [f"{mark} Address {VERBS.get(change.kind, change.kind)}: *{name}*"]
    else:
        lines = [f"{mark} *{name}*"]
    lines.append(f"{escape(countries_text(change))} · {escape(list_name(change.list_code))}")
    aliases = list(entry.get("aliases") or [])
    if aliases:
        lines.append(f"_a.k.a._ {escape('; '.join(aliases[:MAX_ALIASES]))}{_more(aliases)}")
    addresses = [] if is_address else list(entry.get("addresses") or [])
    if addresses:
        shown = addresses[:MAX_ADDRESSES]
        extra = len(addresses) - len(shown)
        suffix = f" (+{extra} more)" if extra else ""
        words = " | ".join(address_in_words(a) for a in shown)
        lines.append(f"Address: {escape(words)}{suffix}")
    if change.kind == "modified" and change.fields:
        lines.append(f"Changed: {escape(', '.join(sorted(change.fields)))}")
    return section("\n".join(lines))


def address_in_words(address: str) -> str:
    """An address with a trailing CSL country code written as the country's name.

    The code is dropped when the address already ends with that country
    ("..., Beijing, China, CN" -> "..., Beijing, China").
    """
    match = _TRAILING_CODE.search(address)
    if match is None or country_code(match.group(1)) is None:
        return address
    rest = address[: match.start()].rstrip(" ,")
    name = country_name(match.group(1))
    last = rest.rsplit(",", 1)[-1].strip()
    if country_code(last) == country_code(name) or rest.casefold().endswith(name.casefold()):
        return rest
    return f"{rest}, {name}" if rest else name


def _more(aliases: list[str]) -> str:
    extra = len(aliases) - MAX_ALIASES
    return f" (+{extra} more)" if extra > 0 else ""


def entry_items(entries: Sequence[ChangeView]) -> list[Item]:
    """Headings and entries, entries grouped by identical terms in order of first appearance."""
    groups: dict[PolicyKey | None, list[ChangeView]] = {}
    for change in entries:
        groups.setdefault(policy_key(change), []).append(change)
    items: list[Item] = []
    for key, members in groups.items():
        if key is not None:
            items.append(Item(heading_block(key, count=len(members)), group=key, is_heading=True))
        items.extend(Item(entity_block(c), group=key, is_heading=False) for c in members)
    return items


def paginate_items(items: Sequence[Item], *, per_message: int) -> list[list[dict[str, Any]]]:
    """Items in chunks of at most `per_message` blocks.

    A chunk that starts inside a group repeats the group's heading ("continued"),
    so every entry is read with its terms; a heading never ends a chunk alone.
    """
    chunks: list[list[dict[str, Any]]] = []
    current: list[dict[str, Any]] = []
    for item in items:
        full = len(current) >= per_message or (item.is_heading and len(current) >= per_message - 1)
        if full:
            chunks.append(current)
            current = []
            if not item.is_heading and item.group is not None:
                current.append(heading_block(item.group, count=0, continued=True))
        current.append(item.block)
    if current:
        chunks.append(current)
    return chunks

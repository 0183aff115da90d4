"""What the screening index is built from: one party on one list."""

from __future__ import annotations

from dataclasses import dataclass

# The CSL's `type` of a listed person; names of this type are compared as persons' names.
INDIVIDUAL = "Individual"


@dataclass(frozen=True, slots=True)
class ScreeningEntry:
    """One listed party as the screening engine sees it.

    `entry_key` is the stable id that storage gives the entry (for example
    "EL:huawei technologies co., ltd."); the engine only carries it through.
    """

    entry_key: str
    list_code: str
    name: str
    aliases: tuple[str, ...] = ()
    entity_type: str | None = None
    countries: tuple[str, ...] = ()
    fr_citations: tuple[str, ...] = ()
    source: str = "CSL"
    source_urls: tuple[str, ...] = ()
    # Street addresses; an address-only entry (`entity_type` "address") has its address as name.
    addresses: tuple[str, ...] = ()

    @property
    def all_names(self) -> tuple[str, ...]:
        """The list name first, then every distinct alias."""
        seen = {self.name}
        names = [self.name]
        for alias in self.aliases:
            if alias and alias not in seen:
                seen.add(alias)
                names.append(alias)
        return tuple(names)

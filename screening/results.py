"""One ranked candidate for a query, and the answer that holds them, ready to render."""

from __future__ import annotations

from dataclasses import dataclass, field

from screening.entries import ScreeningEntry
from screening.explain import Explanation

MATCHED_ON_NAME = "name"
MATCHED_ON_ADDRESS = "address"


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """The best-scoring entry of one listed party, with the party's other entries.

    A party listed once per country or address (a Denied Persons List order, a
    CSL entity under several destinations) is one result: `entry` is the entry
    that scored best and `party` every entry of the party, `entry` first.
    """

    entry: ScreeningEntry
    matched_name: str
    score: float
    band: str
    explanation: Explanation
    party: tuple[ScreeningEntry, ...] = ()
    # "name" (a name or alias matched) or "address" (one of the entry's addresses did).
    matched_on: str = MATCHED_ON_NAME

    @property
    def why(self) -> str:
        summary = self.explanation.summary()
        if self.matched_on == MATCHED_ON_ADDRESS:
            return f"matched on the address: {summary}"
        return summary

    @property
    def entries(self) -> tuple[ScreeningEntry, ...]:
        return self.party or (self.entry,)

    @property
    def countries(self) -> tuple[str, ...]:
        """Every country of the party, in the order its entries name them."""
        seen: dict[str, None] = {}
        for entry in self.entries:
            for country in entry.countries:
                seen.setdefault(country, None)
        return tuple(seen)

    @property
    def entry_keys(self) -> tuple[str, ...]:
        return tuple(entry.entry_key for entry in self.entries)

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form; the keys the CLI's `--json` output promises, and more."""
        entry = self.entry
        countries = self.countries
        return {
            "name": self.matched_name,
            "entry_name": entry.name,
            "list": entry.list_code,
            "score": round(self.score, 4),
            "band": self.band,
            "country": countries[0] if countries else None,
            "countries": list(countries),
            "fr_citation": entry.fr_citations[0] if entry.fr_citations else None,
            "fr_citations": list(entry.fr_citations),
            "why": self.why,
            "matched_on": self.matched_on,
            "entry_key": entry.entry_key,
            "entry_keys": list(self.entry_keys),
            "source": entry.source,
            "source_urls": list(entry.source_urls),
            "entity_type": entry.entity_type,
            "addresses": list(entry.addresses),
            "explanation": self.explanation.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class ScreeningAnswer:
    """The results shown for a query and, per list code, how many more candidates were left out.

    `omitted` counts parties that scored high enough to be shown but did not fit
    in the limit (among the candidates the engine aligned, so "at least").
    """

    results: tuple[ScreeningResult, ...]
    omitted: dict[str, int] = field(default_factory=dict)

    @property
    def omitted_total(self) -> int:
        return sum(self.omitted.values())

    def as_dict(self) -> dict[str, object]:
        return {
            "results": [result.as_dict() for result in self.results],
            "omitted": dict(self.omitted),
        }

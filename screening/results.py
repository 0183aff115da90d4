"""One ranked candidate for a query, ready to render or serialize."""

from __future__ import annotations

from dataclasses import dataclass

from screening.entries import ScreeningEntry
from screening.explain import Explanation


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    entry: ScreeningEntry
    matched_name: str
    score: float
    band: str
    explanation: Explanation

    @property
    def why(self) -> str:
        return self.explanation.summary()

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form; the keys the CLI's `--json` output promises, and more."""
        entry = self.entry
        return {
            "name": self.matched_name,
            "entry_name": entry.name,
            "list": entry.list_code,
            "score": round(self.score, 4),
            "band": self.band,
            "country": entry.countries[0] if entry.countries else None,
            "countries": list(entry.countries),
            "fr_citation": entry.fr_citations[0] if entry.fr_citations else None,
            "fr_citations": list(entry.fr_citations),
            "why": self.why,
            "entry_key": entry.entry_key,
            "source": entry.source,
            "source_urls": list(entry.source_urls),
            "entity_type": entry.entity_type,
            "explanation": self.explanation.as_dict(),
        }

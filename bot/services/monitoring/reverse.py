"""The reverse index: the counterparties as a `ScreeningIndex`, queried with listed names.

Pure. `/screen` asks "which listed party is this name?"; a list change asks the
opposite, "which of our counterparties is this newly listed party?", so the
counterparties are indexed with the same engine (same normalisation, bands and
explanations) and every name and alias of the added or changed entry is the
query. Addresses are screened against counterparty addresses in a second
index and count only when they reach the match band: address words are too
common to flag a review on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.services.monitoring.listed import ListedEntry
from screening import (
    INDIVIDUAL,
    MATCH,
    NO_MATCH,
    ScreeningEntry,
    ScreeningError,
    ScreeningIndex,
    ScreeningResult,
    Thresholds,
)
from screening.display import screening_forms

LIST_CODE = "WATCH"
# Candidates kept per query; more than that scoring in the review band is noise anyway.
PER_QUERY = 20


@dataclass(frozen=True, slots=True)
class Party:
    """What the index needs of a counterparty."""

    id: int
    name: str
    country: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A counterparty that may be a listed entry."""

    counterparty_id: int
    entry: ListedEntry
    listed_name: str  # the listed name or alias (or address) that matched
    counterparty_name: str  # the counterparty's name (or address) it matched
    score: float
    band: str
    why: str


def party_key(party_id: int) -> str:
    return f"cp:{party_id}"


def _entry(party: Party, *, text: str) -> ScreeningEntry:
    return ScreeningEntry(
        entry_key=party_key(party.id),
        list_code=LIST_CODE,
        name=text,
        # A name stored with direction controls is indexed as it displays too, so a
        # counterparty shown as a listed name is found (screening.display).
        aliases=screening_forms(text)[1:],
        countries=(party.country,) if party.country else (),
        source="watchlist",
    )


def reverse_why(result: ScreeningResult, *, listed: str) -> str:
    """The engine's explanation, worded for the reverse direction."""
    ex = result.explanation
    agreed = ", ".join(
        a.query if a.query == a.name else f"{a.query}~{a.name}" for a in ex.agreed[:4]
    )
    parts = [f"listed '{listed}' vs counterparty '{ex.matched_name}'"]
    parts.append("agreed: " + (agreed or "nothing"))
    if ex.query_only:
        parts.append("only in listed name: " + ", ".join(ex.query_only[:4]))
    if ex.name_only:
        parts.append("only in counterparty: " + ", ".join(ex.name_only[:4]))
    if ex.ignored:
        parts.append("ignored: " + ", ".join(f"{i.token} ({i.reason})" for i in ex.ignored[:4]))
    if ex.screened_as is not None:
        parts.append(f"screened as '{ex.screened_as}', a name of the listed entry")
    parts.extend(ex.notes)
    return "; ".join(parts)


class CounterpartyIndex:
    def __init__(self, *, names: ScreeningIndex, addresses: ScreeningIndex, size: int) -> None:
        self._names = names
        self._addresses = addresses
        self.size = size

    @classmethod
    def build(cls, parties: Iterable[Party]) -> CounterpartyIndex:
        listed = list(parties)
        names = ScreeningIndex.build(_entry(p, text=p.name) for p in listed)
        addresses = ScreeningIndex.build(
            _entry(p, text=p.address) for p in listed if p.address and p.address.strip()
        )
        return cls(names=names, addresses=addresses, size=len(listed))

    def screen(self, entry: ListedEntry, *, thresholds: Thresholds) -> list[Candidate]:
        """Counterparties that may be `entry`, best score per counterparty."""
        best: dict[int, Candidate] = {}
        # A listed person's name is compared as a person's, as it is in /screen.
        person = entry.entity_type == INDIVIDUAL
        for listed in entry.names:
            for result in self._search(self._names, listed, thresholds, person=person):
                self._keep(best, entry, listed, result, result.band)
        for address in entry.addresses:
            for result in self._search(self._addresses, address, thresholds, person=False):
                if result.band == MATCH:
                    self._keep(best, entry, address, result, MATCH)
        return sorted(best.values(), key=lambda c: (-c.score, c.counterparty_id))

    @staticmethod
    def _search(
        index: ScreeningIndex, query: str, thresholds: Thresholds, *, person: bool
    ) -> list[ScreeningResult]:
        if len(index) == 0:
            return []
        try:
            found = index.search(
                query, limit=PER_QUERY, thresholds=thresholds, query_is_person=person
            )
        # A listed name the engine refuses (too vague, too long) cannot hit anyone.
        except ScreeningError:
            return []
        return [r for r in found if r.band != NO_MATCH]

    @staticmethod
    def _keep(
        best: dict[int, Candidate],
        entry: ListedEntry,
        listed: str,
        result: ScreeningResult,
        band: str,
    ) -> None:
        party_id = int(result.entry.entry_key.removeprefix("cp:"))
        current = best.get(party_id)
        if current is not None and current.score >= result.score:
            return
        best[party_id] = Candidate(
            counterparty_id=party_id,
            entry=entry,
            listed_name=listed,
            counterparty_name=result.matched_name,
            score=result.score,
            band=band,
            why=reverse_why(result, listed=listed),
        )

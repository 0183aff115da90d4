"""Why a name matched: which tokens agreed, which differed, which were ignored."""

from __future__ import annotations

from dataclasses import dataclass

from screening.normalize import Kind, Token
from screening.query import PreparedQuery
from screening.scoring import Alignment, IndexedName
from screening.weights import effective_factors

# Unmatched tokens that count at least this much (as a kind factor) "differ"; the rest are ignored.
DIFFER_FACTOR = 0.5
_MAX_LISTED = 4


@dataclass(frozen=True, slots=True)
class AgreedTokens:
    query: str
    name: str
    similarity: float


@dataclass(frozen=True, slots=True)
class IgnoredToken:
    token: str
    side: str  # "query" or "name"
    reason: str  # "legal form", "filler word", "generic word", "place", "qualifier"


@dataclass(frozen=True, slots=True)
class Explanation:
    matched_name: str
    matched_alias: bool
    agreed: tuple[AgreedTokens, ...]
    query_only: tuple[str, ...]
    name_only: tuple[str, ...]
    ignored: tuple[IgnoredToken, ...]
    notes: tuple[str, ...] = ()
    # The name the query gave that matched, when the query gave several ("X d/b/a Y").
    screened_as: str | None = None

    def summary(self) -> str:
        """One short sentence for a person."""
        which = "alias" if self.matched_alias else "name"
        parts = [f"{which} '{self.matched_name}'"]
        parts.append("agreed: " + (_listed([_agreed_text(a) for a in self.agreed]) or "nothing"))
        if self.query_only:
            parts.append("only in query: " + _listed(list(self.query_only)))
        if self.name_only:
            parts.append("only in list name: " + _listed(list(self.name_only)))
        if self.ignored:
            parts.append("ignored: " + _listed([f"{i.token} ({i.reason})" for i in self.ignored]))
        if self.screened_as is not None:
            parts.append(f"screened as '{self.screened_as}', a name the query gives")
        parts.extend(self.notes)
        return "; ".join(parts)

    def as_dict(self) -> dict[str, object]:
        # Written out: dataclasses.asdict deep-copies every value, and this runs for every
        # result of every /screen answer.
        return {
            "matched_name": self.matched_name,
            "matched_alias": self.matched_alias,
            "agreed": [
                {"query": a.query, "name": a.name, "similarity": a.similarity} for a in self.agreed
            ],
            "query_only": list(self.query_only),
            "name_only": list(self.name_only),
            "ignored": [
                {"token": i.token, "side": i.side, "reason": i.reason} for i in self.ignored
            ],
            "notes": list(self.notes),
            "screened_as": self.screened_as,
        }


def explain(
    query: PreparedQuery, name: IndexedName, alignment: Alignment, *, asked: str | None = None
) -> Explanation:
    """Why `name` scored as it did against `query`, one of the names in `asked`."""
    agreed: list[AgreedTokens] = []
    used_query: set[int] = set()
    used_name: set[int] = set()
    for pair in alignment.pairs:
        used_query.update(pair.query_positions)
        used_name.update(pair.name_positions)
        # The query as the user wrote it ("Limitted", "Elec tronic"), the list as indexed.
        query_text = " ".join(query.tokens[p].as_written for p in pair.query_positions)
        name_text = " ".join(name.tokens[p].text for p in pair.name_positions)
        agreed.append(AgreedTokens(query_text, name_text, round(pair.similarity, 3)))
    query_only, query_ignored = _unmatched(query.tokens, used_query, "query", written=True)
    name_only, name_ignored = _unmatched(name.tokens, used_name, "name", written=False)
    notes: tuple[str, ...] = (
        ("one name is a company's, the other a person's",) if alignment.company_vs_person else ()
    )
    # Words that agree only in part make a review at most; the answer says which way.
    notes += tuple(
        f"{reason}: a review at most"
        for reason in dict.fromkeys(pair.partial for pair in alignment.pairs if pair.partial)
    )
    return Explanation(
        matched_name=name.text,
        matched_alias=name.is_alias,
        agreed=tuple(agreed),
        query_only=query_only,
        name_only=name_only,
        ignored=query_ignored + name_ignored,
        notes=notes,
        screened_as=query.text if asked is not None and query.text != asked else None,
    )


def _unmatched(
    tokens: tuple[Token, ...], used: set[int], side: str, *, written: bool
) -> tuple[tuple[str, ...], tuple[IgnoredToken, ...]]:
    factors = effective_factors(tokens)
    differ: list[str] = []
    ignored: list[IgnoredToken] = []
    for position, token in enumerate(tokens):
        if position in used:
            continue
        text = token.as_written if written else token.text
        if factors[position] >= DIFFER_FACTOR:
            differ.append(text)
        else:
            reason = token.kind.value if token.kind is not Kind.CONTENT else "low weight"
            ignored.append(IgnoredToken(text, side, reason))
    return tuple(differ), tuple(ignored)


def _agreed_text(agreed: AgreedTokens) -> str:
    if agreed.query == agreed.name:
        return agreed.query
    return f"{agreed.query}~{agreed.name}"


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:_MAX_LISTED])
    extra = len(items) - _MAX_LISTED
    return f"{shown} (+{extra} more)" if extra > 0 else shown

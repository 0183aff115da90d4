"""The arithmetic of the affiliates rule: how much of a party listed owners hold.

Pure. A holding is (owner, owned, share 0-1). The listed share of a party is the sum,
over its direct owners, of the owner's share times how far the owner counts:
a listed owner counts whole; an owner that is itself covered (owned 50 % or more by
listed parties: Supplement No. 8 to part 744, "entities subject to restrictions based
upon ownership by listed entities") counts whole; any other owner counts by its own
listed share. So shares multiply along a chain and add across paths. A path that comes
back to a party already on it stops there: a cycle adds nothing and never loops.
Owners in a review band ("possible") are added up apart, the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

COVERED_AT = 0.5
NO_CUT = 1 << 30  # no cycle below went back to the path
LISTED = "listed"
POSSIBLE = "possible"


@dataclass(frozen=True, slots=True)
class Holding:
    owner: str
    owned: str
    share: float  # 0-1


@dataclass(frozen=True, slots=True)
class Part:
    """One listed (or possibly listed) owner's share in a party."""

    owner: str
    share: float
    kind: str  # LISTED | POSSIBLE
    direct: bool
    # The owner is not listed itself but covered by its own owners.
    covered_owner: bool = False


@dataclass(frozen=True, slots=True)
class Coverage:
    listed: float
    possible: float
    parts: tuple[Part, ...]

    @property
    def covered(self) -> bool:
        return self.listed >= COVERED_AT - 1e-9

    @property
    def possibly_covered(self) -> bool:
        return not self.covered and self.listed + self.possible >= COVERED_AT - 1e-9


NOTHING = Coverage(listed=0.0, possible=0.0, parts=())


class OwnershipGraph:
    """Holdings by owned party (upward) and by owner (downward, the reverse index)."""

    def __init__(self, holdings: Iterable[Holding]) -> None:
        self.owners_of: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self.owned_by: dict[str, list[str]] = defaultdict(list)
        for h in holdings:
            self.owners_of[h.owned].append((h.owner, h.share))
            self.owned_by[h.owner].append(h.owned)

    def has_owners(self, party: str) -> bool:
        return party in self.owners_of

    def dependents(self, parties: Iterable[str]) -> set[str]:
        """Every party owned, directly or through others, by one of `parties`."""
        seen: set[str] = set()
        stack = list(parties)
        while stack:
            for owned in self.owned_by.get(stack.pop(), ()):
                if owned not in seen:
                    seen.add(owned)
                    stack.append(owned)
        return seen


class ShareCalculator:
    """Listed shares over one graph and one set of owner standings, memoized: a full
    recomputation visits each holding about once."""

    def __init__(self, graph: OwnershipGraph, standings: Mapping[str, str]) -> None:
        self._graph = graph
        self._standings = standings  # owner key -> LISTED | POSSIBLE
        self._memo: dict[str, Coverage] = {}

    def coverage(self, party: str) -> Coverage:
        found, _ = self._walk(party, path={})
        return found

    def _walk(self, party: str, *, path: dict[str, int]) -> tuple[Coverage, int]:
        """(coverage, the lowest depth on `path` a cycle below went back to). A result
        that depends on parties lower on the path is not memoized; one whose cycles all
        come back to `party` itself is exact for it (the path stops there) and is."""
        if party in self._memo:
            return self._memo[party], NO_CUT
        depth = len(path)
        path[party] = depth
        parts: list[Part] = []
        lowest = NO_CUT
        for owner, share in self._graph.owners_of.get(party, ()):
            kind = self._standings.get(owner)
            if kind is not None:
                parts.append(Part(owner=owner, share=share, kind=kind, direct=True))
                continue
            if owner in path:
                lowest = min(lowest, path[owner])
                continue
            below, cut = self._walk(owner, path=path)
            lowest = min(lowest, cut)
            if below.parts:
                parts += _through(owner, share, below)
        del path[party]
        found = _summed(parts)
        if lowest >= depth:
            self._memo[party] = found
            return found, NO_CUT
        return found, lowest


def _through(owner: str, share: float, below: Coverage) -> list[Part]:
    if below.covered:
        return [Part(owner=owner, share=share, kind=LISTED, direct=True, covered_owner=True)]
    return [
        Part(
            owner=p.owner,
            share=share * p.share,
            kind=p.kind,
            direct=False,
            covered_owner=p.covered_owner,
        )
        for p in below.parts
    ]


def _summed(parts: list[Part]) -> Coverage:
    """One part per (owner, kind): an owner reached by several paths adds up."""
    if not parts:
        return NOTHING  # most parties: no listed owner anywhere above them
    merged: dict[tuple[str, str], Part] = {}
    for p in parts:
        key = (p.owner, p.kind)
        if key in merged:
            old = merged[key]
            p = Part(
                owner=p.owner,
                share=old.share + p.share,
                kind=p.kind,
                direct=old.direct or p.direct,
                covered_owner=old.covered_owner or p.covered_owner,
            )
        merged[key] = p
    ordered = tuple(sorted(merged.values(), key=lambda p: (-p.share, p.owner)))
    listed = min(1.0, sum(p.share for p in ordered if p.kind == LISTED))
    possible = min(1.0 - listed, sum(p.share for p in ordered if p.kind == POSSIBLE))
    return Coverage(listed=listed, possible=max(0.0, possible), parts=ordered)

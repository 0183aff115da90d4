"""Which listed owner's terms apply: the most restrictive one (FR Doc 2025-19001).

Pure. A license requirement that reaches all items subject to the EAR is broader than
one naming ECCNs; a policy of denial is stricter than a presumption of denial, which
is stricter than case-by-case review or approval. An SDN under 15 CFR 744.8(a)(1)
counts as all items with a policy of denial (744.8(b) and (c)). Ties keep the owner
with the larger share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Words of a review policy, strictest first; an unknown policy ranks below all of them.
POLICY_RANKS = ("policy of denial", "presumption of denial", "case-by-case", "approval")
SDN_REQUIREMENT = "All items subject to the EAR (15 CFR 744.8(b))"
SDN_POLICY = "Policy of denial (15 CFR 744.8(c))"


@dataclass(frozen=True, slots=True)
class OwnerFacts:
    """An owner as an answer names it: its recorded name and what it was screened to."""

    key: str
    name: str
    list_code: str | None = None
    entry_name: str | None = None
    standing: str | None = None  # "listed" | "possible" | None
    license_requirement: str | None = None
    license_policy: str | None = None

    @property
    def requirement(self) -> str | None:
        return SDN_REQUIREMENT if self.list_code == "SDN" else self.license_requirement

    @property
    def policy(self) -> str | None:
        return SDN_POLICY if self.list_code == "SDN" else self.license_policy


def strictness(owner: OwnerFacts) -> tuple[int, int]:
    """Smaller is stricter: (requirement breadth, policy rank)."""
    requirement = (owner.requirement or "").casefold()
    breadth = 0 if "all items" in requirement else 1
    policy = (owner.policy or "").casefold()
    rank = next((i for i, words in enumerate(POLICY_RANKS) if words in policy), len(POLICY_RANKS))
    return breadth, rank


def most_restrictive(owners: Sequence[tuple[OwnerFacts, float]]) -> OwnerFacts | None:
    """The owner whose terms apply, from (owner, share) pairs of listed owners."""
    if not owners:
        return None
    return min(owners, key=lambda pair: (strictness(pair[0]), -pair[1]))[0]

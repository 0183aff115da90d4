"""What a screening answer says about a watched counterparty's owners. Pure.

    not listed itself; 55 % owned by listed parties: Alpha (EL) 30 % direct, Beta (EL)
    25 % direct. Covered by the affiliates rule ...; the rule today: in force since ...

The rule's state comes from the rules calendar through a provider that may know
nothing (None): the ownership facts are given all the same, and the answer says the
state is not known rather than guessing it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.services.ownership.evaluation import CounterpartyOwnership
from bot.services.ownership.shares import LISTED, POSSIBLE, Part
from bot.services.ownership.terms import OwnerFacts
from reference.countries import country_code

RULE = "the affiliates rule (FR Doc 2025-19001, 90 FR 47201; 15 CFR 744 Supp. 8)"
NOT_RECORDED = "ownership not recorded"


@dataclass(frozen=True, slots=True)
class OwnershipAnswer:
    lines: tuple[str, ...]
    covered: bool = False
    # Calls for a person's review: possibly covered, or no ownership where it is required.
    review: bool = False


def pct(share: float) -> str:
    return f"{round(share * 100, 1):g} %"


def ownership_answer(
    found: CounterpartyOwnership,
    *,
    listed_itself: bool,
    rule_state: str | None,
    required_countries: Collection[str] = frozenset(),
) -> OwnershipAnswer:
    who = f"{found.party.name} (watchlist id {found.party.external_id})"
    if found.coverage is None:
        return _not_recorded(found, who=who, required=required_countries)
    coverage = found.coverage
    itself = "listed itself" if listed_itself else "not listed itself"
    listed = [p for p in coverage.parts if p.kind == LISTED]
    possible = [p for p in coverage.parts if p.kind == POSSIBLE]
    head = f"{who}: {itself}; {pct(coverage.listed)} owned by listed parties"
    lines = [head + (": " + _named(listed, found) if listed else "")]
    if possible:
        lines.append(
            f"Possibly listed owners (review), not counted: {_named(possible, found)} "
            f"(together {pct(coverage.possible)})"
        )
    if coverage.covered:
        lines.append(f"Covered by {RULE}: 50 % or more" + _terms(found.terms))
    elif coverage.possibly_covered:
        lines.append(f"Possibly covered by {RULE}: 50 % or more if the review owners are listed")
    else:
        lines.append(f"Under the 50 % of {RULE}")
    lines.append(_state(rule_state))
    return OwnershipAnswer(
        lines=tuple(lines), covered=coverage.covered, review=coverage.possibly_covered
    )


def _not_recorded(
    found: CounterpartyOwnership, *, who: str, required: Collection[str]
) -> OwnershipAnswer:
    code = country_code(found.party.country or "") if found.party.country else None
    if code is not None and code in required:
        line = (
            f"{who}: {NOT_RECORDED}: review. {code} is in OWNERSHIP_REQUIRED_COUNTRIES; "
            f"{RULE} makes owners 50 % or more a question to answer (ownership import)"
        )
        return OwnershipAnswer(lines=(line,), review=True)
    return OwnershipAnswer(
        lines=(f"{who}: {NOT_RECORDED} (note: whether listed parties own it is not known)",)
    )


def _named(parts: list[Part], found: CounterpartyOwnership) -> str:
    return ", ".join(f"{_label(found.owners[p.owner], p)} {pct(p.share)} {_how(p)}" for p in parts)


def _label(owner: OwnerFacts, part: Part) -> str:
    if part.covered_owner:
        return f"{owner.name} (covered: owned 50 % or more by listed parties)"
    listed = owner.list_code or "?"
    if owner.entry_name and owner.entry_name.casefold() != owner.name.casefold():
        return f"{owner.name} ({listed}: {owner.entry_name})"
    return f"{owner.name} ({listed})"


def _how(part: Part) -> str:
    return "direct" if part.direct else "through other owners"


def _terms(terms: OwnerFacts | None) -> str:
    if terms is None:
        return "; the terms are those of the covered owners' own listed owners"
    requirement = terms.requirement or "license requirement not given"
    policy = terms.policy or "review policy not given"
    who = f"{terms.name} ({terms.list_code})"
    return f"; terms of the most restrictive owner, {who}: {requirement}; {policy}"


def _state(rule_state: str | None) -> str:
    if rule_state:
        return f"The rule today: {rule_state}"
    return (
        "The rule's state today is not known here (no rules calendar answer): "
        "check it before relying on coverage"
    )

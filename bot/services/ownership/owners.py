"""Owners are screened like counterparties: with the same engine and thresholds, and
again whenever a list change may touch them. An owner's standing is "listed" when its
best result on a list the affiliates rule counts is a match, "possible" when it is a
review, else none. Only lists of 15 CFR 744 Supp. 8 count (`programs`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.services.ownership.programs import counts_for_rule
from bot.services.ownership.shares import LISTED, POSSIBLE
from screening import MATCH, NO_MATCH, ScreeningError, Thresholds
from screening.index import ScreeningIndex
from storage.models import ListEntryRow, OwnershipOwnerRow
from storage.ownership_owners import set_owner_screening
from storage.watch_inputs import entries_with_keys

log = logging.getLogger(__name__)
CANDIDATES = 10


def screen_owners(
    session: Session,
    index: ScreeningIndex,
    owners: Sequence[OwnershipOwnerRow],
    *,
    thresholds: Thresholds,
    now: datetime,
) -> set[str]:
    """Screen `owners` and store what each is; returns the keys whose standing changed."""
    changed: set[str] = set()
    found: dict[int, list[Any]] = {}
    for owner in owners:
        try:
            results = index.search(owner.name, limit=CANDIDATES, thresholds=thresholds)
        # An owner name the engine cannot screen (too vague) is listed nowhere it can tell.
        except ScreeningError:
            results = []
        found[owner.id or 0] = [r for r in results if r.band != NO_MATCH]
    keys = {r.entry.entry_key for results in found.values() for r in results}
    rows = _by_key(entries_with_keys(session, keys))
    for owner in owners:
        values = _standing(found[owner.id or 0], rows) | {"screened_at": now}
        if values["standing"] != owner.standing or values["entry_key"] != owner.entry_key:
            changed.add(owner.owner_key)
        set_owner_screening(owner, values)
    if changed:
        log.info("ownership.owners_changed owners=%d screened=%d", len(changed), len(owners))
    return changed


def _by_key(rows: Sequence[ListEntryRow]) -> dict[str, ListEntryRow]:
    # The CSL's copy wins over a rule's: it carries the programs and the policy.
    return {r.entry_key: r for r in sorted(rows, key=lambda r: r.source == "csl")}


def _standing(results: Sequence[Any], rows: dict[str, ListEntryRow]) -> dict[str, Any]:
    for result in results:  # best first
        row = rows.get(result.entry.entry_key)
        programs = (row.programs if row is not None else None) or []
        if not counts_for_rule(result.entry.list_code, programs):
            continue
        return {
            "entry_key": result.entry.entry_key,
            "list_code": result.entry.list_code,
            "entry_name": result.entry.name,
            "band": result.band,
            "standing": LISTED if result.band == MATCH else POSSIBLE,
            "license_requirement": row.license_requirement if row is not None else None,
            "license_policy": row.license_policy if row is not None else None,
        }
    return dict.fromkeys(
        (
            "entry_key",
            "list_code",
            "entry_name",
            "band",
            "standing",
            "license_requirement",
            "license_policy",
        )
    )

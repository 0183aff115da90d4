"""Recording the eCFR's amendments of the watched parts of part 744, and flagging those
no rule read explains.

Every substantive amendment is one silent change row ("ecfr_amendment", keyed by
part and date, so a later poll that sees it again records nothing). An amendment
takes effect on the day a rule does: it is explained when a Federal Register rule
entitywatch has read took effect (or was published) that day. One that stays
unexplained `UNMATCHED_AFTER` after it was first seen is an alert
("ecfr_unmatched"): a rule that changed a list was missed. The eCFR takes a rule in
a business day or two after the Federal Register, so by then the rule has been
read; the wait covers a Federal Register poll that is a little behind.

Amendments recorded by the first poll (the baseline, years of history) are never
flagged: the rules read then reach back only as far as the Federal Register
baseline did.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from reference.lists import list_name
from storage.changes import change_dedupe_key, record_event
from storage.part744 import RuleRead, changes_of_kinds, rules_read
from watchers.ecfr.versions import Amendment

SOURCE = "ecfr"
AMENDMENT = "ecfr_amendment"
UNMATCHED = "ecfr_unmatched"
UNMATCHED_AFTER = timedelta(hours=6)
# How long after it was first seen an amendment is still checked (the wait, and more: a
# Federal Register source that was down for days may read the explaining rule late).
CHECKED_FOR = timedelta(days=14)


def explaining_rules(day: date, rules: Iterable[RuleRead]) -> tuple[str, ...]:
    """The rules read that took effect, or were published, on `day`."""
    return tuple(
        sorted(r.document_number for r in rules if day in (r.effective_date, r.publication_date))
    )


def describe(identifier: str, list_code: str) -> str:
    if identifier.startswith("744."):
        return f"§ {identifier} ({list_name(list_code)})"
    return f"{identifier} ({list_name(list_code)})"


def record_amendments(
    session: Session, amendments: Sequence[Amendment], *, now: datetime, baseline: bool
) -> list[str]:
    """Record each amendment once; returns a line for each new one."""
    rules = rules_read(session)
    new: list[str] = []
    for amendment in amendments:
        where = describe(amendment.identifier, amendment.list_code)
        day = amendment.amendment_date.isoformat()
        issued = amendment.issue_date.isoformat() if amendment.issue_date else None
        summary = f"eCFR: {where} amended with effect from {day}" + (
            f" (in the eCFR from {issued})" if issued else ""
        )
        if record_event(
            session,
            dedupe_key=change_dedupe_key(SOURCE, AMENDMENT, amendment.identifier, day),
            source=SOURCE,
            kind=AMENDMENT,
            now=now,
            list_code=amendment.list_code,
            effective_date=amendment.amendment_date,
            summary=summary,
            after={
                "identifier": amendment.identifier,
                "name": amendment.name,
                "amendment_date": day,
                "issue_date": issued,
                "removed": amendment.removed,
                "baseline": baseline,
                "rules": list(explaining_rules(amendment.amendment_date, rules)),
            },
        ):
            new.append(summary)
    return new


def flag_unmatched(session: Session, *, now: datetime) -> list[str]:
    """Alert each amendment that no rule read explains, once; returns their lines.

    Only amendments first seen within `CHECKED_FOR` are looked at: an older one was
    checked by the polls of those days (and a poll that sees nothing new stays cheap)."""
    recent = changes_of_kinds(session, source=SOURCE, kinds=(AMENDMENT,), since=now - CHECKED_FOR)
    waiting = [r for r in recent if not (r.after or {}).get("baseline") and r.effective_date]
    if not waiting:
        return []
    rules = rules_read(session)
    new: list[str] = []
    for row in waiting:
        after = row.after or {}
        assert row.effective_date is not None
        if now - row.detected_at < UNMATCHED_AFTER:
            continue
        if explaining_rules(row.effective_date, rules):
            continue
        identifier = str(after.get("identifier") or "")
        where = describe(identifier, row.list_code or "")
        summary = (
            f"The eCFR shows {where} amended with effect from {row.effective_date.isoformat()}, "
            "and entitywatch has read no Federal Register rule that took effect or was "
            "published that day: a rule may have been missed. Read the amendment in the eCFR "
            "and the Federal Register of that week."
        )
        if record_event(
            session,
            dedupe_key=change_dedupe_key(
                SOURCE, UNMATCHED, identifier, row.effective_date.isoformat()
            ),
            source=SOURCE,
            kind=UNMATCHED,
            now=now,
            list_code=row.list_code,
            effective_date=row.effective_date,
            summary=summary,
            after={
                "identifier": identifier,
                "name": after.get("name"),
                "amendment_date": row.effective_date.isoformat(),
                "issue_date": after.get("issue_date"),
                "amendment_change_id": row.id,
            },
        ):
            new.append(summary)
    return new

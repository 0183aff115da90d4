"""What a part 744 rule does: entries, a change of what a listing means, or other.

Pure: the facts read from a rule (title, abstract, ACTION, DATES, summary, how many
entries its tables held) in, a `Classification` out. Nothing here fetches.

CONTRACT (read by the rules calendar): every selected Federal Register document row
(change kinds `public_inspection`, `rule_published`, `rule_baseline`) carries in its
`after` JSON, as `Classification.as_after()` writes it:

- "classification": "entries" | "meaning" | "other" | "unreadable"
- "meaning": a list of {"subject", "action", "from", "until", "summary"} where
  subject is "affiliates" (the 50 % affiliates rule) or another short word ("tgl",
  "fdp", "license_policy", "suspension", "reimposition"); action is one of
  "in_force" | "suspended" | "reimposed" | "amended" | "expires"; from / until are
  "YYYY-MM-DD" or null; summary is one sentence.

A suspension with an end date also yields the reimposition the day after it ends
(2025-19846: suspended 2025-11-10 through 2026-11-09, reimposed 2026-11-10), as the
rule itself provides "unless BIS acts again"; a later rule supersedes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any, Literal

from watchers.federal_register.rule_dates import dates_in, effective_from_dates

Kind = Literal["entries", "meaning", "other", "unreadable"]
MeaningAction = Literal["in_force", "suspended", "reimposed", "amended", "expires"]

_AFFILIATES = re.compile(r"\baffiliates?\b", re.IGNORECASE)
_OWNERSHIP = re.compile(
    r"listed\s+(?:entities|parties|persons)|entity\s+list|(?:50|fifty)\s*(?:percent|%)"
    r"|\bowned\b|ownership",
    re.IGNORECASE,
)
_FIFTY_OWNED = re.compile(
    r"(?:50|fifty)\s*(?:percent|%)\s+or\s+more|(?:50|fifty)\s*(?:percent|%)"
    r".{0,40}\bowned\b",
    re.IGNORECASE,
)
_SUSPEND = re.compile(r"\bsuspen(?:d|ds|ded|ding|sion)\b", re.IGNORECASE)
_REIMPOSE = re.compile(r"\breimpos\w*|\breinstat\w*", re.IGNORECASE)
_TGL = re.compile(r"\btemporary\s+general\s+licen[cs]e\b|\bTGL\b", re.IGNORECASE)
_FDP = re.compile(r"\bforeign[\s-]+direct[\s-]+product\b", re.IGNORECASE)
_POLICY = re.compile(r"\blicen[cs]e\s+(?:review\s+polic(?:y|ies)|requirements?)\b", re.IGNORECASE)
_CHANGE_VERB = re.compile(r"\b(?:revis|amend|chang|expand|modif|impos|clarif)\w*", re.IGNORECASE)
_UNTIL = re.compile(
    r"\b(?:through|until|to|(?:expires?|expiring|ends?)(?:\s+on)?)\W*$", re.IGNORECASE
)
_UNTIL_BEFORE = re.compile(r"\b(?:through|until|to)\W*$", re.IGNORECASE)
_ENTRY_TITLE = re.compile(
    r"\b(?:additions?|removals?|revisions?|adding|removing|revising|amendments?)\b.{0,60}"
    r"\b(?:entity|unverified|military\s+end[\s-]+user)\s+list\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Meaning:
    subject: str
    action: MeaningAction
    start: date | None
    until: date | None
    summary: str

    def as_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "action": self.action,
            "from": self.start.isoformat() if self.start else None,
            "until": self.until.isoformat() if self.until else None,
            "summary": self.summary,
        }


@dataclass(frozen=True, slots=True)
class RuleFacts:
    """What was read of a rule. `entry_count` None: its tables were not read."""

    title: str
    abstract: str = ""
    action: str = ""
    dates_text: str = ""
    summary: str = ""
    effective_on: date | None = None
    entry_count: int | None = None
    names_list: bool = False
    readable: bool = True


@dataclass(frozen=True, slots=True)
class Classification:
    kind: Kind
    meanings: tuple[Meaning, ...]
    reason: str  # for the log line: why this kind

    def as_after(self) -> dict[str, Any]:
        return {"classification": self.kind, "meaning": [m.as_json() for m in self.meanings]}


def classify(facts: RuleFacts) -> Classification:
    """Classify one rule; never raises (text that fits no pattern is `other`/`unreadable`)."""
    meanings = find_meanings(facts)
    if facts.entry_count:
        # A listing rule carries its own license policy per entry; only the subjects
        # that change more than the entries themselves are kept.
        kept = tuple(m for m in meanings if m.subject in ("affiliates", "tgl"))
        return Classification("entries", kept, f"{facts.entry_count} entries read")
    if meanings:
        return Classification("meaning", meanings, ", ".join(m.subject for m in meanings))
    if facts.entry_count is None and _ENTRY_TITLE.search(facts.title):
        # Its own title says what it does, even when its text could not be read.
        return Classification("entries", (), "the title announces list entries")
    if not facts.readable:
        return Classification("unreadable", (), "the rule's text could not be read")
    if facts.names_list:
        # It names a list but neither entries nor a known change of meaning were
        # found: somebody must read it.
        return Classification("unreadable", (), "names a list, but no entries or meaning found")
    return Classification("other", (), "amends part 744 without entries or a change of meaning")


def find_meanings(facts: RuleFacts) -> tuple[Meaning, ...]:
    head = " ".join(t for t in (facts.title, facts.action, facts.abstract, facts.summary) if t)
    every = f"{facts.dates_text} {head}"
    effective = facts.effective_on or _effective_in(facts.dates_text)
    found: list[Meaning] = []
    affiliates = (_AFFILIATES.search(head) and _OWNERSHIP.search(head)) or _FIFTY_OWNED.search(head)
    suspends = _SUSPEND.search(facts.title) or _SUSPEND.search(facts.abstract)
    if affiliates:
        found += _dated_change(
            "affiliates",
            "the affiliates (50 % ownership) rule",
            suspends=bool(suspends),
            text=every,
            head=head,
            effective=effective,
        )
    elif suspends:
        found += _dated_change(
            "suspension",
            f"“{facts.title.strip()}”",
            suspends=True,
            text=every,
            head=head,
            effective=effective,
        )
    tgl_until = _tgl_until(facts.dates_text, facts.summary, facts.abstract)
    if tgl_until:
        found.append(
            Meaning(
                "tgl",
                "expires",
                effective,
                tgl_until,
                f"A temporary general license runs until {tgl_until.isoformat()}.",
            )
        )
    elif not affiliates and _TGL.search(head):
        found.append(
            Meaning("tgl", "in_force", effective, None, "A temporary general license is issued.")
        )
    if _FDP.search(facts.title):
        found.append(
            Meaning(
                "fdp",
                "amended",
                effective,
                None,
                "The scope of a foreign direct product rule changes.",
            )
        )
    if not found and _POLICY.search(head) and _CHANGE_VERB.search(head):
        found.append(
            Meaning(
                "license_policy",
                "amended",
                effective,
                None,
                "A license requirement or license review policy changes.",
            )
        )
    return tuple(found)


def _dated_change(
    subject: str, name: str, *, suspends: bool, text: str, head: str, effective: date | None
) -> list[Meaning]:
    if suspends:
        span = _span(text)
        start = span[0] if span else effective
        until = span[1] if span else None
        out = [
            Meaning(
                subject,
                "suspended",
                start,
                until,
                f"Suspends {name}" + (f" through {until.isoformat()}." if until else "."),
            )
        ]
        if until:
            back = until + timedelta(days=1)
            out.append(
                Meaning(
                    subject,
                    "reimposed",
                    back,
                    None,
                    f"Reimposes {name} on {back.isoformat()} unless BIS acts again.",
                )
            )
        return out
    if _REIMPOSE.search(head):
        return [Meaning(subject, "reimposed", effective, None, f"Reimposes {name}.")]
    when = f" from {effective.isoformat()}" if effective else ""
    return [Meaning(subject, "in_force", effective, None, f"Puts {name} in force{when}.")]


def _span(text: str) -> tuple[date, date] | None:
    """`from November 10, 2025, through November 9, 2026` -> both dates."""
    dated = dates_in(text)
    for (pos, first), (pos2, second) in pairwise(dated):
        between = text[pos:pos2]
        if second > first and len(between) < 60 and _UNTIL_BEFORE.search(between):
            return first, second
    return None


def _tgl_until(*texts: str) -> date | None:
    """The end date of a temporary general license, read within one paragraph."""
    for text in texts:
        tgl = _TGL.search(text)
        if tgl:
            until = _date_after(text, tgl.end(), _UNTIL)
            if until:
                return until
    return None


def _date_after(text: str, offset: int, lead: re.Pattern[str]) -> date | None:
    """The first date after `offset` preceded (within 40 characters) by a `lead` word."""
    for pos, day in dates_in(text):
        if pos >= offset and lead.search(text[max(offset, pos - 40) : pos]):
            return day
    return None


def _effective_in(dates_text: str) -> date | None:
    """The date the DATES text makes the rule effective, read as the desk and the alerts
    read it: a placeholder ("upon publication", "[INSERT DATE …]") is no date, so a later
    date in the text (a comment deadline) is never taken for it."""
    return effective_from_dates(dates_text).on

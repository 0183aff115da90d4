"""The dated calendar of rules that change what a listing means (the 2025 affiliates rule:
in force, suspended, in force again), computed from the meaning records the Federal
Register watchers store on each rule they read.

Records are applied in document order (publication date), each one overwriting the dates
it names, so a later rule supersedes whatever an earlier one had scheduled for those
dates (a rule that extends a suspension moves the reimposition). The core is pure;
`rule_state` and `calendars` are the storage edge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services.rule_meaning import Meaning, checked_meanings
from storage.rule_meanings import stored_meanings

# What an action makes of the dates it names; "amended" changes no dates, "expires" ends it.
_STATE_OF = {"in_force": "in_force", "reimposed": "in_force", "suspended": "suspended"}
STATE_WORDS = {"in_force": "in force", "suspended": "suspended", "not_in_force": "not in force"}
SUBJECT_LABELS = {"affiliates": "Affiliates rule (owned 50 % or more by listed parties)"}
_FIRST = date.min  # the open start of the calendar
# Rules take effect on Washington dates: "today" for the calendar is the day there.
RULES_ZONE = ZoneInfo("America/New_York")


def rules_today(now: datetime) -> date:
    """The calendar day in Washington at `now` (an aware moment)."""
    return now.astimezone(RULES_ZONE).date()


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of days (`end` inclusive; None: open) in one state, and the record that set it."""

    state: str
    start: date | None
    end: date | None
    document: str | None
    action: str | None
    summary: str


@dataclass(frozen=True, slots=True)
class Calendar:
    subject: str
    periods: tuple[Period, ...]
    documents: tuple[str, ...]
    origin: str | None  # the first document that put the subject in force

    def index_on(self, day: date) -> int:
        for index, period in enumerate(self.periods):
            if (period.start is None or period.start <= day) and (
                period.end is None or day <= period.end
            ):
                return index
        raise ValueError(f"calendar of {self.subject} has a gap at {day}")

    def state_on(self, day: date) -> RuleState:
        index = self.index_on(day)
        now = self.periods[index]
        before = self.periods[index - 1] if index > 0 else None
        after = self.periods[index + 1] if index + 1 < len(self.periods) else None
        return RuleState(
            subject=self.subject,
            state=now.state,
            since=now.start,
            until=now.end,
            next_change=after.start if after else None,
            next_state=after.state if after else None,
            next_document=after.document if after else None,
            documents=self.documents,
            document=now.document,
            origin=self.origin,
            previous_state=before.state if before else None,
            previous_document=before.document if before else None,
        )


@dataclass(frozen=True, slots=True)
class RuleState:
    """Where a subject stands on one day, and what comes next."""

    subject: str
    state: str  # "in_force" | "suspended" | "not_in_force"
    since: date | None
    until: date | None
    next_change: date | None
    next_state: str | None
    next_document: str | None
    documents: tuple[str, ...]
    document: str | None
    origin: str | None
    previous_state: str | None
    previous_document: str | None

    def sentence(self) -> str:
        """One line for answers and alerts: "suspended until 2026-11-09 (FR Doc 2025-19846)"."""
        if self.state == "in_force":
            cited = f"FR Doc {self.origin or self.document}"
            if self.previous_state == "suspended" and self.since is not None:
                ended = self.since - timedelta(days=1)
                cited += f"; suspension by FR Doc {self.previous_document} ended {ended}"
            return f"in force since {self.since} ({cited})"
        if self.state == "suspended":
            if self.until is not None:
                return f"suspended until {self.until} (FR Doc {self.document})"
            return f"suspended since {self.since} (FR Doc {self.document})"
        if self.next_change is not None and self.next_state == "in_force":
            cited = f"FR Doc {self.next_document} from {self.next_change}"
            return f"not in force until {self.until} ({cited})"
        if self.document is not None:
            return f"not in force since {self.since} (FR Doc {self.document})"
        return "not in force"


def build_calendar(subject: str, meanings: Iterable[Meaning]) -> Calendar | None:
    """The subject's periods from its records in document order; None if it has none."""
    mine = [m for m in meanings if m.subject == subject]
    if not mine:
        return None
    starts: dict[date, Period] = {_FIRST: Period("not_in_force", None, None, None, None, "")}
    for meaning in mine:
        _apply(starts, meaning)
    documents = tuple(dict.fromkeys(m.document for m in mine))
    origin = next((m.document for m in mine if m.action == "in_force"), None)
    return Calendar(subject, _periods(starts), documents, origin)


def _apply(starts: dict[date, Period], meaning: Meaning) -> None:
    if meaning.action == "amended":
        return
    if meaning.action == "expires":
        if meaning.start is not None and meaning.end is not None:
            # A grant with an end (a temporary general license valid from its rule's
            # effective date through a day): in force over the span, then not.
            _apply(starts, replace(meaning, action="in_force", end=None))
        first = meaning.end + timedelta(days=1) if meaning.end else meaning.start
        assert first is not None  # checked: an expiry names a date
        span: tuple[date, date | None, str] = (first, None, "not_in_force")
    else:
        assert meaning.start is not None  # checked: a state change names its first day
        span = (meaning.start, meaning.end, _STATE_OF[meaning.action])
    first, last, state = span
    resume = _value_on(starts, last + timedelta(days=1)) if last and last < date.max else None
    for key in [k for k in starts if k >= first and (last is None or k <= last + timedelta(1))]:
        del starts[key]
    starts[first] = Period(state, first, None, meaning.document, meaning.action, meaning.summary)
    if last is not None and resume is not None:
        starts[last + timedelta(days=1)] = resume


def _value_on(starts: dict[date, Period], day: date) -> Period:
    return starts[max(k for k in starts if k <= day)]


def _periods(starts: dict[date, Period]) -> tuple[Period, ...]:
    keys = sorted(starts)
    out: list[Period] = []
    for index, key in enumerate(keys):
        value = starts[key]
        end = keys[index + 1] - timedelta(days=1) if index + 1 < len(keys) else None
        if out and out[-1].state == value.state:  # one stretch, kept with its first record
            out[-1] = Period(
                out[-1].state, out[-1].start, end, out[-1].document, out[-1].action, out[-1].summary
            )
            continue
        start = None if key == _FIRST else key
        out.append(Period(value.state, start, end, value.document, value.action, value.summary))
    return tuple(out)


def calendars(session: Session) -> list[Calendar]:
    """Every subject's calendar from the stored records, in subject order. A subject whose
    records only amend it (a license policy, the FDP scope) has no dated state to show."""
    meanings = [m for stored in stored_meanings(session) for m in checked_meanings(stored)]
    dated = sorted({m.subject for m in meanings if m.action != "amended"})
    found = (build_calendar(s, meanings) for s in dated)
    return [c for c in found if c is not None]


def state_line(calendar: Calendar, *, today: date) -> str:
    """One line per subject for the App Home and the digest: its state today and what next."""
    state = calendar.state_on(today)
    line = f"{SUBJECT_LABELS.get(calendar.subject, calendar.subject)}: {state.sentence()}"
    if state.next_change is not None and state.next_state is not None:
        line += f"; next: {STATE_WORDS[state.next_state]} from {state.next_change}"
    return line


def state_lines(session: Session, *, today: date) -> list[str]:
    return [state_line(calendar, today=today) for calendar in calendars(session)]


def rule_state(session: Session, *, subject: str = "affiliates", today: date) -> RuleState | None:
    """Where `subject` stands on `today`, or None when no rule read says anything about it."""
    meanings = [m for stored in stored_meanings(session) for m in checked_meanings(stored)]
    calendar = build_calendar(subject, meanings)
    return calendar.state_on(today) if calendar else None

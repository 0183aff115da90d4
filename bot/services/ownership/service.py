"""The ownership side of the bot: answers for watched counterparties, the affiliates
export and counts. Built once by the composition root, which also gives it the rules
calendar's sentence for the rule's state today (a provider that may answer None)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.ownership.answer import OwnershipAnswer, ownership_answer
from bot.services.ownership.evaluation import (
    CounterpartyOwnership,
    OwnershipBook,
    Watched,
    evaluate,
    owner_standings,
)
from bot.services.ownership.owners import screen_owners
from bot.services.rules_calendar import rules_today
from bot.services.screening import ScreeningService
from screening import Thresholds
from storage.models import WatchlistRow
from storage.ownership import active_watched
from storage.ownership_owners import unscreened_owners
from storage.watch_inputs import any_entry_stored
from storage.watchlist import find_active

# (session, today) -> "in force since 2026-11-10 ..." / "suspended until ...", or None.
RuleStateProvider = Callable[[Session, date], str | None]
EXPORT_BATCH = 5000


def watched(row: WatchlistRow) -> Watched:
    return Watched(id=row.id or 0, external_id=row.external_id, name=row.name, country=row.country)


@dataclass
class OwnershipService:
    engine: Engine
    screening: ScreeningService
    thresholds: Thresholds
    required_countries: frozenset[str] = frozenset()
    rule_state: RuleStateProvider | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    book: OwnershipBook = field(default_factory=OwnershipBook)

    def state_today(self, session: Session) -> str | None:
        if self.rule_state is None:
            return None
        # The day in Washington, as the rules calendar, the App Home and reminders count it.
        return self.rule_state(session, rules_today(self.clock()))

    def screen_new_owners(self, session: Session) -> set[str]:
        """Screen owners not screened yet; none while no list is loaded (they wait)."""
        owners = unscreened_owners(session)
        if not owners or not any_entry_stored(session):
            return set()
        self.screening.refresh()
        return screen_owners(
            session, self.screening.index, owners, thresholds=self.thresholds, now=self.clock()
        )

    def answer_for(self, query: str, *, listed_itself: bool) -> OwnershipAnswer | None:
        """The ownership lines for a query that names one watched counterparty (its id or
        its exact name), else None: an answer about strangers has nothing to add."""
        with Session(self.engine) as session:
            rows = find_active(session, query.strip())
            if len(rows) != 1:
                return None
            [found] = self.evaluated(session, [watched(rows[0])])
            return ownership_answer(
                found,
                listed_itself=listed_itself,
                rule_state=self.state_today(session),
                required_countries=self.required_countries,
            )

    def evaluated(self, session: Session, parties: list[Watched]) -> list[CounterpartyOwnership]:
        return evaluate(
            session,
            graph=self.book.graph(session),
            standings=owner_standings(session),
            parties=parties,
        )

    def affiliates(self, session: Session) -> Iterator[CounterpartyOwnership]:
        """Every active counterparty covered or possibly covered, in id order."""
        batch: list[Watched] = []
        for party_id, external_id, name, country in active_watched(session):
            batch.append(Watched(id=party_id, external_id=external_id, name=name, country=country))
            if len(batch) >= EXPORT_BATCH:
                yield from self._flagged(session, batch)
                batch = []
        yield from self._flagged(session, batch)

    def _flagged(self, session: Session, batch: list[Watched]) -> Iterator[CounterpartyOwnership]:
        for found in self.evaluated(session, batch) if batch else []:
            c = found.coverage
            if c is not None and (c.covered or c.possibly_covered):
                yield found

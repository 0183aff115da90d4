"""`/watch add <name> [| id]`, `/watch remove <id or name>`, `/watch list`, `/watch hits`.

`parse_watch` is pure; `WatchCommands` runs a parsed command against the database
and the monitoring service and returns plain text lines for the listener to render.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.monitoring.csv_rows import FORMULA_STARTS, LIMITS
from bot.services.monitoring.decisions import DecisionError, hit_number
from bot.services.monitoring.names import derived_id, unscreenable
from bot.services.monitoring.service import MonitoringService, hit_views
from bot.services.monitoring.views import HitView
from screening.display import controls_shown
from storage.screening_audit import storable_text
from storage.watch_hits import open_hits
from storage.watch_inputs import any_entry_stored
from storage.watchlist import (
    Counterparty,
    count_active,
    find_active,
    iter_active,
    retire,
    upsert_counterparties,
)

USAGE = (
    "Usage: `/watch add <name> [| id]`, `/watch remove <id or name>`, `/watch list`, "
    "`/watch hits`, `/watch resolve <hit number> <how it was resolved>`. "
    "The watchlist is re-screened on every list change."
)
LISTED = 20


class WatchInputError(ValueError):
    """What the person typed cannot be used; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class WatchCommand:
    action: str  # "add" | "remove" | "list" | "hits" | "resolve" | "help"
    name: str = ""  # the counterparty's name, or the reason of a resolution
    external_id: str | None = None
    hit_id: int | None = None


def parse_watch(text: str) -> WatchCommand:
    action, _, rest = " ".join(text.split()).partition(" ")
    action = action.lower()
    if action in ("list", "hits"):
        return WatchCommand(action=action)
    if action == "resolve":
        return _resolve(rest)
    if action == "remove":
        if not rest:
            raise WatchInputError("say which counterparty: `/watch remove <id or name>`")
        return WatchCommand(action="remove", name=rest)
    if action == "add":
        return _add(rest)
    return WatchCommand(action="help")


def _resolve(rest: str) -> WatchCommand:
    number, _, reason = rest.partition(" ")
    if not number or not reason.strip():
        raise WatchInputError("say which hit and how: `/watch resolve 12 account closed`")
    try:
        hit_id = hit_number(number)
    except DecisionError as exc:
        raise WatchInputError(f"{exc}: `/watch resolve 12 account closed`") from None
    return WatchCommand(action="resolve", hit_id=hit_id, name=reason.strip())


def _add(rest: str) -> WatchCommand:
    name, _, ext = (part.strip() for part in rest.partition("|"))
    if not name:
        raise WatchInputError("say whom to watch: `/watch add ACME Ltd | C-123`")
    for label, value in (("name", name), ("id", ext)):
        # NUL, other controls, lone surrogates: what no database stores as typed.
        cleaned = storable_text(value)
        control = next((a for a, b in zip(value, cleaned, strict=True) if a != b), None)
        if control is not None:
            raise WatchInputError(
                f"the {label} holds a control character (U+{ord(control):04X}); "
                "type it again without it"
            )
        if value.startswith(FORMULA_STARTS):
            raise WatchInputError(f"the {label} must not start with {value[0]!r}")
    if len(ext) > LIMITS["id"]:
        raise WatchInputError(f"the id is longer than {LIMITS['id']} characters")
    problem = unscreenable(name)
    if problem:
        raise WatchInputError(f"Not added: {problem}.")
    return WatchCommand(action="add", name=name, external_id=ext or None)


@dataclass
class WatchCommands:
    monitoring: MonitoringService

    def add(self, command: WatchCommand, *, user_id: str, now: datetime) -> list[str]:
        party = Counterparty(
            external_id=command.external_id or derived_id(command.name), name=command.name
        )
        engine = self.monitoring.engine
        with Session(engine) as session, session.begin():
            counts = upsert_counterparties(
                session, [party], added_by=f"slack:{user_id}", now=now, given=frozenset()
            )
        verb = "Added" if counts.added else ("Updated" if counts.changed else "Already watching")
        lines = [f"{verb} {controls_shown(party.name)} (id {party.external_id})."]
        screened, hits = self.monitoring.screen_unscreened()
        if not (counts.added or counts.changed):
            return lines
        if screened or self._lists_loaded():
            lines.append(
                f"Screened against every list: {hits} possible match(es)"
                + (", posted for review." if hits else ".")
            )
        else:
            lines.append("Not screened yet: no list is loaded; it will be when one is.")
        return lines

    def _lists_loaded(self) -> bool:
        with Session(self.monitoring.engine) as session:
            return any_entry_stored(session)

    def remove(self, command: WatchCommand, *, now: datetime) -> list[str]:
        with Session(self.monitoring.engine) as session, session.begin():
            rows = find_active(session, command.name)
            if not rows:
                return [f"No active counterparty has the id or name {command.name}."]
            if len(rows) > 1:
                ids = ", ".join(r.external_id for r in rows[:10])
                return [f"{len(rows)} counterparties are named {command.name}; remove by id: {ids}"]
            row = rows[0]
            retire(session, [row.id or 0], now=now)
            name = controls_shown(row.name)
            return [f"Removed {name} (id {row.external_id}) from the watchlist."]

    def listing(self) -> list[str]:
        with Session(self.monitoring.engine) as session:
            total = count_active(session)
            lines = [f"{total:,} counterparties on the watchlist."]
            for number, row in enumerate(iter_active(session)):
                if number >= LISTED:
                    lines.append(f"…and {total - LISTED:,} more (`entitywatch watchlist export`).")
                    break
                lines.append(f"• {controls_shown(row.name)} (id {row.external_id})")
        return lines

    def open_hits(self, *, limit: int = 10) -> list[HitView]:
        """The newest hits nobody has decided on yet."""
        with Session(self.monitoring.engine) as session:
            return hit_views(session, open_hits(session, limit=limit), newly_listed=False)

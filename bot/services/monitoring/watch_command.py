"""`/watch add <name> [| id]`, `/watch remove <id or name>`, `/watch list`, `/watch hits`.

`parse_watch` is pure; `WatchCommands` runs a parsed command against the database
and the monitoring service and returns plain text lines for the listener to render.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.monitoring.csv_rows import FORMULA_STARTS, LIMITS, derived_id
from bot.services.monitoring.service import MonitoringService, hit_views
from bot.slack.blocks.monitoring import HitView
from storage.watch_hits import open_hits
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
        number, _, reason = rest.partition(" ")
        if not number.lstrip("#").isdigit() or not reason.strip():
            raise WatchInputError("say which hit and how: `/watch resolve 12 account closed`")
        return WatchCommand(action="resolve", hit_id=int(number.lstrip("#")), name=reason.strip())
    if action == "remove":
        if not rest:
            raise WatchInputError("say which counterparty: `/watch remove <id or name>`")
        return WatchCommand(action="remove", name=rest)
    if action == "add":
        name, _, ext = (part.strip() for part in rest.partition("|"))
        if not name:
            raise WatchInputError("say whom to watch: `/watch add ACME Ltd | C-123`")
        for label, value, limit in (("name", name, LIMITS["name"]), ("id", ext, LIMITS["id"])):
            if len(value) > limit:
                raise WatchInputError(f"the {label} is longer than {limit} characters")
            if value.startswith(FORMULA_STARTS):
                raise WatchInputError(f"the {label} must not start with {value[0]!r}")
        return WatchCommand(action="add", name=name, external_id=ext or None)
    return WatchCommand(action="help")


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
        lines = [f"{verb} {party.name} (id {party.external_id})."]
        _, hits = self.monitoring.screen_unscreened()
        if counts.added or counts.changed:
            lines.append(
                f"Screened against every list: {hits} possible match(es)"
                + (", posted for review." if hits else ".")
            )
        return lines

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
            return [f"Removed {row.name} (id {row.external_id}) from the watchlist."]

    def listing(self) -> list[str]:
        with Session(self.monitoring.engine) as session:
            total = count_active(session)
            lines = [f"{total:,} counterparties on the watchlist."]
            for number, row in enumerate(iter_active(session)):
                if number >= LISTED:
                    lines.append(f"…and {total - LISTED:,} more (`entitywatch watchlist export`).")
                    break
                lines.append(f"• {row.name} (id {row.external_id})")
        return lines

    def open_hits(self, *, limit: int = 10) -> list[HitView]:
        """The newest hits nobody has decided on yet."""
        with Session(self.monitoring.engine) as session:
            return hit_views(session, open_hits(session, limit=limit), newly_listed=False)

"""The alerts of 50 % crossings: one message per counterparty, in the thread of the
change that caused it (a parent where that channel has no thread of it), and in the
watchlist channel; an import's in the watchlist channel. A crossing up is also a hit
(origin "ownership"), so its message carries the Confirm / Not the same party buttons.

Built in batches (one listing may move thousands of counterparties): the hits and the
outbox rows go in with one executemany each, and each cause's threads are read once.
Dedupe keys are derived from the counterparty and the cause, so a crossing is planned
once whichever process plans it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from bot.routing import Routing
from bot.services.alerts.grouping import action_key
from bot.services.alerts.model import ChangeView
from bot.services.ownership.answer import ownership_answer, pct
from bot.services.ownership.evaluation import CounterpartyOwnership
from bot.services.ownership.service import OwnershipService
from bot.services.ownership.views import CrossingMessages, CrossingView
from storage.inserts import insert_many_new
from storage.outbox import PlannedMessage, threads_with_rows
from storage.ownership_standing import hit_ids

ORIGIN = "ownership"
Crossing = tuple[CounterpartyOwnership, ChangeView | None]


@dataclass(frozen=True, slots=True)
class Route:
    channel: str
    role: str  # "parent" | "reply"
    action: str  # the thread's action key; "" for a message of its own


def crossing_messages(
    session: Session,
    crossed: list[Crossing],
    *,
    ownership: OwnershipService,
    routing: Routing,
    watchlist_channel: str | None,
    render: CrossingMessages,
    now: datetime,
) -> list[PlannedMessage]:
    state = ownership.state_today(session)
    answers = {
        item.party.id: ownership_answer(
            item,
            listed_itself=False,
            rule_state=state,
            required_countries=ownership.required_countries,
        ).lines
        for item, _ in crossed
    }
    bases = {item.party.id: _basis(cause, now=now) for item, cause in crossed}
    # The crossing's own message carries the hit's decisions; only with nowhere to say it
    # does the hit wait for a channel, as a name hit does (then alerted as a hit).
    routed = bool(
        watchlist_channel or routing.default_channel or routing.by_list or routing.by_country
    )
    hits = _hits(
        session,
        [(i, bases[i.party.id], answers[i.party.id]) for i, _ in crossed],
        routed=routed,
        now=now,
    )
    routes: dict[int | None, list[Route]] = {}
    planned: list[PlannedMessage] = []
    for item, cause in crossed:
        key = cause.id if cause is not None else None
        if key not in routes:
            routes[key] = _routes(
                session, cause, routing=routing, watchlist_channel=watchlist_channel
            )
        coverage = item.coverage
        message = render(
            CrossingView(
                counterparty_name=item.party.name,
                external_id=item.party.external_id,
                listed_share=pct(coverage.listed if coverage else 0.0),
                covered=coverage is not None and coverage.covered,
                lines=answers[item.party.id],
                hit_id=hits.get(item.party.id),
            )
        )
        tag = f"ownership:{item.party.id}:{bases[item.party.id]}"
        planned += [
            PlannedMessage(
                dedupe_key=digest_of("watch", tag, route.channel),
                action_key=route.action or f"watch:{tag}",
                channel=route.channel,
                role=route.role,
                text=message.text,
                blocks=message.blocks,
                change_ids=[cause.id] if cause is not None else [],
            )
            for route in routes[key]
        ]
    return planned


def _routes(
    session: Session, cause: ChangeView | None, *, routing: Routing, watchlist_channel: str | None
) -> list[Route]:
    action = action_key(cause) if cause is not None else None
    channels = routing.channels_for([cause]) if cause is not None and action else []
    existing = threads_with_rows(session, {(str(action), c) for c in channels})
    found = [
        Route(channel=c, role="reply" if (action, c) in existing else "parent", action=str(action))
        for c in channels
    ]
    watch = watchlist_channel if cause is not None else watchlist_channel or routing.default_channel
    if watch and watch not in channels:
        found.append(Route(channel=watch, role="parent", action=""))
    return found


def _hits(
    session: Session,
    crossings: list[tuple[CounterpartyOwnership, str, tuple[str, ...]]],
    *,
    routed: bool,
    now: datetime,
) -> dict[int, int]:
    """A hit per crossing up, for its decisions: counterparty id -> hit id."""
    values = [
        _hit_values(item, basis=basis, lines=lines, now=now) | {"alert_planned": routed}
        for item, basis, lines in crossings
        if item.coverage is not None and item.coverage.covered
    ]
    insert_many_new(session, SQLModel.metadata.tables["watch_hit"], values)
    return hit_ids(session, {v["alert_key"]: v["counterparty_id"] for v in values})


def _basis(cause: ChangeView | None, *, now: datetime) -> str:
    return f"change:{cause.id}" if cause is not None else f"holdings:{now.isoformat()}"


def _hit_values(
    item: CounterpartyOwnership, *, basis: str, lines: tuple[str, ...], now: datetime
) -> dict[str, Any]:
    terms = item.terms
    entry_key = f"affiliates:{terms.key if terms else 'owners'}"
    digest = digest_of(*lines[:-1])  # the facts, not the rule's state sentence
    return {
        "alert_key": digest_of(item.party.id, entry_key, digest, basis),
        "counterparty_id": item.party.id,
        "entry_key": entry_key,
        "list_code": (terms.list_code if terms else None) or "",
        "entry_name": (terms.entry_name or terms.name) if terms else "listed owners",
        "matched_name": terms.name if terms else "listed owners",
        "score": item.coverage.listed if item.coverage else 0.0,
        "band": "match",
        "why": " · ".join(lines)[:4000],
        "content_digest": digest,
        "origin": ORIGIN,
        "detected_at": now,
    }


def digest_of(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()

"""Turn unplanned change rows into outbox rows, in one transaction.

Every alerting change ends up in exactly one planned message per channel: the
rows are locked (`SKIP LOCKED` on PostgreSQL), rendered, inserted into the
outbox and flagged `alert_planned` in the same commit. A crash before the commit
leaves them unplanned for the next run; nothing is lost and nothing doubles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.routing import Routing
from bot.services.alerts.grouping import PRESS_WINDOW, RecentDocument, group_changes
from bot.services.alerts.model import ENTRY_KINDS, OPS_KINDS, SILENT_KINDS, ChangeView, Message
from bot.services.alerts.rendering import AlertMessages
from storage.advisory_locks import lock_for_transaction
from storage.alert_planning import (
    changes_of_document,
    documents_seen_since,
    last_change_before,
    lock_unplanned,
    mark_planned,
)
from storage.models import ChangeRow
from storage.outbox import PlannedMessage, insert_planned, threads_with_rows
from watchers.records import normalize_key_text

BATCH = 5000
# Shared by every replica's planner ("planner" in ASCII).
PLANNER_LOCK = 0x706C616E6E6572
# The change kinds a `source_recovered` ends.
OUTAGE_KINDS = ("source_down", "source_never_succeeded")


def plan_alerts(engine: Engine, *, routing: Routing, messages: AlertMessages, now: datetime) -> int:
    """Plan every unplanned change; returns the number of outbox rows created."""
    if not routing.default_channel and not routing.by_list and not routing.by_country:
        # Nowhere to send: leave the changes unplanned until a channel is configured.
        return 0
    with Session(engine) as session, session.begin():
        if session.get_bind().dialect.name == "postgresql":
            # Two planners (poll thread, alerts job, `alerts send`) could each take part of
            # one action's changes and both open a thread for it; plan one at a time.
            lock_for_transaction(session, PLANNER_LOCK)
        rows = lock_unplanned(session, limit=BATCH)
        if not rows:
            return 0
        views = [ChangeView.of(r) for r in rows]
        groups = group_changes(
            views,
            recent=_recent_documents(session, now=now),
            outage_of=_outages(session, views),
        )
        _attach_press_to_documents(rows, groups)
        planned: list[PlannedMessage] = []
        for key, changes in groups.items():
            planned += _plan_group(session, key, changes, routing=routing, render=messages)
        created = insert_planned(session, planned, now=now)
        mark_planned(session, [r.id for r in rows if r.id is not None])
        return created


def _plan_group(
    session: Session,
    key: str,
    changes: list[ChangeView],
    *,
    routing: Routing,
    render: AlertMessages,
) -> list[PlannedMessage]:
    channels = routing.channels_for(changes)
    existing = threads_with_rows(session, {(key, c) for c in channels})
    plain = all(c.kind in OPS_KINDS or c.kind == "baseline" for c in changes)
    planned: list[PlannedMessage] = []
    for channel in channels:
        in_thread = (key, channel) in existing
        if plain:
            messages = render.ops_and_baseline(changes)
        else:
            messages = render.reply(changes) if in_thread else render.action(changes)
        parent_update = _parent_update(session, key, render) if in_thread and not plain else None
        for part, message in enumerate(messages):
            role = "parent" if part == 0 and not in_thread else "reply"
            planned.append(
                PlannedMessage(
                    dedupe_key=_dedupe(key, channel, changes, part),
                    action_key=key,
                    channel=channel,
                    role=role,
                    text=message.text,
                    blocks=message.blocks,
                    change_ids=[c.id for c in changes],
                    parent_update=parent_update if part == 0 else None,
                )
            )
    return planned


def _parent_update(session: Session, key: str, render: AlertMessages) -> dict[str, object] | None:
    """The thread parent re-rendered with every signal of the action so far."""
    if not key.startswith("fr:"):
        return None
    rows = changes_of_document(session, key[3:])
    views = [ChangeView.of(r) for r in rows if r.kind not in SILENT_KINDS]
    entries = [v for v in views if v.kind in ENTRY_KINDS]
    # The parent shows the rule's own entries; the CSL's copies of them are replies.
    rule_entries = [v for v in entries if v.source != "csl"] or entries
    signals = [v for v in views if v.kind not in ENTRY_KINDS]
    first: Message = render.action(signals + rule_entries)[0]
    return first.as_payload()


def _dedupe(key: str, channel: str, changes: Sequence[ChangeView], part: int) -> str:
    ids = ",".join(str(c.id) for c in changes)
    return hashlib.sha256(f"{key}\x1f{channel}\x1f{ids}\x1f{part}".encode()).hexdigest()


def _recent_documents(session: Session, *, now: datetime) -> list[RecentDocument]:
    names: dict[str, set[str]] = {}
    seen: dict[str, float] = {}
    for number, name, detected in documents_seen_since(session, now - PRESS_WINDOW):
        names.setdefault(number, set())
        if name:
            names[number].add(normalize_key_text(name))
        seen[number] = max(seen.get(number, 0.0), detected.timestamp() / 86400)
    return [
        RecentDocument(document_number=n, names=frozenset(names[n]), seen_at_days=seen[n])
        for n in names
    ]


def _outages(session: Session, views: list[ChangeView]) -> dict[int, int]:
    """For each recovery, the id of the outage it ends (so it replies in that thread)."""
    found: dict[int, int] = {}
    for view in views:
        if view.kind != "source_recovered":
            continue
        down = last_change_before(
            session, source=view.source, kinds=OUTAGE_KINDS, before_id=view.id
        )
        if down is not None:
            found[view.id] = down
    return found


def _attach_press_to_documents(rows: list[ChangeRow], groups: dict[str, list[ChangeView]]) -> None:
    # A press release matched to a rule keeps that link, so later parent updates include it.
    by_id = {r.id: r for r in rows}
    for key, changes in groups.items():
        if key.startswith("fr:"):
            for change in changes:
                if change.kind == "announcement" and not change.document_number:
                    by_id[change.id].document_number = key[3:]

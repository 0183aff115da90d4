"""Outbox rows for counterparty hits: in the thread of the action that caused them, and
in WATCHLIST_CHANNEL when it is set; one summary instead of many hits from one screening.

Dedupe keys are derived from hit ids (themselves unique per alert key), so the
same hit can never be planned twice, whichever process plans it.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.routing import Routing
from bot.services.alerts.grouping import action_key
from bot.services.alerts.model import ChangeView, Message
from bot.services.monitoring.views import HitMessages, HitView
from storage.outbox import PlannedMessage, threads_with_rows

REPORT_COLUMNS = (
    "hit_id",
    "counterparty_id",
    "counterparty_name",
    "listed_name",
    "list",
    "band",
    "score",
    "why",
)
# Spreadsheets run cells starting with these as formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Report:
    """A CSV to upload into the thread of the message with `outbox_key`."""

    outbox_key: str
    filename: str
    content: str


def _key(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def _planned(
    message: Message, *, key: str, action: str, channel: str, role: str, change_ids: list[int]
) -> PlannedMessage:
    return PlannedMessage(
        dedupe_key=key,
        action_key=action,
        channel=channel,
        role=role,
        text=message.text,
        blocks=message.blocks,
        change_ids=change_ids,
    )


def in_action_thread(
    session: Session,
    *,
    message: Message,
    tag: str,
    change: ChangeView,
    routing: Routing,
    watchlist_channel: str | None,
) -> list[PlannedMessage]:
    """`message` as a reply in each channel that got the change's alert (a parent where
    that channel has no thread of it), and as a message of its own in the watchlist channel."""
    key = action_key(change)
    channels = routing.channels_for([change]) if key else []
    existing = threads_with_rows(session, {(key, c) for c in channels}) if key else set()
    planned = [
        _planned(
            message,
            key=_key("watch", tag, channel),
            action=str(key),
            channel=channel,
            role="reply" if (key, channel) in existing else "parent",
            change_ids=[change.id],
        )
        for channel in channels
    ]
    if watchlist_channel and watchlist_channel not in channels:
        planned.append(
            _planned(
                message,
                key=_key("watch", tag, watchlist_channel),
                action=f"watch:{tag}",
                channel=watchlist_channel,
                role="parent",
                change_ids=[change.id],
            )
        )
    return planned


def hit_in_thread(
    session: Session,
    hit: HitView,
    *,
    change: ChangeView,
    routing: Routing,
    watchlist_channel: str | None,
    render: HitMessages,
) -> list[PlannedMessage]:
    return in_action_thread(
        session,
        message=render.hit(hit),
        tag=f"hit:{hit.hit_id}",
        change=change,
        routing=routing,
        watchlist_channel=watchlist_channel,
    )


def delisted_in_thread(
    session: Session,
    hit: HitView,
    *,
    change: ChangeView,
    routing: Routing,
    watchlist_channel: str | None,
    render: HitMessages,
) -> list[PlannedMessage]:
    return in_action_thread(
        session,
        message=render.delisted(hit),
        tag=f"delisted:{hit.hit_id}:{change.id}",
        change=change,
        routing=routing,
        watchlist_channel=watchlist_channel,
    )


def screening_hits(
    hits: Sequence[HitView],
    *,
    channel: str | None,
    screened: int,
    summary_over: int,
    render: HitMessages,
) -> tuple[list[PlannedMessage], list[Report]]:
    """Hits of new counterparties: one message each, or one summary with a CSV."""
    if not channel or not hits:
        return [], []
    if len(hits) <= summary_over:
        return [
            _planned(
                render.hit(h),
                key=_key("watch", f"hit:{h.hit_id}", channel),
                action=f"watch:hit:{h.hit_id}",
                channel=channel,
                role="parent",
                change_ids=[],
            )
            for h in hits
        ], []
    first = min(h.hit_id for h in hits)
    key = _key("watch", f"summary:{first}", channel)
    message = _planned(
        render.summary(hits, screened=screened),
        key=key,
        action=f"watch:summary:{first}",
        channel=channel,
        role="parent",
        change_ids=[],
    )
    report = Report(outbox_key=key, filename=f"watchlist-hits-{first}.csv", content=hits_csv(hits))
    return [message], [report]


def hits_csv(hits: Sequence[HitView]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for h in hits:
        cells = [
            h.hit_id,
            h.external_id,
            h.counterparty_name,
            h.entry_name,
            h.list_code,
            h.band,
            f"{h.score:.2f}",
            h.why,
        ]
        writer.writerow([neutralised(str(c)) for c in cells])
    return out.getvalue()


def neutralised(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text

"""Block Kit for counterparty alerts, the clear-decision modal and import summaries.

Pure: plain values in, message payloads out. Every string that came from a list,
a watchlist file or a Slack user is escaped; action values carry only hit ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.services.alerts.model import Message
from bot.services.monitoring.decision_input import (
    DEFAULT_CLEAR_DAYS,
    MAX_CLEAR_DAYS,
    MAX_REASON_CHARS,
)
from bot.services.monitoring.views import HitView
from bot.slack.blocks.kit import clip, context, escape, section
from reference.lists import list_name
from screening.display import controls_shown

CONFIRM_ACTION = "watch_confirm"
CLEAR_ACTION = "watch_clear"
CLEAR_VIEW = "watch_clear_modal"
REASON_BLOCK = "reason"
REASON_INPUT = "reason_input"
EXPIRY_BLOCK = "expiry"
EXPIRY_INPUT = "expiry_input"


def _where(hit: HitView) -> str:
    parts = [list_name(hit.list_code)]
    if hit.document_number:
        parts.append(f"FR Doc {hit.document_number}")
    elif hit.citation:
        parts.append(hit.citation)
    if hit.effective_date:
        parts.append(f"effective {hit.effective_date.isoformat()}")
    return ", ".join(parts)


def hit_text(hit: HitView) -> str:
    """The one-line notification text (plain, for the fallback and the terminal)."""
    listed = "newly listed" if hit.newly_listed else "listed"
    name = controls_shown(hit.counterparty_name)
    return (
        f"Counterparty {name} (id {hit.external_id}) may be the {listed} "
        f"{hit.entry_name} ({_where(hit)}): {hit.band} {hit.score:.2f}"
    )


def hit_message(hit: HitView) -> Message:
    listed = "newly listed" if hit.newly_listed else "listed"
    name = escape(controls_shown(hit.counterparty_name))
    lead = (
        f":mag: Counterparty *{name}* (id {escape(hit.external_id)}) "
        f"may be the {listed} *{escape(hit.entry_name)}* ({escape(_where(hit))}): "
        f"*{escape(hit.band)} {hit.score:.2f}*"
    )
    blocks = [
        section(lead),
        context(f"Why: {escape(clip(hit.why, 1500))} · hit #{hit.hit_id}"),
        decision_buttons(hit.hit_id),
    ]
    # hit_text is plain (the terminal's); Slack reads the fallback `text` as mrkdwn.
    return Message(text=escape(clip(hit_text(hit), 3000)), blocks=blocks)


def decision_buttons(hit_id: int) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": f"watch_hit_{hit_id}",
        "elements": [
            {
                "type": "button",
                "action_id": CONFIRM_ACTION,
                "style": "danger",
                "text": {"type": "plain_text", "text": "Confirm match"},
                "value": str(hit_id),
            },
            {
                "type": "button",
                "action_id": CLEAR_ACTION,
                "text": {"type": "plain_text", "text": "Not the same party…"},
                "value": str(hit_id),
            },
        ],
    }


def delisted_message(hit: HitView) -> Message:
    text = (
        f"Confirmed match no longer listed: {hit.entry_name} was removed from the "
        f"{list_name(hit.list_code)} (counterparty {hit.counterparty_name}, id {hit.external_id})"
    )
    lead = (
        f":white_check_mark: *{escape(hit.entry_name)}* is no longer listed on the "
        f"{escape(list_name(hit.list_code))}: the confirmed match of counterparty "
        f"*{escape(controls_shown(hit.counterparty_name))}* (id {escape(hit.external_id)}) "
        "may be resolved."
    )
    return Message(text=escape(clip(text, 3000)), blocks=[section(lead)])


def summary_message(hits: Sequence[HitView], *, screened: int) -> Message:
    """One message for many hits (an import); the full list goes into the CSV attachment."""
    text = f"Watchlist screening: {len(hits)} possible matches among {screened:,} counterparties"
    lines = [
        f"• *{escape(controls_shown(h.counterparty_name))}* (id {escape(h.external_id)}) ~ "
        f"*{escape(h.entry_name)}* ({escape(list_name(h.list_code))}): {escape(h.band)} "
        f"{h.score:.2f}"
        for h in hits[:10]
    ]
    more = f"\n…and {len(hits) - 10} more" if len(hits) > 10 else ""
    blocks = [
        section(f":mag: *{escape(text)}*"),
        section("\n".join(lines) + more),
        context("Every hit is in the attached CSV; decide each one with `/watch hits`."),
    ]
    return Message(text=escape(text), blocks=blocks)


def clear_modal(
    *, hit_id: int, counterparty: str, entry: str, channel: str | None = None
) -> dict[str, Any]:
    """The *Not the same party…* modal: a required reason and an expiry in days.
    The metadata carries the hit and the channel to confirm the decision in."""
    return {
        "type": "modal",
        "callback_id": CLEAR_VIEW,
        "private_metadata": f"{hit_id}|{channel or ''}",
        "title": {"type": "plain_text", "text": "Not the same party"},
        "submit": {"type": "plain_text", "text": "Record"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(
                f"Clear *{escape(clip(counterparty, 200))}* against "
                f"*{escape(clip(entry, 200))}*. The pair stays quiet until the decision "
                "expires or the listed entry changes."
            ),
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "label": {"type": "plain_text", "text": "Why is it not the same party?"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": REASON_INPUT,
                    "multiline": True,
                    "min_length": 3,
                    "max_length": MAX_REASON_CHARS,
                },
            },
            {
                "type": "input",
                "block_id": EXPIRY_BLOCK,
                "label": {"type": "plain_text", "text": "Valid for (days)"},
                "element": {
                    "type": "number_input",
                    "action_id": EXPIRY_INPUT,
                    "is_decimal_allowed": False,
                    "initial_value": str(DEFAULT_CLEAR_DAYS),
                    "min_value": "1",
                    "max_value": str(MAX_CLEAR_DAYS),
                },
            },
        ],
    }


class BlockKitHitMessages:
    """The Block Kit renderer that the composition root hands to monitoring."""

    def hit(self, hit: HitView) -> Message:
        return hit_message(hit)

    def delisted(self, hit: HitView) -> Message:
        return delisted_message(hit)

    def summary(self, hits: Sequence[HitView], *, screened: int) -> Message:
        return summary_message(hits, screened=screened)

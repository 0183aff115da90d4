"""Block Kit for affiliates-rule alerts: a counterparty's listed share crossed 50 %.

Pure. Names from files and lists are escaped; the buttons carry only the hit id, and
are the same Confirm / Not the same party decisions as a name hit's.
"""

from __future__ import annotations

from bot.services.alerts.model import Message
from bot.services.ownership.views import CrossingView
from bot.slack.blocks.kit import clip, context, escape, section
from bot.slack.blocks.monitoring import decision_buttons


def crossing_text(view: CrossingView) -> str:
    if view.covered:
        return (
            f"Counterparty {view.counterparty_name} (id {view.external_id}) is now "
            f"{view.listed_share} owned by listed parties: covered by the affiliates rule"
        )
    return (
        f"Counterparty {view.counterparty_name} (id {view.external_id}) is no longer 50 % owned by "
        f"listed parties ({view.listed_share} now)"
    )


def crossing_message(view: CrossingView) -> Message:
    icon = ":office:" if view.covered else ":white_check_mark:"
    detail = escape(clip(" · ".join(view.lines), 2500))
    if view.hit_id is not None:
        detail += f" · hit #{view.hit_id}"
    blocks = [section(f"{icon} {escape(crossing_text(view))}"), context(detail)]
    if view.hit_id is not None:
        blocks.append(decision_buttons(view.hit_id))
    return Message(text=escape(clip(crossing_text(view), 3000)), blocks=blocks)

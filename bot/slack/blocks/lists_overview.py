"""Block Kit for the App Home's list lines (the same lines as `entitywatch lists status`)."""

from __future__ import annotations

from typing import Any

from bot.services.lists_lines import list_line
from bot.services.lists_overview import ListsOverview
from bot.slack.blocks.kit import escape, section

MAX_CHARS = 2900


def overview_blocks(overview: ListsOverview) -> list[dict[str, Any]]:
    lines = []
    for item in overview.lists:
        icon = "⚠️" if item.lags else ("⏳" if item.pending else "•")
        lines.append(f"{icon} *{escape(item.list_code)}* {escape(list_line(item))}")
    if overview.ecfr_amended_on:
        lines.append(f"_eCFR text through {overview.ecfr_amended_on.isoformat()}_")
    text = "\n".join(lines) or "No list loaded yet."
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 1].rsplit("\n", 1)[0] + "\n…"
    return [section("*Lists*"), section(text)]

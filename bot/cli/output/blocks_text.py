"""Block Kit as plain text for a terminal: headers, sections, context lines, links."""

from __future__ import annotations

import re
from typing import Any

_LINK = re.compile(r"<([^|>]+)\|([^>]+)>")
_ITALIC = re.compile(r"(?<!\w)_([^_\n]+)_(?!\w)")
# Slack draws an emoji for a shortcode; a terminal would print ":mag:" as it is.
EMOJI = {
    "mag": "🔍",
    "white_check_mark": "✅",
    "warning": "⚠️",
    "x": "❌",
    "pushpin": "📌",
    "memo": "📝",
    "office": "🏢",
    "calendar": "📅",
}
_SHORTCODE = re.compile(r"(?<![\w/:]):([a-z][a-z0-9_+-]*):(?![\w/])")


def mrkdwn_to_text(text: str) -> str:
    text = _SHORTCODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = _ITALIC.sub(r"\1", text)
    return text.replace("*", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def render_blocks(blocks: list[dict[str, Any]], *, fallback: str) -> str:
    if not blocks:
        return fallback
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = block["text"]["text"]
            lines += [title, "=" * min(len(title), 80)]
        elif kind == "section":
            lines.append(mrkdwn_to_text(block["text"]["text"]))
            for field_ in block.get("fields") or []:
                lines.append("  " + mrkdwn_to_text(field_["text"]))
        elif kind == "context":
            lines += ["  " + mrkdwn_to_text(e.get("text", "")) for e in block.get("elements", [])]
        elif kind == "divider":
            lines.append("-" * 40)
        elif kind == "actions":
            labels = [e.get("text", {}).get("text", "") for e in block.get("elements", [])]
            lines.append("[" + "] [".join(labels) + "]")
    return "\n".join(lines)

"""Block Kit as plain text for a terminal: headers, sections, context lines, links."""

from __future__ import annotations

import re
from typing import Any

_LINK = re.compile(r"<([^|>]+)\|([^>]+)>")
_ITALIC = re.compile(r"(?<!\w)_([^_\n]+)_(?!\w)")


def mrkdwn_to_text(text: str) -> str:
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

"""Block Kit primitives within Slack's limits, shared by alerts, the digest and /screen.

Slack rejects a message (`invalid_blocks`) rather than cutting it: at most 50
blocks, a header of at most 150 characters, section and context text of at most
3,000. Every block built here is already within them.
"""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = 50
HEADER_CHARS = 150
SECTION_CHARS = 3000


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def clip_lines(text: str, limit: int = SECTION_CHARS) -> str:
    """`text` within `limit`, cut at a line end where there is one."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    newline = cut.rfind("\n")
    return (cut[:newline] if newline > 0 else cut) + "…"


def escape(text: object) -> str:
    """Slack mrkdwn needs only &, < and > escaped: they would start an entity or a link."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def header(text: str) -> dict[str, Any]:
    plain = {"type": "plain_text", "text": clip(text, HEADER_CHARS), "emoji": True}
    return {"type": "header", "text": plain}


def section(markdown: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip_lines(markdown)}}


def context(markdown: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip_lines(markdown)}]}


def safe_url(url: str) -> bool:
    """Only plain http(s) links: a feed's link is untrusted, and `<`, `>` or `|` would
    break out of Slack's <url|label> syntax."""
    return url.startswith(("https://", "http://")) and not any(c in url for c in "<>| \n")

"""conversations.history and conversations.replies over the fake workspace.

history: top-level messages (and thread broadcasts) of a channel, newest first,
filtered by ``oldest`` / ``latest`` (exclusive unless ``inclusive``), paged by
``limit`` and an opaque ``cursor``. replies: the parent then its replies, oldest
first. ``metadata`` is only returned with ``include_all_metadata=true``.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.fakes.slack_params import flag, int_field, text_field, ts_key
from tests.fakes.slack_workspace import SlackMethodError, SlackWorkspace, StoredMessage

DEFAULT_LIMIT = 100
MAX_LIMIT = 999
CURSOR_PREFIX = "offset:"


def _is_top_level(message: StoredMessage) -> bool:
    thread_ts = message.thread_ts
    return (
        thread_ts is None
        or thread_ts == message.ts
        or message.fields.get("subtype") == "thread_broadcast"
    )


def _in_window(message: StoredMessage, params: dict[str, Any]) -> bool:
    key = ts_key(message.ts)
    inclusive = flag(params, "inclusive")
    oldest = text_field(params, "oldest")
    latest = text_field(params, "latest")
    if oldest is not None and (key < ts_key(oldest) or (key == ts_key(oldest) and not inclusive)):
        return False
    return not (
        latest is not None and (key > ts_key(latest) or (key == ts_key(latest) and not inclusive))
    )


def _render(message: StoredMessage, *, with_metadata: bool) -> dict[str, Any]:
    fields = copy.deepcopy(message.fields)
    if not with_metadata:
        fields.pop("metadata", None)
    return fields


def _page(messages: list[StoredMessage], params: dict[str, Any]) -> tuple[list[StoredMessage], str]:
    limit = min(max(int_field(params, "limit", default=DEFAULT_LIMIT), 1), MAX_LIMIT)
    cursor = text_field(params, "cursor")
    start = 0
    if cursor is not None:
        if not cursor.startswith(CURSOR_PREFIX):
            raise SlackMethodError("invalid_cursor")
        start = int(cursor.removeprefix(CURSOR_PREFIX))
    end = start + limit
    next_cursor = f"{CURSOR_PREFIX}{end}" if end < len(messages) else ""
    return messages[start:end], next_cursor


def _answer(page: list[StoredMessage], next_cursor: str, *, with_metadata: bool) -> dict[str, Any]:
    return {
        "messages": [_render(m, with_metadata=with_metadata) for m in page],
        "has_more": bool(next_cursor),
        "response_metadata": {"next_cursor": next_cursor},
    }


def conversations_history(
    ws: SlackWorkspace, params: dict[str, Any], origin: str
) -> dict[str, Any]:
    channel = ws.check_channel(text_field(params, "channel"))
    with ws.lock:
        selected = [m for m in ws.in_channel(channel) if _is_top_level(m) and _in_window(m, params)]
        selected.sort(key=lambda m: ts_key(m.ts), reverse=True)
        page, next_cursor = _page(selected, params)
        answer = _answer(page, next_cursor, with_metadata=flag(params, "include_all_metadata"))
    return answer | {"pin_count": 0}


def conversations_replies(
    ws: SlackWorkspace, params: dict[str, Any], origin: str
) -> dict[str, Any]:
    channel = ws.check_channel(text_field(params, "channel"))
    ts = text_field(params, "ts") or ""
    with ws.lock:
        parent = ws.find(channel=channel, ts=ts)
        if parent is None:
            raise SlackMethodError("thread_not_found")
        thread = [parent] + [m for m in ws.in_channel(channel) if m.thread_ts == ts and m.ts != ts]
        thread = [m for m in thread if m is parent or _in_window(m, params)]
        thread.sort(key=lambda m: ts_key(m.ts))
        page, next_cursor = _page(thread, params)
        return _answer(page, next_cursor, with_metadata=flag(params, "include_all_metadata"))

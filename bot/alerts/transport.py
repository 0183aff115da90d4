"""Where alert messages go: Slack's Web API, or the terminal (the demo without Slack).

Errors are sorted into three kinds the sender acts on:

    DeliveryError
     ├── RateLimited          429: wait `retry_after` seconds, then try again
     ├── PermanentFailure     the channel, the token or the message is wrong: stop trying
     └── TransientFailure     5xx, network, an unknown error: retry with backoff
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TextIO

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.alerts.terminal import render_blocks

EVENT_TYPE = "entitywatch_alert"
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "missing_scope",
        "msg_too_long",
        "invalid_blocks",
        "restricted_action",
        "no_permission",
    }
)


class DeliveryError(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class RateLimited(DeliveryError):
    def __init__(self, reason: str, *, retry_after: float) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentFailure(DeliveryError):
    pass


class TransientFailure(DeliveryError):
    pass


class AlertTransport(Protocol):
    def post(
        self,
        *,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]],
        thread_ts: str | None,
        dedupe_key: str,
    ) -> str: ...

    def update(self, *, channel: str, ts: str, text: str, blocks: list[dict[str, Any]]) -> None: ...

    def find_posted(
        self, *, channel: str, dedupe_key: str, thread_ts: str | None, oldest: datetime
    ) -> str | None: ...


@dataclass
class SlackTransport:
    """Posts with a deterministic metadata key so a lost answer can be looked up later."""

    client: WebClient

    @classmethod
    def create(cls, *, token: str, base_url: str) -> SlackTransport:
        # No automatic retries: a retried post whose first answer was lost posts twice.
        return cls(client=WebClient(token=token, base_url=base_url, retry_handlers=[], timeout=15))

    def post(
        self,
        *,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]],
        thread_ts: str | None,
        dedupe_key: str,
    ) -> str:
        metadata = {"event_type": EVENT_TYPE, "event_payload": {"outbox_key": dedupe_key}}
        response = self._call(
            "chat_postMessage",
            channel=channel,
            text=text,
            blocks=blocks,
            thread_ts=thread_ts,
            metadata=metadata,
            unfurl_links=False,
        )
        return str(response["ts"])

    def update(self, *, channel: str, ts: str, text: str, blocks: list[dict[str, Any]]) -> None:
        self._call("chat_update", channel=channel, ts=ts, text=text, blocks=blocks)

    def find_posted(
        self, *, channel: str, dedupe_key: str, thread_ts: str | None, oldest: datetime
    ) -> str | None:
        cursor: str | None = None
        for _ in range(20):  # at most 20 pages of 200: far more than one lease can produce
            params: dict[str, Any] = {
                "channel": channel,
                "oldest": f"{oldest.timestamp():.6f}",
                "include_all_metadata": True,
                "limit": 200,
                "cursor": cursor,
            }
            if thread_ts:
                answer = self._call("conversations_replies", ts=thread_ts, **params)
            else:
                answer = self._call("conversations_history", **params)
            for message in answer.get("messages") or []:
                payload = (message.get("metadata") or {}).get("event_payload") or {}
                if payload.get("outbox_key") == dedupe_key:
                    return str(message["ts"])
            cursor = (answer.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return None
        return None

    def _call(self, method: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, method)(**kwargs)
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            if exc.response.status_code == 429 or error == "ratelimited":
                retry = float(exc.response.headers.get("Retry-After", "1") or 1)
                raise RateLimited(f"{method}: rate limited", retry_after=retry) from exc
            if error in PERMANENT_ERRORS:
                raise PermanentFailure(f"{method}: {error}") from exc
            raise TransientFailure(f"{method}: {error} (HTTP {exc.response.status_code})") from exc
        except OSError as exc:  # URLError, connection reset, timeout: the answer may be lost
            raise TransientFailure(f"{method}: {type(exc).__name__}: {exc}") from exc


@dataclass
class TerminalTransport:
    """Prints alerts as Slack would show them; replies are indented under their parent."""

    out: TextIO
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _posted: dict[str, str] = field(default_factory=dict)

    def post(
        self,
        *,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]],
        thread_ts: str | None,
        dedupe_key: str,
    ) -> str:
        indent = "    │ " if thread_ts else ""
        rule = "" if thread_ts else f"\n── {channel} " + "─" * 50 + "\n"
        body = render_blocks(blocks, fallback=text)
        self.out.write(rule + "\n".join(indent + line for line in body.splitlines()) + "\n")
        self.out.flush()
        ts = f"{next(self._counter)}.000000"
        self._posted[dedupe_key] = ts
        return ts

    def update(self, *, channel: str, ts: str, text: str, blocks: list[dict[str, Any]]) -> None:
        self.out.write(f"    ↻ thread {ts} updated: {text}\n")

    def find_posted(
        self, *, channel: str, dedupe_key: str, thread_ts: str | None, oldest: datetime
    ) -> str | None:
        return self._posted.get(dedupe_key)

"""Where alert messages go: Slack's Web API, or the terminal (the demo without Slack).

Errors are sorted into the kinds the sender acts on:

    DeliveryError
     ├── RateLimited          429: wait `retry_after` seconds, then try again
     ├── PermanentFailure     the channel, the token or the message is wrong: stop trying
     └── TransientFailure     an error answer Slack gave: retry with backoff
          └── OutcomeUnknown  no answer, a timeout or a 5xx: Slack may have done it anyway

Lookups read one page of at most `LOOKUP_PAGE` messages inside a window of Slack time:
apps distributed outside Slack's Marketplace get 15 messages a call, one call a minute.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TextIO

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.cli.output.blocks_text import render_blocks
from bot.slack.client import web_client
from storage.outcome import OutcomeWindow

EVENT_TYPE = "entitywatch_alert"
LOOKUP_PAGE = 15
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
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


class OutcomeUnknown(TransientFailure):
    """The request may have been carried out: the answer was lost or was a server error."""


@dataclass(frozen=True, slots=True)
class LookupPage:
    ts: str | None  # the message's ts when this page held it
    remaining: OutcomeWindow | None  # what is still unread; None: the window is done


def slack_ts(moment: datetime) -> str:
    """A datetime as a Slack ts, exactly (integer microseconds, no float rounding)."""
    micros = (moment - _EPOCH) // timedelta(microseconds=1)
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def ts_moment(ts: str) -> datetime:
    seconds, _, fraction = ts.partition(".")
    micros = int(seconds) * 1_000_000 + int((fraction + "000000")[:6])
    return _EPOCH + timedelta(microseconds=micros)


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
        self, *, channel: str, dedupe_key: str, thread_ts: str | None, window: OutcomeWindow
    ) -> LookupPage: ...


@dataclass
class SlackTransport:
    """Posts with a deterministic metadata key so a lost answer can be looked up later."""

    client: WebClient

    @classmethod
    def create(cls, *, token: str, base_url: str) -> SlackTransport:
        return cls(client=web_client(token=token, base_url=base_url, for_delivery=True))

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
        self, *, channel: str, dedupe_key: str, thread_ts: str | None, window: OutcomeWindow
    ) -> LookupPage:
        """Read one page of the window. History comes newest first, so an unread rest lies
        below the oldest message seen; a thread comes oldest first, so above the newest."""
        params: dict[str, Any] = {
            "channel": channel,
            "oldest": slack_ts(window.since),
            "latest": slack_ts(window.until),
            "include_all_metadata": True,
            "limit": LOOKUP_PAGE,
        }
        if thread_ts:
            answer = self._call("conversations_replies", ts=thread_ts, **params)
        else:
            answer = self._call("conversations_history", **params)
        messages = [m for m in answer.get("messages") or [] if m.get("ts") != thread_ts]
        for message in messages:
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("outbox_key") == dedupe_key:
                return LookupPage(ts=str(message["ts"]), remaining=None)
        if not answer.get("has_more") or not messages:
            return LookupPage(ts=None, remaining=None)
        seen = [ts_moment(str(m["ts"])) for m in messages]
        if thread_ts:
            rest = OutcomeWindow(since=max(seen), until=window.until)
        else:
            rest = OutcomeWindow(since=window.since, until=min(seen))
        return LookupPage(ts=None, remaining=rest if rest.since < rest.until else None)

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
            reason = f"{method}: {error} (HTTP {exc.response.status_code})"
            if exc.response.status_code >= 500:  # a gateway or server fault after the work
                raise OutcomeUnknown(reason) from exc
            raise TransientFailure(reason) from exc
        except OSError as exc:  # URLError, connection reset, timeout: the answer may be lost
            raise OutcomeUnknown(f"{method}: {type(exc).__name__}: {exc}") from exc


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
        self, *, channel: str, dedupe_key: str, thread_ts: str | None, window: OutcomeWindow
    ) -> LookupPage:
        return LookupPage(ts=self._posted.get(dedupe_key), remaining=None)

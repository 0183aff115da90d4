"""Alert messages to Slack's Web API, with a deterministic metadata key per message so that a
lost answer can be looked up later; Slack's answers sorted into the kinds the sender acts on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.alerts.transport import (
    EVENT_TYPE,
    LOOKUP_PAGE,
    PERMANENT_ERRORS,
    LookupPage,
    OutcomeUnknown,
    PermanentFailure,
    RateLimited,
    TransientFailure,
    slack_ts,
    ts_moment,
)
from bot.slack.client import web_client
from storage.outcome import OutcomeWindow


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

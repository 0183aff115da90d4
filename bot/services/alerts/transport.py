"""What a transport of alert messages promises, and the errors it sorts answers into; the
transports themselves live with what they talk to: Slack's Web API (bot.slack.transport) and
the terminal (bot.cli.output.terminal_transport).

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

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

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

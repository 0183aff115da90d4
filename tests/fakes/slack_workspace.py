"""In-memory state of the fake Slack workspace: channels, messages, files, views.

Pure data plus a lock; the HTTP layer (``slack_api``) and the method table
(``slack_methods``) read and write it. Every message gets a ``ts`` that is unique
and strictly increasing across the whole workspace, formatted like Slack's
(``"1700000000.000100"``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FIRST_TS_MICROS = 1_700_000_000_000_000
TS_STEP_MICROS = 100


class SlackMethodError(Exception):
    """A Slack API error answered as ``{"ok": false, "error": <error>}``."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass(frozen=True, kw_only=True)
class RecordedCall:
    """One request the fake received, after parsing."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    at: float
    status: int
    error: str | None


@dataclass(frozen=True, kw_only=True)
class UploadedFile:
    """A file shared through files.completeUploadExternal."""

    file_id: str
    filename: str
    title: str | None
    content: bytes
    channel: str | None
    thread_ts: str | None
    initial_comment: str | None


@dataclass(frozen=True, kw_only=True)
class ResponseUrlPost:
    """A JSON payload POSTed to a ``response_url`` (bolt's ``respond()``)."""

    token: str
    payload: dict[str, Any]
    at: float


@dataclass(kw_only=True)
class StoredMessage:
    """A message as history returns it; ``channel`` is kept beside it."""

    channel: str
    fields: dict[str, Any]

    @property
    def ts(self) -> str:
        return str(self.fields["ts"])

    @property
    def thread_ts(self) -> str | None:
        value = self.fields.get("thread_ts")
        return None if value is None else str(value)


@dataclass(kw_only=True)
class PendingUpload:
    file_id: str
    filename: str
    length: int
    content: bytes | None = None


@dataclass(kw_only=True)
class SlackWorkspace:
    """Everything the fake remembers between calls; guard with ``lock``."""

    team_id: str
    bot_user_id: str
    bot_id: str
    lock: threading.RLock = field(default_factory=threading.RLock)
    unknown_channels: set[str] = field(default_factory=set)
    not_joined_channels: set[str] = field(default_factory=set)
    messages: list[StoredMessage] = field(default_factory=list)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Modals opened with views.open, in order (trigger_id and view).
    modals: list[dict[str, Any]] = field(default_factory=list)
    uploads: dict[str, PendingUpload] = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)
    # Seconds since the epoch for new message ts; None keeps the plain counter.
    ts_clock: Callable[[], float] | None = None
    # Issues a Socket Mode connection URL for apps.connections.open; None: a dead URL.
    socket_mode_url: Callable[[], str] | None = None
    _next_ts: int = FIRST_TS_MICROS
    _last_clock_ts: int = 0
    _next_file: int = 1

    def clear(self) -> None:
        with self.lock:
            self.unknown_channels.clear()
            self.not_joined_channels.clear()
            self.messages.clear()
            self.ephemerals.clear()
            self.views.clear()
            self.modals.clear()
            self.uploads.clear()
            self.files.clear()

    def new_ts(self) -> str:
        with self.lock:
            if self.ts_clock is None:
                self._next_ts += TS_STEP_MICROS
                micros = self._next_ts
            else:
                # Like Slack: the ts is the time the message was stored, still unique.
                stored = int(self.ts_clock() * 1_000_000)
                micros = self._last_clock_ts = max(self._last_clock_ts + TS_STEP_MICROS, stored)
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def new_file_id(self) -> str:
        with self.lock:
            number = self._next_file
            self._next_file += 1
        return f"F{number:010d}"

    def check_channel(self, channel: str | None) -> str:
        """Return the channel, or raise the error Slack gives for using it."""
        if not channel or channel in self.unknown_channels:
            raise SlackMethodError("channel_not_found")
        if channel in self.not_joined_channels:
            raise SlackMethodError("not_in_channel")
        return channel

    def find(self, *, channel: str, ts: str) -> StoredMessage | None:
        with self.lock:
            for message in self.messages:
                if message.channel == channel and message.ts == ts:
                    return message
        return None

    def in_channel(self, channel: str) -> list[StoredMessage]:
        with self.lock:
            return [m for m in self.messages if m.channel == channel]

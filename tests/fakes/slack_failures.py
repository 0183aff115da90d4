"""Scripted failures for the fake Slack Web API (``FakeSlackApi.fail_next``)."""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass

from tests.fakes.slack_handler import ApiAnswer

# What Slack answers on HTTP 429, and what the fake answers on other statuses.
RATELIMITED = "ratelimited"
SERVER_ERROR = "internal_error"


@dataclass(frozen=True, kw_only=True)
class Failure:
    """One scripted answer that replaces the next call of a method."""

    status: int
    error: str
    ok: bool
    retry_after: int | None

    def answer(self) -> ApiAnswer:
        headers: dict[str, str] = {}
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        body = json.dumps({"ok": self.ok, "error": self.error}).encode()
        return ApiAnswer(status=self.status, body=body, headers=headers)


def build_failure(
    *,
    status: int | None,
    error: str | None,
    ok: bool,
    retry_after: int | None,
) -> Failure:
    """Fill in what the caller left out, the way Slack would answer."""
    if status is None and error is None:
        raise ValueError("fail_next needs a status, an error, or both")
    status = 200 if status is None else status
    if error is None:
        error = RATELIMITED if status == 429 else SERVER_ERROR
    if status == 429 and retry_after is None:
        retry_after = 1
    return Failure(status=status, error=error, ok=ok, retry_after=retry_after)


class FailureQueue:
    """Per-method FIFO of scripted failures; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, deque[Failure]] = {}

    def push(self, method: str, failure: Failure, *, times: int) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._queues.setdefault(method, deque()).extend([failure] * times)

    def pop(self, method: str) -> Failure | None:
        with self._lock:
            queue = self._queues.get(method)
            return queue.popleft() if queue else None

    def pending(self, method: str) -> int:
        with self._lock:
            return len(self._queues.get(method, ()))

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()

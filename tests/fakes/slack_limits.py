"""Slack's rate limit on history reads, enforced by the fake (``FakeSlackApi.limit_history``).

Slack counts conversations.history and conversations.replies per app and workspace;
an app distributed outside the Marketplace gets one call a minute and at most 15
messages a call (a larger ``limit`` is cut down, not refused). The clock is
injectable so a test can spend "minutes" without waiting for them.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

HISTORY_METHODS = frozenset({"conversations.history", "conversations.replies"})
WINDOW_SECONDS = 60.0


@dataclass
class HistoryLimit:
    """A sliding one-minute window of history calls shared by both methods."""

    per_minute: int
    max_messages: int
    clock: Callable[[], float] = time.time
    _calls: deque[float] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def admit(self) -> float | None:
        """None if the call may proceed (and count it), else the Retry-After in seconds."""
        now = self.clock()
        with self._lock:
            while self._calls and self._calls[0] <= now - WINDOW_SECONDS:
                self._calls.popleft()
            if len(self._calls) >= self.per_minute:
                return max(1.0, math.ceil(self._calls[0] + WINDOW_SECONDS - now))
            self._calls.append(now)
            return None

    def capped(self, params: dict[str, object]) -> dict[str, object]:
        """The params with ``limit`` cut to what this app may read per call."""
        try:
            asked = int(str(params.get("limit", self.max_messages)))
        except ValueError:
            asked = self.max_messages
        return params | {"limit": min(asked, self.max_messages)}

"""An APScheduler trigger for a source with fast polling windows: `fast_seconds` apart
inside the windows, the source's usual interval outside them, and a run at each window's
start however long the usual interval is (watchers.poll_windows decides; this adapts it).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger

from watchers.poll_windows import PollWindows


class WindowedIntervalTrigger(BaseTrigger):  # type: ignore[misc]
    def __init__(self, *, windows: PollWindows, slow_seconds: int, jitter_seconds: int) -> None:
        self.windows = windows
        self.slow_seconds = slow_seconds
        self.jitter_seconds = jitter_seconds

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        if previous_fire_time is None:
            return now
        planned = self.windows.next_poll(previous_fire_time, slow_seconds=self.slow_seconds)
        if self.windows.inside(planned) or planned == self.windows.next_start(previous_fire_time):
            # In (or at the start of) a window every second counts: no jitter; only the
            # leader polls, so replicas cannot fall into lockstep anyway.
            return planned
        # Jitter spreads the sources' requests, not a secret: any generator will do.
        return planned + timedelta(seconds=random.uniform(0, self.jitter_seconds))  # noqa: S311

    def __str__(self) -> str:
        spans = ",".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in self.windows.windows)
        return (
            f"windowed[{spans} {self.windows.zone} every {self.windows.fast_seconds}s, "
            f"else {self.slow_seconds}s]"
        )

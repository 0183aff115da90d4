"""Fast polling windows: times of day (in one time zone) when a source is polled at a
short interval, and at its usual interval outside them.

The Federal Register's Public Inspection desk takes regular filings at 08:45 ET and
special filings at other times (often around 16:15 ET); BIS rules are often effective on
filing, so those minutes are worth a poll a minute, and the rest of the day is not.
Pure: the scheduler's trigger (bot.services.poll_trigger) asks `next_poll` for each run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

_WINDOW = re.compile(r"(\d{2}):(\d{2})-(\d{2}):(\d{2})")
WINDOW_FORM = "use HH:MM-HH:MM, comma-separated, e.g. 08:40-09:30,16:00-16:30"


@dataclass(frozen=True, slots=True)
class PollWindows:
    """Windows [start, end) of local time in `zone`, polled every `fast_seconds`."""

    windows: tuple[tuple[time, time], ...]
    zone: str
    fast_seconds: int

    def inside(self, moment: datetime) -> bool:
        local = moment.astimezone(ZoneInfo(self.zone)).time()
        return any(start <= local < end for start, end in self.windows)

    def next_start(self, moment: datetime) -> datetime | None:
        """The first window start strictly after `moment` (looking two days ahead)."""
        zone = ZoneInfo(self.zone)
        day = moment.astimezone(zone).date()
        starts = [
            datetime.combine(day + timedelta(days=offset), start, tzinfo=zone)
            for offset in (0, 1, 2)
            for start, _ in self.windows
        ]
        later = [s for s in starts if s > moment]
        return min(later) if later else None

    def next_poll(self, previous: datetime, *, slow_seconds: int) -> datetime:
        """When to poll after a poll at `previous`: `fast_seconds` later inside a window,
        else `slow_seconds` later but no later than the next window's start."""
        fast = previous + timedelta(seconds=self.fast_seconds)
        if self.inside(fast):
            return fast
        slow = previous + timedelta(seconds=slow_seconds)
        start = self.next_start(previous)
        return min(slow, start) if start is not None else slow


def parse_windows(text: str) -> tuple[tuple[time, time], ...]:
    """`08:40-09:30,16:00-16:30` -> ((08:40, 09:30), (16:00, 16:30)); empty text: none.
    Raises ValueError naming the part that does not read."""
    windows: list[tuple[time, time]] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        found = _WINDOW.fullmatch(part)
        if not found:
            raise ValueError(f"{part!r} is not a time window; {WINDOW_FORM}")
        h1, m1, h2, m2 = (int(g) for g in found.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(f"{part!r} is not a time of day; {WINDOW_FORM}")
        start, end = time(h1, m1), time(h2, m2)
        if end <= start:
            raise ValueError(
                f"{part!r} ends before it starts (a window cannot cross midnight); {WINDOW_FORM}"
            )
        windows.append((start, end))
    return tuple(sorted(windows))

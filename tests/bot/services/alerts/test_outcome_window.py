"""Pure parts of the lookup: Slack ts <-> time without rounding, windows that merge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services.alerts.transport import slack_ts, ts_moment
from storage.outcome import OutcomeWindow

T0 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "ts", ["1700000000.000100", "1764568800.999999", "1764568800.000000", "0.000001"]
)
def test_slack_ts_round_trips_exactly(ts: str) -> None:
    assert slack_ts(ts_moment(ts)) == ts


def test_a_short_fraction_is_read_as_microseconds() -> None:
    assert ts_moment("1764568800.5") == datetime(2025, 12, 1, 6, 0, 0, 500000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("a", "b", "merged"),
    [
        ((0, 10), None, (0, 10)),
        ((0, 10), (5, 20), (0, 20)),
        ((5, 8), (0, 30), (0, 30)),
        ((20, 30), (0, 10), (0, 30)),  # two lost attempts: look in both, and between
    ],
)
def test_windows_merge_to_cover_every_unknown_attempt(
    a: tuple[int, int], b: tuple[int, int] | None, merged: tuple[int, int]
) -> None:
    def window(pair: tuple[int, int]) -> OutcomeWindow:
        return OutcomeWindow(
            since=T0 + timedelta(seconds=pair[0]), until=T0 + timedelta(seconds=pair[1])
        )

    assert window(a).merge(window(b) if b else None) == window(merged)

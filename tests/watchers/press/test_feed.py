"""RSS and Atom bytes -> PressItem, on hand-made feeds that carry the real seed text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from watchers.press.errors import FeedError
from watchers.press.feed import parse_feed

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "press"


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        (
            "press-feed.rss.xml",
            # guid; no guid and no link -> content hash; no guid -> link
            ["press-example-2019-10-entity-list-28", "sha256:", "https://press.example.invalid/"],
        ),
        ("press-feed.atom.xml", ["tag:press.example.invalid,2019:"] * 3),
    ],
)
def test_items_and_their_keys(name: str, keys: list[str]) -> None:
    items = parse_feed((FIXTURES / name).read_bytes())
    assert len(items) == 3
    assert all(item.key.startswith(key) for item, key in zip(items, keys, strict=True))
    seed = items[0]
    assert seed.title.startswith("U.S. Commerce Dept. adds 28 Chinese organizations")
    assert seed.published == datetime(2019, 10, 8, 18, 30, tzinfo=UTC)
    assert "<p>" not in seed.summary
    assert "Dahua, Hikvision" in seed.summary


def test_keys_are_stable_across_parses() -> None:
    data = (FIXTURES / "press-feed.rss.xml").read_bytes()
    assert [i.key for i in parse_feed(data)] == [i.key for i in parse_feed(data)]


def test_empty_channel_is_not_an_error() -> None:
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    assert parse_feed(data) == ()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<!DOCTYPE html><html><head><title>Blocked</title></head><body><p>No.</p></body></html>",
        # cut before the first item; a feed cut inside an item still yields that item
        # (feedparser recovers), which `parse_feed` accepts as the brief asks
        b'<?xml version="1.0"?><rss version="2.0"><chan',
        b'{"results": []}',
    ],
    ids=["empty", "html", "truncated", "json"],
)
def test_not_a_feed_raises(data: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(data)

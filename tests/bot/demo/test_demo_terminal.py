"""The demo's terminal: colour only on a real terminal, and no Slack ids in what it prints."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator

import pytest

from bot.demo.terminal import DemoTerminal, Palette, wants_colour

BLOCKS = [{"type": "header", "text": {"type": "plain_text", "text": "Entity List: 13 added"}}]


@pytest.fixture
def tty() -> Iterator[io.TextIOWrapper]:
    """A real pseudo-terminal, as a text stream."""
    leader, follower = os.openpty()
    with os.fdopen(follower, "w") as stream:
        yield stream
    os.close(leader)


def test_colour_on_a_terminal_unless_no_color(tty: io.TextIOWrapper) -> None:
    assert wants_colour(tty, {"TERM": "xterm-256color"})
    assert not wants_colour(tty, {"NO_COLOR": "1"})
    assert not wants_colour(tty, {"TERM": "dumb"})


def test_no_colour_when_piped() -> None:
    read, write = os.pipe()
    with os.fdopen(write, "w") as pipe:
        assert not wants_colour(pipe, {})
    os.close(read)
    assert not wants_colour(io.StringIO(), {})


@pytest.mark.parametrize("colour", [True, False])
def test_alerts_are_painted_only_in_colour(colour: bool) -> None:
    out = io.StringIO()
    terminal = DemoTerminal(out=out, palette=Palette(colour=colour))
    terminal.say("1. Day 0")
    parent = terminal.post(
        channel="#compliance", text="x", blocks=BLOCKS, thread_ts=None, dedupe_key="a"
    )
    terminal.post(channel="#compliance", text="reply", blocks=[], thread_ts=parent, dedupe_key="b")
    assert ("\033[" in out.getvalue()) is colour
    plain = re.sub(r"\033\[\d+m", "", out.getvalue())
    assert "Entity List: 13 added" in plain and "    │ reply" in plain


def test_a_parent_update_says_what_changed_in_words() -> None:
    out = io.StringIO()
    terminal = DemoTerminal(out=out, palette=Palette(colour=False))
    ts = terminal.post(channel="#c", text="x", blocks=BLOCKS, thread_ts=None, dedupe_key="a")
    terminal.update(channel="#c", ts=ts, text="Entity List: 14 added", blocks=[])
    terminal.update(channel="#c", ts=ts, text="Entity List: 14 added", blocks=[])
    lines = out.getvalue().splitlines()
    assert lines[-2] == (
        "    ↻ the thread's first message, “Entity List: 13 added”, now reads: "
        "Entity List: 14 added"
    )
    assert lines[-1] == "    ↻ the thread's first message is refreshed; its summary is unchanged"
    assert ts not in out.getvalue()

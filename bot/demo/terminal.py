"""The demo's terminal: alerts as Slack would show them, in colour on a real terminal.

Colour follows the usual conventions: only when the output is a terminal, never
when `NO_COLOR` is set (https://no-color.org) or `TERM=dumb`, so a piped or
redirected transcript is plain text.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from bot.cli.output.blocks_text import render_blocks
from bot.services.alerts.transport import LookupPage
from storage.outcome import OutcomeWindow

BOLD, DIM, CYAN, YELLOW, RESET = "\033[1m", "\033[2m", "\033[36m", "\033[33m", "\033[0m"
THREAD_BAR = "    │ "


def wants_colour(stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except ValueError:  # a closed stream
        return False


@dataclass(frozen=True, slots=True)
class Palette:
    colour: bool

    def paint(self, text: str, *styles: str) -> str:
        return f"{''.join(styles)}{text}{RESET}" if self.colour and text else text


@dataclass
class DemoTerminal:
    """An `AlertTransport` that prints. Replies are indented under their parent; an update
    of the parent says in words what changed instead of showing Slack's message ids."""

    out: TextIO
    palette: Palette
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _posted: dict[str, str] = field(default_factory=dict)
    _titles: dict[str, str] = field(default_factory=dict)

    def say(self, text: str) -> None:
        """A line of the demo's own narration (stage headers, prompts)."""
        self.out.write("\n" + self.palette.paint(f"▶ {text}", BOLD, CYAN) + "\n")
        self.out.flush()

    def post(
        self,
        *,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]],
        thread_ts: str | None,
        dedupe_key: str,
    ) -> str:
        lines = render_blocks(blocks, fallback=text).splitlines()
        if thread_ts:
            bar = self.palette.paint(THREAD_BAR, DIM)
            body = [bar + line for line in lines]
        else:
            rule = self.palette.paint(f"── {channel} " + "─" * 50, DIM)
            body = ["", rule, *(self.palette.paint(line, BOLD) if i == 0 else line
                                for i, line in enumerate(lines))]  # fmt: skip
        self.out.write("\n".join(body) + "\n")
        self.out.flush()
        ts = f"{next(self._counter)}.000000"  # Slack's ts format; never shown
        self._posted[dedupe_key] = ts
        self._titles[ts] = lines[0] if lines else text
        return ts

    def update(self, *, channel: str, ts: str, text: str, blocks: list[dict[str, Any]]) -> None:
        was = self._titles.get(ts, "the thread's first message")
        self._titles[ts] = text
        if was == text:
            line = "    ↻ the thread's first message is refreshed; its summary is unchanged"
        else:
            line = f"    ↻ the thread's first message, “{was}”, now reads: {text}"
        self.out.write(self.palette.paint(line, YELLOW) + "\n")
        self.out.flush()

    def find_posted(
        self, *, channel: str, dedupe_key: str, thread_ts: str | None, window: OutcomeWindow
    ) -> LookupPage:
        return LookupPage(ts=self._posted.get(dedupe_key), remaining=None)

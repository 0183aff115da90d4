"""Alert messages printed as Slack would show them: the demo without Slack."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, TextIO

from bot.cli.output.blocks_text import render_blocks
from bot.services.alerts.transport import LookupPage
from storage.outcome import OutcomeWindow


@dataclass
class TerminalTransport:
    """Prints alerts as Slack would show them; replies are indented under their parent."""

    out: TextIO
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _posted: dict[str, str] = field(default_factory=dict)

    def post(
        self,
        *,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]],
        thread_ts: str | None,
        dedupe_key: str,
    ) -> str:
        indent = "    │ " if thread_ts else ""
        rule = "" if thread_ts else f"\n── {channel} " + "─" * 50 + "\n"
        body = render_blocks(blocks, fallback=text)
        self.out.write(rule + "\n".join(indent + line for line in body.splitlines()) + "\n")
        self.out.flush()
        ts = f"{next(self._counter)}.000000"
        self._posted[dedupe_key] = ts
        return ts

    def update(self, *, channel: str, ts: str, text: str, blocks: list[dict[str, Any]]) -> None:
        self.out.write(f"    ↻ thread {ts} updated: {text}\n")

    def find_posted(
        self, *, channel: str, dedupe_key: str, thread_ts: str | None, window: OutcomeWindow
    ) -> LookupPage:
        return LookupPage(ts=self._posted.get(dedupe_key), remaining=None)

"""How an import command reports the lines it refused, and when it fails for them: the
watchlist's and the ownership's imports say it the same way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.cli.output.terminal_text import visible
from bot.errors import UserError

# Refused lines printed one by one; the rest are counted.
SHOWN_REFUSALS = 20


class RefusedLine(Protocol):
    @property
    def line(self) -> int: ...

    @property
    def reason(self) -> str: ...


def refusal_lines(refused: Sequence[RefusedLine], *, count: int) -> list[str]:
    lines = [f"  line {r.line}: {visible(r.reason)}" for r in refused[:SHOWN_REFUSALS]]
    if count > SHOWN_REFUSALS:
        lines.append(f"  ... and {count - SHOWN_REFUSALS:,} more refused lines")
    return lines


def fail_if_incomplete(*, refused: int, replace_skipped: str | None, source: str) -> None:
    """Refused lines, or a --replace that did not run, are not a clean import: exit 1."""
    problems = []
    if refused:
        problems.append(f"{refused:,} line(s) refused (listed above)")
    if replace_skipped:
        problems.append(replace_skipped)
    if problems:
        raise UserError(
            f"{source}: {' and '.join(problems)}; the other lines were stored. "
            "Fix the file and import it again"
        )

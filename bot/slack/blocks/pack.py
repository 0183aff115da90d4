"""Fit rendered parts into Slack's Block Kit limits.

Slack rejects a message (`invalid_blocks`) rather than cutting it, so every limit
is enforced here: at most 50 blocks, a header of at most 150 characters, section
and context text of at most 3000. A part that needs more than `SECTIONS_PER_PART`
sections ends with a line saying how much was left out; the terminal digest
(`entitywatch digest --print`) always has everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.slack.blocks.kit import MAX_BLOCKS, SECTION_CHARS, context, header, section
from bot.slack.blocks.markup import shorten

SECTIONS_PER_PART = 4
# Room kept in a section for the "N more lines" note.
NOTE_ROOM = 120


@dataclass(frozen=True, slots=True)
class Part:
    """A titled run of lines: one topic of the digest."""

    title: str
    lines: tuple[str, ...]


def pack(*, title: str, subtitle: str, parts: list[Part]) -> list[dict[str, Any]]:
    blocks = [header(title), context(subtitle)]
    for part in parts:
        blocks += [{"type": "divider"}, *part_sections(part)]
    if len(blocks) > MAX_BLOCKS:
        note = context(
            "The digest was cut to fit one Slack message; `entitywatch digest` has it all."
        )
        blocks = [*blocks[: MAX_BLOCKS - 1], note]
    return blocks


def part_sections(part: Part) -> list[dict[str, Any]]:
    """The part's title and lines in as few sections as fit, at most `SECTIONS_PER_PART`."""
    chunks: list[list[str]] = [[part.title]]
    size = len(part.title)
    limit = SECTION_CHARS - NOTE_ROOM
    # A line is cut to fit beside the title, so that a title never stands alone.
    line_limit = limit - len(part.title) - 1
    for index, raw in enumerate(part.lines):
        line = raw if len(raw) <= line_limit else shorten(raw, line_limit)
        if size + 1 + len(line) > limit:
            if len(chunks) == SECTIONS_PER_PART:
                left = len(part.lines) - index
                chunks[-1].append(f"…and {left} more line{'s' if left != 1 else ''} not shown")
                break
            chunks.append([])
            size = -1
        chunks[-1].append(line)
        size += 1 + len(line)
    return [section("\n".join(chunk)) for chunk in chunks]

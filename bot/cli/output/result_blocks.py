"""Screening results as text blocks that fit the terminal: one block per candidate.

A table with one line per candidate was 250 to 330 characters wide on real
names and wrapped into an unreadable mess in a 120-column terminal. A block
has a head line (rank, band, score, the entry's name) and labelled lines
below it, each wrapped inside the width with its continuation indented under
its value, so that the matched name, the matched address and the entry's
own addresses each have their own place.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence

from bot.cli.output.terminal_text import visible
from bot.services.answer_sources import source_note
from bot.services.omitted import more_candidates_line
from reference.lists import list_name
from screening import ScreeningResult
from screening.results import MATCHED_ON_ADDRESS

# Wider terminals get 120 columns too: longer lines are harder to read, not easier.
MAX_WIDTH = 120
MIN_WIDTH = 60
INDENT = "   "
# Addresses listed under one candidate; the rest are counted ("+3 more").
ADDRESSES_SHOWN = 2


def terminal_width() -> int:
    """The width to wrap at: $COLUMNS, else the terminal's when the answer goes to one,
    within 60..120; 120 when piped (shutil would ask the process's original stdout, which
    may be a terminal while the answer goes to a file or a pipe)."""
    if os.environ.get("COLUMNS", "").isdigit():
        columns = int(os.environ["COLUMNS"])
    elif sys.stdout.isatty():
        columns = shutil.get_terminal_size((MAX_WIDTH, 24)).columns
    else:
        columns = MAX_WIDTH
    return max(MIN_WIDTH, min(columns, MAX_WIDTH))


def render_results(
    results: Sequence[ScreeningResult],
    *,
    addresses: Callable[[ScreeningResult], tuple[str, ...]],
    width: int,
) -> list[str]:
    """The blocks of `results`, ranked, every line at most `width` characters."""
    lines: list[str] = []
    for rank, result in enumerate(results, start=1):
        lines += _block(rank, result, addresses=addresses(result), width=width)
    return lines


def count_line(shown: int, omitted: Mapping[str, int]) -> str:
    """How many candidates are shown and, per list, how many more the limit left out."""
    line = f"{shown} candidate{'s' if shown != 1 else ''} shown"
    more = more_candidates_line(omitted)
    if more:
        line += f"; not shown: {more} (raise --limit to see them)"
    return line


def wrapped(text: str, *, width: int, first: str = "", rest: str = INDENT) -> list[str]:
    """`text` wrapped at `width`; a word longer than a line is broken, never overflows."""
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _block(
    rank: int, result: ScreeningResult, *, addresses: tuple[str, ...], width: int
) -> list[str]:
    entry = result.entry
    head = f"{rank}. {result.band} {result.score:.2f}  "
    lines = wrapped(visible(entry.name), width=width, first=head, rest=" " * len(head))
    lines += _field("list", _list_text(result), width=width)
    if entry.fr_citations:
        lines += _field("FR", entry.fr_citations[0], width=width)
    if result.matched_on == MATCHED_ON_ADDRESS:
        lines += _field("matched address", visible(result.matched_name), width=width)
        others = tuple(a for a in addresses if a != result.matched_name)
        lines += _addresses("other address", others, width=width)
    else:
        if result.matched_name != entry.name:
            lines += _field("matched name", visible(result.matched_name), width=width)
        lines += _addresses("address", addresses, width=width)
    lines += _field("why", visible(result.why), width=width)
    return lines


def _list_text(result: ScreeningResult) -> str:
    entry = result.entry
    text = f"{entry.list_code} ({list_name(entry.list_code)})"
    # Entries known only from a Federal Register rule say so: the CSL has not caught up.
    note = source_note(entry.source)
    if note:
        text = f"{entry.list_code} ({note})"
    countries = ",".join(result.countries)
    return text + (f" · country: {countries}" if countries else "")


def _addresses(label: str, addresses: tuple[str, ...], *, width: int) -> list[str]:
    if not addresses:
        return []
    text = "; ".join(visible(a) for a in addresses[:ADDRESSES_SHOWN])
    if len(addresses) > ADDRESSES_SHOWN:
        text += f" (and {len(addresses) - ADDRESSES_SHOWN} more)"
    return _field(label + ("es" if len(addresses) > 1 else ""), text, width=width)


def _field(label: str, value: str, *, width: int) -> list[str]:
    first = f"{INDENT}{label}: "
    return wrapped(value, width=width, first=first, rest=INDENT + "  ")

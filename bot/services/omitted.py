"""The line that says how many candidates a screening answer left out, per list."""

from __future__ import annotations

from collections.abc import Mapping

from reference.lists import list_name


def more_candidates_line(omitted: Mapping[str, int]) -> str | None:
    """'+12 more on the Entity List, +3 more on the SDN List', largest first; None if none."""
    parts = [
        f"+{count} more on the {list_name(code)}"
        for code, count in sorted(omitted.items(), key=lambda item: (-item[1], item[0]))
        if count > 0
    ]
    return ", ".join(parts) if parts else None

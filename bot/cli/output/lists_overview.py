"""`entitywatch lists status` as text: the lists' state, then one line per list. Pure."""

from __future__ import annotations

from datetime import datetime

from bot.services.lists_lines import list_line
from bot.services.lists_overview import ListsOverview
from bot.services.lists_status import dating


def render_overview(overview: ListsOverview) -> str:
    state = overview.status
    head = f"screening lists: {state.state}" + (f" ({state.reason})" if state.reason else "")
    lines = [head, dating(state)]
    if overview.ecfr_amended_on or overview.ecfr_read_at:
        through = overview.ecfr_amended_on.isoformat() if overview.ecfr_amended_on else "unknown"
        lines.append(f"eCFR text through {through}, read {_when(overview.ecfr_read_at)}")
    width = max((len(item.list_code) for item in overview.lists), default=4)
    lines += [f"{item.list_code:<{width}}  {list_line(item)}" for item in overview.lists]
    return "\n".join(lines)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never"

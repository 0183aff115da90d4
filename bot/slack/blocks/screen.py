"""Block Kit for /screen answers. Pure: results (as dicts) and the lists' status in, a message
payload out. Every answer is dated; with stale lists a "no match" reads "cannot clear"."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.services.answer_sources import source_note
from bot.services.lists_status import CANNOT_CLEAR, UNCHECKED, ListsStatus, dating, verdict
from bot.services.omitted import more_candidates_line
from bot.slack.blocks.kit import clip, context, escape, safe_url, section
from screening.display import controls_shown
from watchers.federal_register.countries import country_name

SHARE_ACTION = "screen_share"
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")
BAND_ICONS = {
    "match": "🔴 MATCH",
    "review": "🟡 REVIEW",
    "no match": "🟢 no match",
    CANNOT_CLEAR: "⚠️ CANNOT CLEAR",
}
USAGE = (
    "Usage: `/screen <company or person name>`, e.g. `/screen Hikvision`. "
    "Screens the name against every US screening list and shows the best candidates; "
    "only you see the answer unless you share it."
)


def usage_payload() -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": USAGE, "blocks": [section(USAGE)]}


def result_block(rank: int, result: dict[str, Any]) -> dict[str, Any]:
    band = BAND_ICONS.get(str(result["band"]), str(result["band"]))
    country = ", ".join(country_name(c) for c in result.get("countries") or []) or "—"
    source = str(result.get("source") or "CSL")
    lines = [
        f"*{rank}. {escape(result['entry_name'])}*  {band} · score {float(result['score']):.2f}",
        f"List: *{escape(result['list'])}* · Country: {escape(country)} · "
        f"Source: {escape(source_note(source) or source)}",
    ]
    if result.get("entity_type") == "address":
        lines.append("Address-only entry: the listed party is this address")
    addresses = [str(a) for a in result.get("addresses") or []]
    if result.get("matched_on") == "address":
        lines.append(f"Matched address: _{escape(result['name'])}_")
        addresses = [a for a in addresses if a != result["name"]]
        label = "Other addresses"
    else:
        if result.get("name") and result["name"] != result["entry_name"]:
            lines.append(f"Matched name: _{escape(result['name'])}_")
        label = "Address"
    if addresses:
        more = f" (and {len(addresses) - 1} more)" if len(addresses) > 1 else ""
        lines.append(f"{label}: {escape(clip(addresses[0], 300))}{more}")
    if result.get("fr_citation"):
        lines.append(f"FR: {escape(result['fr_citation'])}")
    lines.append(f"Why: {escape(result.get('why') or '')}")
    urls = [u for u in result.get("source_urls") or [] if safe_url(str(u))][:2]
    if urls:
        lines.append(" · ".join(f"<{u}|source list>" for u in urls))
    return section("\n".join(lines))


def decision_block(notes: Sequence[str]) -> dict[str, Any]:
    """The watchlist decisions that stand about one result's listed entry."""
    lines = [f"📌 Decision: {escape(note)}" for note in notes[:5]]
    return context("\n".join(lines))


def screen_payload(
    *,
    query: str,
    results: Sequence[dict[str, Any]],
    error: str | None,
    shared_by: str | None = None,
    omitted: Mapping[str, int] | None = None,
    lists: ListsStatus = UNCHECKED,
    decisions: Mapping[str, Sequence[str]] | None = None,
    ownership: Sequence[str] = (),
) -> dict[str, Any]:
    """`ownership`: what the affiliates rule makes of a watched counterparty's owners."""
    # A query with direction controls shows them, and what it displays as.
    shown = escape(clip(controls_shown(query), 300))
    if error:
        text = escape(f"Cannot screen “{clip(controls_shown(query), 120)}”: {error}")
        return {
            "response_type": "ephemeral",
            "text": text,
            "blocks": [section(text), context(USAGE)],
        }
    top = verdict(str(results[0]["band"]) if results else "no match", lists)
    title = f"Screening “{shown}”: {BAND_ICONS.get(top, top)}"
    blocks: list[dict[str, Any]] = [section(title)]
    if not lists.can_clear:
        blocks.append(section(lists_warning(lists, found=bool(results))))
    if not results and lists.can_clear:
        blocks.append(section("No candidate on any list scored high enough to show."))
    if ownership:
        lines = "\n".join(escape(clip(line, 600)) for line in ownership[:6])
        blocks.append(section(f":office: *Ownership (affiliates rule)*\n{lines}"))
    if results:
        # Under the verdict, before the candidates: how much of the answer is on screen.
        blocks.append(context(escape(count_text(len(results), omitted or {}))))
    for rank, result in enumerate(results, start=1):
        blocks.append(result_block(rank, result))
        notes = (decisions or {}).get(str(result.get("entry_key")))
        if notes:
            blocks.append(decision_block(notes))
    blocks.append(context(escape(_capital(dating(lists)))))
    footer = "Kept in the screening audit trail"
    if shared_by:
        # A mention only of a well-formed user id: anything else would be mrkdwn of its own.
        who = f"<@{shared_by}>" if _USER_ID.fullmatch(shared_by) else escape(shared_by)
        footer += f" · shared by {who}, screened again just now"
    blocks.append(context(footer))
    if not shared_by:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": SHARE_ACTION,
                        "text": {"type": "plain_text", "text": "Share in channel"},
                        # The query itself: sharing screens it again and audits that too.
                        "value": query[:2000],
                    }
                ],
            }
        )
    return {
        "response_type": "in_channel" if shared_by else "ephemeral",
        # The query is the user's own text, and a shared answer is posted in the channel.
        "text": escape(f"Screening {clip(controls_shown(query), 120)}: {top}"),
        "blocks": blocks[:50],
    }


def count_text(shown: int, omitted: Mapping[str, int]) -> str:
    """'3 candidates shown · +23 more on the Entity List, not shown'."""
    text = f"{shown} candidate{'s' if shown != 1 else ''} shown"
    more = more_candidates_line(omitted)
    return f"{text} · {more}, not shown" if more else text


def lists_warning(lists: ListsStatus, *, found: bool) -> str:
    reason = escape(lists.reason or "the lists are not current")
    if found:
        return (
            f"⚠️ *The lists are not current* ({reason}): the candidates below are real, but "
            "a name without one here could still be listed."
        )
    return f"⚠️ *Cannot clear this name*: {reason}. No candidate was found in what is loaded."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]

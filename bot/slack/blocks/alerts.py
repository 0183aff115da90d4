"""Block Kit for alerts. Pure: a group of changes in, `Message`s out, within Slack's limits.

Slack allows 50 blocks a message, 3,000 characters a section text and 150 a header.
An action with more entities than one message holds is split into parts: the
first is the thread's parent, the rest reply in its thread.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from bot.services.alerts.model import ENTRY_KINDS, REGULATION_TEXT_SOURCE, ChangeView, Message
from bot.slack.blocks.alert_entries import VERBS, entry_items, paginate_items
from bot.slack.blocks.kit import MAX_BLOCKS, clip, context, escape, header, safe_url, section
from bot.slack.blocks.rule_meaning import effective_phrase, end_dates, meaning_lines, rule_title
from reference.countries import country_name
from reference.lists import list_name

# Blocks of entries and policy headings per message: leaves room for the header,
# the signal lines, the facts and a part line within Slack's 50 blocks.
ENTITIES_PER_MESSAGE = 40
# The sources reconciliation compares with the rules, as an alert's title names them.
_COMPARED = {"csl": "The CSL", REGULATION_TEXT_SOURCE: "The eCFR"}
# Signals about a Federal Register document: their alert must state the effective date.
_DOCUMENT_KINDS = frozenset({"public_inspection", "rule_published"})


def headline(entries: Sequence[ChangeView]) -> str:
    """'Entity List: 13 entries added (China 5, Russia 3, ...)'."""
    kinds = Counter(c.kind for c in entries)
    if all(c.content.get("entity_type") == "address" for c in entries):
        noun = "address" if len(entries) == 1 else "addresses"
    else:
        noun = "entry" if len(entries) == 1 else "entries"
    if len(kinds) == 1:
        what = f"{len(entries)} {noun} {VERBS[next(iter(kinds))]}"
    else:
        what = f"{len(entries)} {noun}: " + ", ".join(
            f"{n} {VERBS[k]}" for k, n in kinds.most_common()
        )
    countries = Counter(cc for c in entries for cc in c.countries[:1] or ["??"])
    by_country = ", ".join(f"{country_name(cc)} {n}" for cc, n in countries.most_common(5))
    more = ", ..." if len(countries) > 5 else ""
    lists = " / ".join(list_name(code) for code in sorted({c.list_code or "" for c in entries}))
    return f"{lists}: {what} ({by_country}{more})"


def facts_block(changes: Sequence[ChangeView]) -> dict[str, Any] | None:
    """Effective date, FR citation and links, from whichever signal carries them."""
    facts: list[str] = []
    effective = next((c.effective_date for c in changes if c.effective_date), None)
    on_desk = effective_phrase(changes)
    if on_desk and not (effective and on_desk.startswith("see rule")):
        # The filing's own DATES text: "effective on filing" is said as such.
        facts.append(f"*Effective date:* {escape(on_desk)}")
    elif effective:
        facts.append(f"*Effective date:* {effective.isoformat()}")
    elif _about_a_document(changes):
        # Never guessed (a filing's publication date is not when the rule takes effect).
        facts.append("*Effective date:* see rule")
    ends = end_dates(changes)
    if ends:
        facts.append(f"*End dates:* {escape('; '.join(ends))}")
    citations = sorted(
        {
            cite
            for c in changes
            if c.kind in ENTRY_KINDS
            for cite in c.content.get("fr_citations") or []
        }
        | {c.after["citation"] for c in changes if c.after and c.after.get("citation")}
    )
    if citations:
        facts.append(f"*FR citation:* {escape(', '.join(citations[:4]))}")
    links = _links(changes)
    if links:
        facts.append(" · ".join(f"<{url}|{escape(label)}>" for label, url in links))
    return section("\n".join(facts)) if facts else None


def _about_a_document(changes: Sequence[ChangeView]) -> bool:
    return any(
        c.kind in _DOCUMENT_KINDS or (c.kind in ENTRY_KINDS and c.source == "federal_register")
        for c in changes
    )


def _links(changes: Sequence[ChangeView]) -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = []
    for change in changes:
        after = change.after or {}
        candidates = [
            (
                "Federal Register rule",
                after.get("html_url") if change.kind.startswith("rule") else None,
            ),
            (
                "Public inspection PDF",
                after.get("pdf_url") if change.kind == "public_inspection" else None,
            ),
            ("Rule PDF", after.get("pdf_url") if change.kind == "rule_published" else None),
            ("Press release", after.get("link") if change.kind == "announcement" else None),
        ]
        for label, url in candidates:
            if url and safe_url(str(url)) and (label, url) not in links:
                links.append((label, str(url)))
    return links


def signal_line(change: ChangeView) -> str:
    after = change.after or {}
    if change.kind == "public_inspection":
        when = escape(after.get("publication_date") or "soon")
        title = escape(after.get("title", ""))
        line = (
            f"📄 On public inspection: *{title}*, to be published {when} "
            f"(FR Doc {escape(change.document_number)})"
        )
        return "\n".join([line, *meaning_lines(change)])
    if change.kind == "rule_published":
        cite = escape(after.get("citation") or change.document_number)
        line = f"📜 Published in the Federal Register: *{escape(after.get('title', ''))}* ({cite})"
        meaning = meaning_lines(change)
        if after.get("parse_error") and after.get("classification") != "unreadable":
            line += "\n⚠️ entitywatch could not read this rule's entries: read the rule itself."
        return "\n".join([line, *meaning])
    if change.kind == "announcement":
        return f"📣 Press release: *{escape(after.get('title', ''))}*"
    if change.kind in ENTRY_KINDS and change.source == "csl":
        return "📋 Consolidated Screening List updated"
    if change.kind in ENTRY_KINDS and change.source == REGULATION_TEXT_SOURCE:
        return "📘 Regulation text (eCFR) changed: 15 CFR 744.22(f)(2)"
    return escape(change.summary or change.kind)


def render_action(changes: Sequence[ChangeView]) -> list[Message]:
    """The whole action as a thread parent (first message) and continuation parts."""
    entries = [c for c in changes if c.kind in ENTRY_KINDS]
    signals = [c for c in changes if c.kind not in ENTRY_KINDS]
    title = headline(entries) if entries else _signal_title(signals)
    lead: list[dict[str, Any]] = [header(title)]
    seen_lines: list[str] = []
    with_signal = ("csl", REGULATION_TEXT_SOURCE)
    for change in signals + ([entries[0]] if entries and entries[0].source in with_signal else []):
        line = signal_line(change)
        if line not in seen_lines:
            seen_lines.append(line)
    if seen_lines:
        lead.append(context("\n".join(seen_lines)))
    facts = facts_block(changes)
    if facts:
        lead.append(facts)
    return _paginate(escape(title), lead, entries)


def render_reply(changes: Sequence[ChangeView]) -> list[Message]:
    """New signals about an action already in a thread."""
    entries = [c for c in changes if c.kind in ENTRY_KINDS]
    signals = [c for c in changes if c.kind not in ENTRY_KINDS]
    lines = [signal_line(c) for c in signals]
    if entries and not signals:
        lines.append(signal_line(entries[0]))
    if entries:
        lines.append(escape(headline(entries)))
    # The lines are mrkdwn already: the fallback text takes them as they are.
    text = clip(" ".join(lines), 300)
    lead: list[dict[str, Any]] = [section("\n".join(lines))]
    facts = facts_block(changes)
    if facts:
        lead.append(facts)
    return _paginate(text, lead, entries)


def _signal_title(signals: Sequence[ChangeView]) -> str:
    first = signals[0]
    after = first.after or {}
    # Once published, the rule's own reading names the thread (it may have read what the
    # filing on the desk could not).
    special = rule_title(next((c for c in signals if c.kind == "rule_published"), first))
    if special and first.kind in ("public_inspection", "rule_published"):
        return special
    if first.kind == "public_inspection":
        return f"{list_name(first.list_code)} rule on public inspection: {after.get('title', '')}"
    if first.kind == "rule_published":
        return f"{list_name(first.list_code)} rule published: {after.get('title', '')}"
    if first.kind == "announcement":
        return f"Press: {after.get('title', first.summary or '')}"
    if first.kind == "source_down":
        return f"⚠️ Source down: {first.source}"
    if first.kind == "source_recovered":
        return f"✅ Source recovered: {first.source}"
    if first.kind in ("list_lag", "list_caught_up"):
        compared = _COMPARED.get(str(after.get("against")), str(after.get("against")))
        verb = "lags" if first.kind == "list_lag" else "caught up with"
        icon = "⚠️" if first.kind == "list_lag" else "✅"
        return f"{icon} {compared} {verb} FR Doc {after.get('document_number', '')}"
    if first.kind == "ecfr_unmatched":
        return f"⚠️ eCFR amendment with no rule read: {after.get('identifier', '')}"
    if first.kind == "baseline":
        return "entitywatch baseline recorded"
    return first.summary or first.kind


def _paginate(
    title: str, lead: list[dict[str, Any]], entries: Sequence[ChangeView]
) -> list[Message]:
    """`title` is mrkdwn (escaped once by the caller): it is the fallback `text` and the
    later parts' context line."""
    chunks = paginate_items(entry_items(entries), per_message=ENTITIES_PER_MESSAGE)
    if not chunks:
        return [Message(text=clip(title, 300), blocks=lead[:MAX_BLOCKS])]
    messages: list[Message] = []
    for number, chunk in enumerate(chunks, start=1):
        part = f" (part {number} of {len(chunks)})" if len(chunks) > 1 else ""
        blocks = (lead if number == 1 else [context(f"{title}{part}")]) + chunk
        messages.append(Message(text=clip(title + part, 300), blocks=blocks[:MAX_BLOCKS]))
    return messages


def render_ops_and_baseline(changes: Sequence[ChangeView]) -> list[Message]:
    """Outages, recoveries and baselines: one short message."""
    title = _signal_title(changes)
    if all(c.kind == "baseline" for c in changes):
        # Sources record their baselines in parallel, in any order; the summary should
        # read the same whichever finished first.
        changes = sorted(changes, key=lambda c: (c.source, c.list_code or "", c.id))
    lines = [escape(c.summary or c.kind) for c in changes]
    blocks = [header(title), section("\n".join(lines[:40]))]
    # The title is plain text (a header); the fallback `text` is mrkdwn, so escaped.
    return [Message(text=escape(clip(title, 300)), blocks=blocks)]


class BlockKitAlertMessages:
    """The Block Kit renderer that the composition root hands to the alert planner."""

    def action(self, changes: Sequence[ChangeView]) -> list[Message]:
        return render_action(changes)

    def reply(self, changes: Sequence[ChangeView]) -> list[Message]:
        return render_reply(changes)

    def ops_and_baseline(self, changes: Sequence[ChangeView]) -> list[Message]:
        return render_ops_and_baseline(changes)

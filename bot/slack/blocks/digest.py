"""Render a `Digest` for a terminal (`digest_text`) or as Slack Block Kit (`digest_blocks`).

Both go through the same section builders, which differ only in their `Markup`;
Slack's size limits are applied afterwards by `block_kit.pack`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.services.digest.model import ActionTally, Digest, SourceHealth
from bot.slack.blocks.markup import PLAIN, SLACK, Markup
from bot.slack.blocks.pack import Part, pack
from reference.countries import country_name

# Countries listed before the rest are summed up in one line.
COUNTRIES_SHOWN = 15


def digest_title(digest: Digest) -> str:
    return (
        f"Entitywatch digest {digest.since.date().isoformat()} to {digest.until.date().isoformat()}"
    )


def digest_summary(digest: Digest) -> str:
    """One line: the notification text of the Slack message and the terminal's subtitle."""
    counts = [
        _plural(digest.total_actions, "list action"),
        _plural(len(digest.rules), "Federal Register rule"),
        _plural(len(digest.filings), "public inspection filing"),
        _plural(sum(p.is_action for p in digest.press), "press announcement"),
    ]
    unread = sum(not p.is_action for p in digest.press)
    if unread:
        counts.append(_plural(unread, "press item") + " not read")
    down = [h.source for h in digest.sources if h.down]
    tail = f"; DOWN: {', '.join(down)}" if down else ""
    return f"{digest_title(digest)}: {', '.join(counts)}{tail}"


def digest_text(digest: Digest) -> str:
    lines = [digest_title(digest), digest_summary(digest).split(": ", 1)[1]]
    for part in digest_parts(digest, PLAIN):
        lines += ["", part.title, *(f"  {line}" for line in part.lines)]
    return "\n".join(lines)


def digest_blocks(digest: Digest) -> list[dict[str, Any]]:
    subtitle = SLACK.text(digest_summary(digest).split(": ", 1)[1])
    return pack(title=digest_title(digest), subtitle=subtitle, parts=digest_parts(digest, SLACK))


def digest_parts(digest: Digest, markup: Markup) -> list[Part]:
    confirmed = _confirmed(digest, markup)
    # Shown every week, quiet or not: the state of a rule matters on every day it holds.
    calendar = Part(
        title=markup.bold("Rules calendar"),
        lines=tuple(markup.text(line) for line in digest.rule_states),
    )
    affiliates = _affiliates(digest, markup)
    if digest.is_quiet:
        quiet = "No list actions, rules, filings or announcements in this window."
        lists = Part(title=markup.bold("Lists"), lines=(quiet,))
        quiet_parts = (lists, calendar, confirmed, affiliates, _sources(digest, markup))
        return [p for p in quiet_parts if p.lines]
    parts = [
        Part(title=markup.bold("Actions by list"), lines=_tallies(digest.by_list, markup)),
        Part(title=markup.bold("Actions by country"), lines=_countries(digest, markup)),
        Part(title=markup.bold("New names"), lines=_names(digest, markup)),
        Part(title=markup.bold("Federal Register rules"), lines=_rules(digest, markup)),
        Part(title=markup.bold("Public inspection"), lines=_filings(digest, markup)),
        Part(title=markup.bold("Press announcements"), lines=_press(digest, markup)),
        calendar,
        confirmed,
        affiliates,
        _sources(digest, markup),
    ]
    return [p for p in parts if p.lines]


def _affiliates(digest: Digest, markup: Markup) -> Part:
    """Covered counterparties stay in every digest while they are covered."""
    count = digest.covered_counterparties
    lines = (
        (
            f"{_plural(count, 'counterparty')} 50 % or more owned by listed parties "
            "(entitywatch watchlist affiliates)",
        )
        if count
        else ()
    )
    return Part(title=markup.bold("Affiliates rule"), lines=lines)


def _confirmed(digest: Digest, markup: Markup) -> Part:
    """Confirmed counterparty matches stay in every digest until they are resolved."""
    lines = tuple(markup.text(line) for line in digest.confirmed_matches)
    return Part(title=markup.bold("Confirmed counterparty matches"), lines=lines)


def _tallies(tallies: tuple[ActionTally, ...], markup: Markup) -> tuple[str, ...]:
    return tuple(f"{markup.bold(markup.text(t.key))}: {_counts(t)}" for t in tallies)


def _counts(t: ActionTally) -> str:
    parts = [(t.added, "added"), (t.removed, "removed"), (t.modified, "modified")]
    return ", ".join(f"{n} {word}" for n, word in parts if n)


def _countries(digest: Digest, markup: Markup) -> tuple[str, ...]:
    # Countries by their English short names, as alerts name them ("China", not "CN").
    named = tuple(replace(t, key=country_name(t.key)) for t in digest.by_country)
    shown = _tallies(named[:COUNTRIES_SHOWN], markup)
    rest = digest.by_country[COUNTRIES_SHOWN:]
    if not rest:
        return shown
    actions = sum(t.total for t in rest)
    return (*shown, f"and {_plural(len(rest), 'more country')} ({_plural(actions, 'action')})")


def _names(digest: Digest, markup: Markup) -> tuple[str, ...]:
    lines = []
    for group in digest.new_names:
        names = "; ".join(markup.text(n) for n in group.names)
        more = f"; and {group.more} more" if group.more else ""
        lines.append(f"{markup.bold(markup.text(group.list_code))} ({group.total}): {names}{more}")
    return tuple(lines)


def _rules(digest: Digest, markup: Markup) -> tuple[str, ...]:
    lines = []
    for rule in digest.rules:
        label = markup.text(rule.citation or rule.document_number)
        details = [f"document {markup.text(rule.document_number)}"]
        if rule.effective_on:
            details.append(f"effective {rule.effective_on.isoformat()}")
        if rule.entries is not None:
            details.append(_plural(rule.entries, "entry", "entries"))
        head = markup.link(label, rule.url)
        lines.append(f"{head}: {markup.title(rule.title)} ({', '.join(details)})")
    return tuple(lines)


def _filings(digest: Digest, markup: Markup) -> tuple[str, ...]:
    lines = []
    for filing in digest.filings:
        details = [markup.text(filing.filing_type or "filing")]
        if filing.publication_date:
            details.append(f"to be published {filing.publication_date.isoformat()}")
        head = markup.link(markup.text(filing.document_number), filing.url)
        lines.append(f"{head}: {markup.title(filing.title)} ({', '.join(details)})")
    return tuple(lines)


def _press(digest: Digest, markup: Markup) -> tuple[str, ...]:
    lines = []
    for item in digest.press:
        action = " ".join(str(w) for w in (item.action, item.count) if w)
        facts = markup.text(", ".join(w for w in (action, *item.lists, *item.countries) if w))
        line = markup.link(markup.title(item.title), item.link)
        line = f"{line} ({facts})" if facts else line
        if item.unread:
            # Conservative: what the page says is not known; a person reads it.
            check = "read it yourself" if not item.is_action else "from the headline only"
            line += f" ⚠️ page not read: {markup.text(item.unread)}; {check}"
        lines.append(line)
    return tuple(lines)


def _sources(digest: Digest, markup: Markup) -> Part:
    lines = tuple(_health(h, markup) for h in digest.sources) or ("no source has run yet",)
    return Part(title=markup.bold("Sources"), lines=lines)


def _health(h: SourceHealth, markup: Markup) -> str:
    fresh = f"last success {format_age(h.age)} ago" if h.age is not None else "never succeeded"
    if h.down:
        state = f"DOWN, {_plural(h.consecutive_failures, 'failure')} in a row"
    elif h.consecutive_failures:
        # Not reported down yet (that takes SOURCE_DOWN_AFTER failures), but not "ok" either.
        state = f"failing, {_plural(h.consecutive_failures, 'failure')} in a row"
    elif h.freshness.stale:
        # It answers, but with old items (the CSL: an old snapshot): not "ok" for screening.
        state = "STALE"
    else:
        state = "ok"
    line = f"{markup.bold(markup.text(h.source))}: {state}, {fresh}"
    events = [(h.went_down, "went down"), (h.recovered, "recovered")]
    happened = [f"{word} {_times(n)}" for n, word in events if n]
    if happened:
        line += f"; in this window {' and '.join(happened)}"
    if h.last_error and h.consecutive_failures:
        line += f"; last error: {markup.title(h.last_error)}"
    if h.freshness.stale:
        described = h.freshness.describe()
        if state == "STALE":
            described = described.removeprefix("stale: ")
        line += f"; {markup.text(described)}"
    return line


def format_age(age: timedelta) -> str:
    """`2d 4h`, `3h 12m`, `45m`, or `<1m`: precise enough to judge freshness."""
    minutes = int(age.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {mins}m"
    return f"{mins}m" if mins else "<1m"


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _plural(n: int, word: str, many: str | None = None) -> str:
    if n == 1:
        return f"1 {word}"
    if many is None:
        many = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{n} {many}"

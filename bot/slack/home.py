"""The App Home tab: the lists' state, recent actions, source freshness, failed alerts,
screening counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.lists_overview import load_overview
from bot.services.lists_status import DEFAULT_MAX_AGE, ListsStatus, dating
from bot.services.monitoring.confirmed import confirmed_lines
from bot.services.reconciliation.service import DEFAULT_LAG_AFTER
from bot.services.rules_calendar import rules_today, state_lines
from bot.slack.blocks.kit import clip, context, escape, header, section
from bot.slack.blocks.lists_overview import overview_blocks
from storage.change_reads import latest_changes
from storage.outbox import failed_messages
from storage.outcome import failure_reason
from storage.ownership_standing import covered_count
from storage.screening_audit import screening_counts
from storage.source_state import SourceState, all_source_states
from watchers.freshness import DEFAULT_STALE_AFTER_DAYS, freshness

QUIET_KINDS = ("rule_baseline", "press_item", "press_seen", "baseline", "ecfr_amendment")


@dataclass(frozen=True, slots=True)
class HomeData:
    recent: list[tuple[datetime, str, str]]  # when, kind, summary
    sources: list[SourceState]
    failed: list[tuple[str, str, str]]  # channel, text, reason
    screenings: dict[str, int]


def load_home(session: Session, *, now: datetime) -> HomeData:
    rows = latest_changes(session, excluding=QUIET_KINDS, limit=15)
    return HomeData(
        recent=[(r.detected_at, r.kind, r.summary or r.entry_name or "") for r in rows],
        sources=all_source_states(session),
        failed=[(m.channel, m.text, failure_reason(m)) for m in failed_messages(session, limit=10)],
        screenings=screening_counts(session, since=now - timedelta(days=7)),
    )


def _age(then: datetime | None, now: datetime) -> str:
    if then is None:
        return "never"
    minutes = int((now - then).total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min ago"
    return f"{minutes // 60} h ago" if minutes < 2880 else f"{minutes // 1440} days ago"


def lists_lines(lists: ListsStatus) -> str:
    """Whether /screen can clear a name now, and the lists' dates."""
    if lists.can_clear:
        state = "🟢 *Screening lists are current*: /screen can clear a name"
    else:
        reason = escape(lists.reason or "the lists are not current")
        state = f"⚠️ *Screening cannot clear names*: {reason}"
    return f"{state}\n{escape(dating(lists))}"


def _unescape(text: str) -> str:
    """An outbox message's fallback text as written: it is stored escaped for Slack (older
    rows raw), and is escaped again here exactly once."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def home_view(
    data: HomeData,
    *,
    now: datetime,
    lists: ListsStatus,
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS,
) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [header("entitywatch")]
    blocks.append(section(lists_lines(lists)))
    blocks.append(section("*Recent list actions*"))
    recent = [f"• {escape(s)} _({kind}, {_age(when, now)})_" for when, kind, s in data.recent]
    blocks.append(section("\n".join(recent) or "Nothing yet."))
    blocks.append(section("*Sources*"))
    lines = []
    for state in data.sources:
        status = "🔴 down" if state.down else ("🟡 failing" if state.consecutive_failures else "🟢")
        if state.never_succeeded and state.consecutive_failures:
            status = "⚫ never succeeded"
        # The runner appends its diagnosis after " — ": what a person can act on comes first.
        why = (state.last_error or "").rsplit(" — ", 1)[-1]
        detail = f" — {escape(why)[:200]}" if state.consecutive_failures else ""
        age = _age(state.last_success_at, now)
        fresh = freshness(state.newest_item_on, today=now.date(), stale_after_days=stale_after_days)
        if fresh.stale:
            status = "🟠 stale" if status == "🟢" else status
            detail += f" — {escape(fresh.describe())}"
        lines.append(f"{status} *{escape(state.source)}*: last success {age}{detail}")
    blocks.append(section("\n".join(lines) or "No source polled yet."))
    blocks.append(section("*Failed alerts*"))
    failed = [
        f"• {escape(ch)}: {escape(clip(_unescape(text), 120))} — _{escape(reason)}_"
        for ch, text, reason in data.failed
    ]
    blocks.append(section("\n".join(failed) or "None."))
    counts = ", ".join(f"{band}: {n}" for band, n in sorted(data.screenings.items())) or "none"
    blocks.append(context(f"Screenings in the last 7 days: {counts}"))
    return {"type": "home", "blocks": blocks[:100]}


def affiliates_line(covered: int) -> str:
    parties = "1 counterparty" if covered == 1 else f"{covered:,} counterparties"
    return (
        f"*Affiliates rule*: {parties} 50 % or more owned by listed parties "
        "(`entitywatch watchlist affiliates`)"
    )


def build_home_view(
    engine: Engine,
    *,
    now: datetime,
    lists: ListsStatus,
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS,
    lag_after: timedelta = DEFAULT_LAG_AFTER,
    max_age: timedelta = DEFAULT_MAX_AGE,
) -> dict[str, Any]:
    with Session(engine) as session:
        data = load_home(session, now=now)
        view = home_view(data, now=now, lists=lists, stale_after_days=stale_after_days)
        confirmed = confirmed_lines(session)
        rules = state_lines(session, today=rules_today(now))
        covered = covered_count(session)
        overview = load_overview(session, now=now, lag_after=lag_after, max_age=max_age)
    # Below the lists' state: what each list holds and what lags, then what the rules
    # in force make of a listing (the affiliates rule, suspended or not).
    calendar = [section("*Rules calendar*"), section(escape("\n".join(rules)))] if rules else []
    view["blocks"][2:2] = overview_blocks(overview) + calendar
    if covered:
        # In sight while they are covered, as confirmed matches are.
        view["blocks"][1:1] = [section(affiliates_line(covered))]
    if confirmed:
        # Until each is resolved: the team acts on these, so they stay in sight.
        view["blocks"][1:1] = [
            section("*Confirmed counterparty matches*"),
            section("\n".join(f"• {escape(line)}" for line in confirmed)),
        ]
    return view

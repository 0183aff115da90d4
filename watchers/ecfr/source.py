"""The eCFR's amendment history of 15 CFR part 744 (kind "ecfr").

Each poll asks the versioner API for the versions of part 744 issued since the
first day of the month `history_days` ago (a URL that stays the same for a
month, so conditional GETs work), records every substantive amendment of
§ 744.22 and Supplements No. 4, 6 and 7 once, and flags an amendment that no
Federal Register rule read explains (`watchers.ecfr.amendments`). The first poll
is a baseline: the history is recorded as seen and nothing is alerted.

An amendment dated after today is not recorded (one log line says so): it is not
in force, and recording it would claim the eCFR shows a change that has not
happened yet. It is recorded by the first poll on or after its date (the answer's
ETag is not kept meanwhile, so that poll reads the answer again).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key, record_event
from storage.part744 import has_changes
from watchers.content_checks import require_json
from watchers.ecfr.amendments import AMENDMENT, SOURCE, flag_unmatched, record_amendments
from watchers.ecfr.settings import EcfrSettings
from watchers.ecfr.text_source import EcfrTextSource
from watchers.ecfr.versions import Amendment, parse_versions, versions_request
from watchers.registry import register
from watchers.source import PollContext, PollResult, Source, SourceSchedule

log = logging.getLogger(__name__)

MAX_PAGES = 5


def window_start(today: date, *, history_days: int) -> date:
    return (today - timedelta(days=history_days)).replace(day=1)


@dataclass
class EcfrSource:
    api_url: str
    history_days: int
    schedule: SourceSchedule
    name: str = SOURCE

    def poll(self, ctx: PollContext) -> PollResult:
        today = ctx.now.date()
        since = window_start(today, history_days=self.history_days)
        cursor = dict(ctx.state.cursor)
        etag = cursor.get("etag") if cursor.get("since") == since.isoformat() else None
        fetched = self._amendments(ctx, since=since, etag=etag)
        with Session(ctx.engine) as session, session.begin():
            baseline = ctx.state.never_succeeded and not has_changes(
                session, source=SOURCE, kinds=(AMENDMENT, "baseline")
            )
            lines: list[str] = []
            if fetched is not None:
                amendments, etag = fetched
                in_force = _in_force(amendments, today=today)
                if len(in_force) < len(amendments):
                    # The same answer must be read again, not a 304, once a date comes.
                    etag = None
                lines += record_amendments(session, in_force, now=ctx.now, baseline=baseline)
                if baseline:
                    _record_baseline(session, count=len(in_force), since=since, now=ctx.now)
            if not baseline:
                lines += flag_unmatched(session, now=ctx.now)
        cursor.update(since=since.isoformat(), etag=etag)
        if fetched is None and not lines:
            return PollResult(status="not_modified", cursor=cursor)
        status = "baseline" if baseline else ("changed" if lines else "unchanged")
        return PollResult(status=status, changes=tuple(lines), cursor=cursor)

    def _amendments(
        self, ctx: PollContext, *, since: date, etag: str | None
    ) -> tuple[list[Amendment], str | None] | None:
        """Every watched amendment in the window, and the first page's ETag; None on a 304."""
        amendments: list[Amendment] = []
        first_etag: str | None = None
        for page_number in range(1, MAX_PAGES + 1):
            fetched = ctx.fetcher.get(
                versions_request(self.api_url, since=since, page=page_number),
                source=self.name,
                accept="application/json",
                etag=etag if page_number == 1 else None,
            )
            if fetched.not_modified:
                return None
            if page_number == 1:
                first_etag = fetched.etag
            page = parse_versions(require_json(fetched, source=self.name))
            amendments += page.amendments
            if not page.may_continue:
                break
        return amendments, first_etag


def _in_force(amendments: list[Amendment], *, today: date) -> list[Amendment]:
    future = [a for a in amendments if a.amendment_date > today]
    if future:
        first = min(future, key=lambda a: a.amendment_date)
        log.warning(
            "ecfr.future_amendment count=%d identifier=%r amendment_date=%s today=%s "
            "action=not recorded until it takes effect",
            len(future),
            first.identifier,
            first.amendment_date.isoformat(),
            today.isoformat(),
        )
    return [a for a in amendments if a.amendment_date <= today]


def _record_baseline(session: Session, *, count: int, since: date, now: datetime) -> None:
    record_event(
        session,
        dedupe_key=change_dedupe_key(SOURCE, "baseline"),
        source=SOURCE,
        kind="baseline",
        now=now,
        summary=f"eCFR baseline: {count} amendments of the part 744 lists since "
        f"{since.isoformat()} recorded",
    )


@register("ecfr", settings=EcfrSettings)
def _factory(settings: EcfrSettings) -> list[Source]:
    return [
        EcfrSource(
            api_url=settings.ecfr_api_url,
            history_days=settings.ecfr_history_days,
            schedule=SourceSchedule(
                interval_seconds=settings.ecfr_poll_seconds, jitter_seconds=300
            ),
        )
    ]


@register("ecfr_text", settings=EcfrSettings)
def _text_factory(settings: EcfrSettings) -> list[Source]:
    return [
        EcfrTextSource(
            url=settings.ecfr_text_url,
            schedule=SourceSchedule(
                interval_seconds=settings.ecfr_text_poll_seconds, jitter_seconds=600
            ),
        )
    ]

"""The long-running side of entitywatch: scheduler jobs for polling, alert delivery, index
refresh and the weekly digest, composed from settings. Used by `run` and by `demo`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.routing import Routing
from bot.services.alerts.planner import plan_alerts
from bot.services.alerts.sender import OutboxSender
from bot.services.alerts.transport import AlertTransport
from bot.services.digest.data import collect_digest
from bot.services.digest.model import Digest
from bot.services.leadership import Leadership
from bot.services.monitoring.reports import SlackReportUploader
from bot.services.monitoring.service import MonitoringService
from bot.services.ownership.crossings import CrossingMonitor
from bot.services.poll_jobs import add_poll_jobs
from bot.services.reconciliation.service import ReconciliationService
from bot.services.rule_reminders import REMINDER_SECONDS, reminder_job
from bot.services.screening import ScreeningService
from bot.settings import Settings
from bot.slack.blocks.alerts import BlockKitAlertMessages
from bot.slack.blocks.reminders import reminder_blocks
from bot.slack.transport import SlackTransport
from storage.change_reads import mark_digested
from storage.leadership import LeadershipLost
from watchers.freshness import DEFAULT_STALE_AFTER_DAYS
from watchers.http import HttpFetcher
from watchers.runner import PollReport, describe
from watchers.source import Source

log = logging.getLogger(__name__)

ALERT_INTERVAL_SECONDS = 5
DIGEST_DAYS = 7
INDEX_CHECK_SECONDS = 60
# Reconciliation compares stored state only; its allowance is days, so every 10 minutes is
# plenty, and a poll that changed a compared source runs it at once.
RECONCILE_SECONDS = 600
RECONCILED_SOURCES = frozenset({"csl", "federal_register", "ecfr_text"})


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    screening: ScreeningService
    sender: OutboxSender
    routing: Routing
    leader: Leadership
    fetcher: HttpFetcher
    scheduler: BackgroundScheduler
    monitoring: MonitoringService
    reconciliation: ReconciliationService
    # Alerts when a counterparty's listed share crosses 50 % (the affiliates rule).
    ownership: CrossingMonitor | None = None
    # The demo turns this off to plan and send each stage itself, in a stable order.
    deliver_after_polls: bool = True
    _delivering: threading.Lock = field(default_factory=threading.Lock)

    def deliver(self) -> None:
        """Plan new changes into the outbox (leader only) and send what is due (any replica).

        Poll threads and the alerts job both call this; one round at a time per process
        is enough, and a caller that finds a round running leaves the work to it.
        """
        if not self._delivering.acquire(blocking=False):
            return
        try:
            if self.leader.is_leader():
                self._lead()
            self.sender.run_once()
            if self.leader.is_leader():
                self.monitoring.after_send()
        except LeadershipLost as exc:  # another replica leads now and uploads instead
            log.info("monitoring.skipped reason=%s", exc)
        except DBAPIError as exc:  # the database is away or ended our session: next round
            log.warning("alerts.round_failed error=%s", describe(exc))
        # One failed round must not kill the job; the outbox keeps everything for the next.
        except Exception:
            log.exception("alerts.round_failed")
        finally:
            self._delivering.release()

    def _lead(self) -> None:
        """Plan, then monitor (a hit replies in the thread the planner opened). A failure
        here (a lock wait cut short, the database away) must not keep this round from
        sending what is already planned."""
        try:
            plan_alerts(
                self.leader.delivery_engine,
                routing=self.routing,
                messages=BlockKitAlertMessages(),
                now=datetime.now(UTC),
            )
            self.monitoring.run_once()
            if self.ownership is not None:
                self.ownership.run_once()
        except LeadershipLost as exc:  # another replica leads now and plans instead
            log.info("alerts.plan_skipped reason=%s", exc)
        except DBAPIError as exc:
            log.warning("alerts.plan_failed error=%s", describe(exc))

    def start(self) -> None:
        """Start the jobs, leadership decided first.

        Jobs planned before a slow start-up (the index build) are all due at once; had the
        first poll asked "am I leader?" itself, the election would pull that very poll
        forward while it ran, which APScheduler refuses with "maximum number of running
        instances reached". Decided here, the polls due at start run as leader (or skip).
        """
        self.leader.tick()
        self.scheduler.start()

    def poll_now(self) -> None:
        """Run every poll job at once (a new leader does not know when the last one ran)."""
        for job in self.scheduler.get_jobs():
            if job.id.startswith("poll:"):
                job.modify(next_run_time=datetime.now(UTC))

    def reconcile(self) -> None:
        """Compare the rules read with the CSL and the eCFR text (leader only)."""
        if not self.leader.is_leader():
            return
        try:
            self.reconciliation.run_once()
        except LeadershipLost as exc:  # another replica leads now and reconciles instead
            log.info("reconcile.skipped reason=%s", exc)
        except DBAPIError as exc:  # the database is away: the next round tries again
            log.warning("reconcile.failed error=%s", describe(exc))

    def on_report(self, report: PollReport) -> None:
        if report.ok and report.result and report.result.changes:
            self.screening.refresh_in_background()
            if self.deliver_after_polls:
                if report.source in RECONCILED_SOURCES:
                    self.reconcile()
                self.deliver()


def weekly_digest_job(
    *,
    sink: Callable[[Digest], object],
    leader: Leadership,
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Callable[[], None]:
    """The cron job: the last seven days' digest, handed to `sink` (Slack, or the terminal),
    with what the previous week's digest could not see yet (committed after it read)."""

    def job() -> None:
        if not leader.is_leader():
            return
        until = clock()
        since = until - timedelta(days=DIGEST_DAYS)
        try:
            with Session(leader.fenced_engine) as session:
                digest = collect_digest(
                    session,
                    since=since,
                    until=until,
                    stale_after_days=stale_after_days,
                    late_from=since - timedelta(days=DIGEST_DAYS),
                )
        except LeadershipLost as exc:  # deposed while waking up: the new leader posts it
            log.info("digest.skipped reason=%s", exc)
            return
        try:
            sink(digest)
        # The next week's run tries again; a failed post must not stop the scheduler.
        except Exception:
            log.exception("digest.post_failed")
            return
        _mark_reported(leader, digest)

    return job


def _mark_reported(leader: Leadership, digest: Digest) -> None:
    try:
        with Session(leader.fenced_engine) as session, session.begin():
            mark_digested(session, digest.change_ids)
    # Unmarked, a late change of last week would be reported once more next week.
    except (LeadershipLost, DBAPIError) as exc:
        log.warning("digest.mark_failed error=%s", exc)


def build_runtime(
    root: AppRoot,
    *,
    transport: AlertTransport,
    digest_sink: Callable[[Digest], object] | None = None,
    sources: list[Source] | None = None,
) -> Runtime:
    """The scheduler side of one process, from the collaborators its root built."""
    settings = root.settings
    engine = root.migrated_engine()
    monitoring = root.monitoring()
    if isinstance(transport, SlackTransport):
        monitoring.uploader = SlackReportUploader(transport.client)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        screening=root.screening(),
        sender=OutboxSender(
            engine=engine,
            transport=transport,
            lookups_per_minute=settings.slack_history_lookups_per_minute,
        ),
        routing=root.routing,
        leader=Leadership(engine, stale_after=settings.leader_stale_after),
        fetcher=root.fetcher,
        # A job due while start-up still ran (the index build, the heap settling) runs late
        # rather than being skipped with a "missed by" warning: a skipped heartbeat or
        # alert round helps no one. Poll jobs and the digest set their own grace.
        scheduler=BackgroundScheduler(timezone=UTC, job_defaults={"misfire_grace_time": None}),
        monitoring=monitoring,
        ownership=root.crossings(),
        reconciliation=ReconciliationService(engine=engine, lag_after=settings.reconcile_lag_after),
    )
    # Lags are recorded only while this replica holds the leadership epoch.
    runtime.reconciliation.engine = runtime.leader.fenced_engine
    # So are hits: a leader frozen inside its monitoring transaction is ended by the
    # takeover, and one that wakes up after it cannot commit what it found.
    monitoring.engine = runtime.leader.delivery_engine
    # Crossings of 50 % are read with the hits (root.monitoring() hands them over), in the
    # same fenced transaction; the monitor's own rounds (new owners) are fenced as well.
    if runtime.ownership is not None:
        runtime.ownership.engine = runtime.leader.delivery_engine
    runtime.leader.on_elected = runtime.poll_now
    runtime.scheduler.add_job(
        runtime.leader.tick,
        IntervalTrigger(seconds=runtime.leader.beat),
        id="leader",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    add_poll_jobs(
        runtime.scheduler,
        sources if sources is not None else root.sources(),
        # Polls record changes only while this replica holds the leadership epoch.
        engine=runtime.leader.fenced_engine,
        fetcher=runtime.fetcher,
        down_after=settings.source_down_after,
        on_report=runtime.on_report,
        should_run=runtime.leader.is_leader,
    )
    runtime.scheduler.add_job(
        runtime.deliver,
        IntervalTrigger(seconds=ALERT_INTERVAL_SECONDS),
        id="alerts",
        max_instances=1,
        coalesce=True,
    )
    runtime.scheduler.add_job(
        runtime.reconcile,
        IntervalTrigger(seconds=RECONCILE_SECONDS),
        id="reconcile",
        max_instances=1,
        coalesce=True,
    )
    runtime.scheduler.add_job(
        runtime.screening.refresh_in_background,
        IntervalTrigger(seconds=INDEX_CHECK_SECONDS),
        id="index-refresh",
        max_instances=1,
        coalesce=True,
    )
    # Reminders before a rule's scheduled change (bot.services.rule_reminders); the alerts job
    # sends them.
    runtime.scheduler.add_job(
        reminder_job(
            leader=runtime.leader,
            routing=runtime.routing,
            render=reminder_blocks,
            clock=root.now,
        ),
        IntervalTrigger(seconds=REMINDER_SECONDS),
        id="rule-reminders",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC) + timedelta(seconds=10),
    )
    if digest_sink is not None:
        hour, minute = settings.digest_time.split(":")
        runtime.scheduler.add_job(
            weekly_digest_job(
                sink=digest_sink,
                leader=runtime.leader,
                stale_after_days=settings.source_stale_after_days,
            ),
            CronTrigger(
                day_of_week=settings.digest_day,
                hour=int(hour),
                minute=int(minute),
                timezone=settings.digest_timezone,
            ),
            id="digest",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=3600,
        )
    return runtime

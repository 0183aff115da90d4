"""CSV reports of summary alerts, waiting in `watch_report` until their summary is posted.

A report is keyed by the outbox row of its summary; once that row is sent, its
channel and `ts` say where the CSV goes. Upload outcomes are recorded per report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.models import OutboxRow, WatchReportRow


@dataclass(frozen=True, slots=True)
class DueReport:
    """A report whose summary is posted: where it goes and what it holds."""

    report_id: int
    channel: str
    thread_ts: str
    filename: str
    content: str


def add_report(
    session: Session, *, outbox_key: str, filename: str, content: str, now: datetime
) -> None:
    """Queue the CSV of the summary with this outbox key (written with the summary)."""
    session.add(
        WatchReportRow(outbox_key=outbox_key, filename=filename, content=content, created_at=now)
    )


def due_reports(session: Session, *, limit: int = 20) -> list[DueReport]:
    """Reports not yet uploaded whose summary was sent, oldest first."""
    stmt = (
        select(WatchReportRow, col(OutboxRow.channel), col(OutboxRow.slack_ts))
        .join(OutboxRow, col(OutboxRow.dedupe_key) == col(WatchReportRow.outbox_key))
        .where(col(WatchReportRow.uploaded_at).is_(None), col(OutboxRow.status) == "sent")
        .order_by(col(WatchReportRow.id))
        .limit(limit)
    )
    return [
        DueReport(
            report_id=report.id or 0,
            channel=channel,
            thread_ts=str(ts),
            filename=report.filename,
            content=report.content,
        )
        for report, channel, ts in session.execute(stmt).all()
    ]


def mark_report_uploaded(session: Session, report_id: int, *, now: datetime) -> None:
    """Record that the report went up (and clear any earlier failure)."""
    session.execute(
        update(WatchReportRow)
        .where(col(WatchReportRow.id) == report_id)
        .values(uploaded_at=now, last_error=None)
    )


def mark_report_failed(session: Session, report_id: int, *, error: str) -> None:
    """Keep the reason of a failed upload; the report stays due for the next round."""
    session.execute(
        update(WatchReportRow).where(col(WatchReportRow.id) == report_id).values(last_error=error)
    )

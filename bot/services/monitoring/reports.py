"""Upload the CSV of a summary alert into its thread, once the summary is posted.

The sender knows only chat.postMessage; a summary's CSV waits in `watch_report`
until its outbox row is sent (so its `ts` is the thread), then goes up with
files_upload_v2, as the digest chart does. A failed upload is retried on the
next round and its reason kept; the summary itself is already in the channel.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.models import OutboxRow, WatchReportRow

log = logging.getLogger(__name__)


class ReportUploader(Protocol):
    def upload(self, *, channel: str, thread_ts: str, filename: str, content: str) -> None: ...


@dataclass
class SlackReportUploader:
    client: WebClient

    def upload(self, *, channel: str, thread_ts: str, filename: str, content: str) -> None:
        self.client.files_upload_v2(
            channel=channel,
            content=content.encode("utf-8"),
            filename=filename,
            title="Counterparty hits",
            thread_ts=thread_ts,
        )


def upload_due_reports(engine: Engine, uploader: ReportUploader, *, now: datetime) -> int:
    """Upload every report whose summary was posted; returns how many went up."""
    with Session(engine) as session:
        due = session.execute(
            select(WatchReportRow, col(OutboxRow.channel), col(OutboxRow.slack_ts))
            .join(OutboxRow, col(OutboxRow.dedupe_key) == col(WatchReportRow.outbox_key))
            .where(col(WatchReportRow.uploaded_at).is_(None), col(OutboxRow.status) == "sent")
            .order_by(col(WatchReportRow.id))
            .limit(20)
        ).all()
    done = 0
    for report, channel, ts in due:
        error: str | None = None
        try:
            uploader.upload(
                channel=channel, thread_ts=str(ts), filename=report.filename, content=report.content
            )
        # SlackApiError for ok=false, SlackRequestError for a failed upload POST.
        except SlackClientError as exc:
            error = str(exc.response.get("error")) if isinstance(exc, SlackApiError) else str(exc)
            log.warning("watch.report_upload_failed id=%s error=%s", report.id, error)
        values = {"last_error": error} if error else {"uploaded_at": now, "last_error": None}
        with Session(engine) as session, session.begin():
            session.execute(
                update(WatchReportRow).where(col(WatchReportRow.id) == report.id).values(**values)
            )
        done += error is None
    return done

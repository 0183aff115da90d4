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
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.watch_reports import due_reports, mark_report_failed, mark_report_uploaded

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
        due = due_reports(session, limit=20)
    done = 0
    for report in due:
        error: str | None = None
        try:
            uploader.upload(
                channel=report.channel,
                thread_ts=report.thread_ts,
                filename=report.filename,
                content=report.content,
            )
        # SlackApiError for ok=false, SlackRequestError for a failed upload POST.
        except SlackClientError as exc:
            error = str(exc.response.get("error")) if isinstance(exc, SlackApiError) else str(exc)
            log.warning("watch.report_upload_failed id=%s error=%s", report.report_id, error)
        with Session(engine) as session, session.begin():
            if error:
                mark_report_failed(session, report.report_id, error=error)
            else:
                mark_report_uploaded(session, report.report_id, now=now)
        done += error is None
    return done

"""Post a digest to Slack: one message with the blocks, the chart as a reply in its thread."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.services.digest.chart import digest_chart_png
from bot.services.digest.model import Digest
from bot.slack.blocks.digest import digest_blocks, digest_summary, digest_title
from bot.slack.blocks.kit import escape

log = logging.getLogger(__name__)

CHART_FILENAME = "entitywatch-digest.png"


def post_digest(client: WebClient, *, channel: str, digest: Digest) -> str:
    """Post the digest to `channel`; returns the message ts.

    A failed chat.postMessage raises (`SlackClientError`): nothing was posted. A
    failed chart upload is logged and swallowed: the digest is already in the
    channel, and posting it again to retry the chart would show it twice.
    """
    response = client.chat_postMessage(
        channel=channel,
        text=escape(digest_summary(digest)),
        blocks=digest_blocks(digest),
        # Links to the Federal Register would each unfurl into a large preview.
        unfurl_links=False,
        unfurl_media=False,
    )
    ts = str(response["ts"])
    log.info("digest.posted channel=%s ts=%s actions=%d", channel, ts, digest.total_actions)
    png = digest_chart_png(digest)
    if png is None:
        return ts
    try:
        client.files_upload_v2(
            # files.completeUploadExternal wants a channel ID; the answer has it even
            # when `channel` was a #name.
            channel=str(response.get("channel") or channel),
            content=png,
            filename=CHART_FILENAME,
            title=digest_title(digest),
            thread_ts=ts,
        )
    # SlackApiError for an answer with ok=false, SlackRequestError for a failed upload POST.
    except SlackClientError as exc:
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else str(exc)
        log.warning("digest.chart_upload_failed channel=%s ts=%s error=%s", channel, ts, error)
    else:
        log.info("digest.chart_uploaded channel=%s ts=%s bytes=%d", channel, ts, len(png))
    return ts

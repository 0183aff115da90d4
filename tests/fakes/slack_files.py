"""The two-step external upload: files.getUploadURLExternal, the upload POST, and
files.completeUploadExternal (what ``WebClient.files_upload_v2`` calls in order).

The upload URL points back at the fake (``<origin>/upload/<file_id>``); the HTTP
layer stores the bytes with ``receive_upload``.
"""

from __future__ import annotations

import email.parser
import email.policy
from typing import Any

from tests.fakes.slack_params import int_field, json_field, text_field
from tests.fakes.slack_workspace import (
    PendingUpload,
    SlackMethodError,
    SlackWorkspace,
    UploadedFile,
)


def get_upload_url_external(
    ws: SlackWorkspace, params: dict[str, Any], origin: str
) -> dict[str, Any]:
    filename = text_field(params, "filename")
    length = int_field(params, "length", default=-1)
    if filename is None or length < 0:
        raise SlackMethodError("invalid_arguments")
    file_id = ws.new_file_id()
    with ws.lock:
        ws.uploads[file_id] = PendingUpload(file_id=file_id, filename=filename, length=length)
    return {"upload_url": f"{origin}/upload/{file_id}", "file_id": file_id}


def upload_content(*, body: bytes, content_type: str) -> bytes:
    """The file bytes of an upload POST: the raw body, or the file part of a form."""
    if not content_type.startswith("multipart/form-data"):
        return body
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(head + body)
    for part in message.iter_parts():
        if part.get_filename() is not None:
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    return b""


def receive_upload(ws: SlackWorkspace, *, file_id: str, content: bytes) -> bool:
    with ws.lock:
        pending = ws.uploads.get(file_id)
        if pending is None:
            return False
        pending.content = content
    return True


def _share_channel(params: dict[str, Any]) -> str | None:
    channel = text_field(params, "channel_id")
    channels = text_field(params, "channels")
    if channel is None and channels is not None:
        channel = channels.split(",")[0]
    return channel


def complete_upload_external(
    ws: SlackWorkspace, params: dict[str, Any], origin: str
) -> dict[str, Any]:
    requested = json_field(params, "files")
    if not isinstance(requested, list) or not requested:
        raise SlackMethodError("invalid_arguments")
    channel = _share_channel(params)
    if channel is not None:
        ws.check_channel(channel)
    shared: list[dict[str, Any]] = []
    with ws.lock:
        for item in requested:
            pending = ws.uploads.get(str(item.get("id")))
            if pending is None or pending.content is None:
                raise SlackMethodError("file_not_found")
            title = item.get("title")
            ws.files.append(
                UploadedFile(
                    file_id=pending.file_id,
                    filename=pending.filename,
                    title=title,
                    content=pending.content,
                    channel=channel,
                    thread_ts=text_field(params, "thread_ts"),
                    initial_comment=text_field(params, "initial_comment"),
                )
            )
            del ws.uploads[pending.file_id]
            shared.append(
                {
                    "id": pending.file_id,
                    "name": pending.filename,
                    "title": title or pending.filename,
                    "size": len(pending.content),
                    "channels": [channel] if channel else [],
                }
            )
    return {"files": shared}

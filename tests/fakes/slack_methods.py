"""The Web API methods the fake implements, as a table from name to function.

Each function takes the workspace, the parsed params and the server origin and
returns the fields of an ``ok`` answer, or raises ``SlackMethodError``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from tests.fakes.slack_conversations import conversations_history, conversations_replies
from tests.fakes.slack_files import complete_upload_external, get_upload_url_external
from tests.fakes.slack_params import flag, json_field, text_field
from tests.fakes.slack_workspace import SlackMethodError, SlackWorkspace, StoredMessage

MethodImpl = Callable[[SlackWorkspace, dict[str, Any], str], dict[str, Any]]


def _metadata(params: dict[str, Any]) -> dict[str, Any] | None:
    metadata = json_field(params, "metadata")
    if metadata is None:
        return None
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        raise SlackMethodError("invalid_metadata_format")
    return metadata


def _content(params: dict[str, Any]) -> dict[str, Any]:
    """text / blocks / metadata as they are stored on a message."""
    fields: dict[str, Any] = {}
    for name in ("blocks", "attachments"):
        value = json_field(params, name)
        if value:
            fields[name] = value
    metadata = _metadata(params)
    if metadata is not None:
        fields["metadata"] = metadata
    text = text_field(params, "text")
    if text is None and not fields.get("blocks") and not fields.get("attachments"):
        raise SlackMethodError("no_text")
    fields["text"] = text or ""
    return fields


def _attach_reply(ws: SlackWorkspace, *, channel: str, thread_ts: str, reply_ts: str) -> None:
    parent = ws.find(channel=channel, ts=thread_ts)
    if parent is None:
        return
    parent.fields["thread_ts"] = parent.ts
    parent.fields["reply_count"] = int(parent.fields.get("reply_count", 0)) + 1
    parent.fields["latest_reply"] = reply_ts


def chat_post_message(ws: SlackWorkspace, params: dict[str, Any], origin: str) -> dict[str, Any]:
    channel = ws.check_channel(text_field(params, "channel"))
    content = _content(params)
    with ws.lock:
        ts = ws.new_ts()
        fields = {"type": "message", "ts": ts, "user": ws.bot_user_id, "bot_id": ws.bot_id}
        fields |= {"team": ws.team_id, **content}
        thread_ts = text_field(params, "thread_ts")
        if thread_ts is not None:
            fields["thread_ts"] = thread_ts
            if flag(params, "reply_broadcast"):
                fields["subtype"] = "thread_broadcast"
            _attach_reply(ws, channel=channel, thread_ts=thread_ts, reply_ts=ts)
        ws.messages.append(StoredMessage(channel=channel, fields=fields))
        return {"channel": channel, "ts": ts, "message": copy.deepcopy(fields)}


def chat_update(ws: SlackWorkspace, params: dict[str, Any], origin: str) -> dict[str, Any]:
    channel = ws.check_channel(text_field(params, "channel"))
    ts = text_field(params, "ts") or ""
    with ws.lock:
        message = ws.find(channel=channel, ts=ts)
        if message is None:
            raise SlackMethodError("message_not_found")
        message.fields.update(_content(params))
        message.fields["edited"] = {"user": ws.bot_user_id, "ts": ws.new_ts()}
        fields = copy.deepcopy(message.fields)
    return {"channel": channel, "ts": ts, "text": fields["text"], "message": fields}


def chat_post_ephemeral(ws: SlackWorkspace, params: dict[str, Any], origin: str) -> dict[str, Any]:
    channel = ws.check_channel(text_field(params, "channel"))
    user = text_field(params, "user")
    if user is None:
        raise SlackMethodError("user_not_in_channel")
    content = _content(params)
    with ws.lock:
        message_ts = ws.new_ts()
        ws.ephemerals.append(
            {"channel": channel, "user": user, "message_ts": message_ts, **content}
        )
    return {"message_ts": message_ts}


def views_publish(ws: SlackWorkspace, params: dict[str, Any], origin: str) -> dict[str, Any]:
    user_id = text_field(params, "user_id")
    view = json_field(params, "view")
    if user_id is None or not isinstance(view, dict):
        raise SlackMethodError("invalid_arguments")
    if view.get("type") != "home":
        raise SlackMethodError("invalid_arguments")
    with ws.lock:
        published = {**view, "id": f"V{len(ws.views) + 1:010d}", "team_id": ws.team_id}
        ws.views[user_id] = published
    return {"view": copy.deepcopy(published)}


def views_open(ws: SlackWorkspace, params: dict[str, Any], origin: str) -> dict[str, Any]:
    trigger_id = text_field(params, "trigger_id")
    view = json_field(params, "view")
    if not trigger_id or not isinstance(view, dict) or view.get("type") != "modal":
        raise SlackMethodError("invalid_arguments")
    with ws.lock:
        opened = {**view, "id": f"V{len(ws.modals) + 1:010d}", "team_id": ws.team_id}
        ws.modals.append({"trigger_id": trigger_id, "view": opened})
    return {"view": copy.deepcopy(opened)}


def auth_test(ws: SlackWorkspace, params: dict[str, Any], origin: str) -> dict[str, Any]:
    return {
        "url": "https://fake-workspace.slack.com/",
        "team": "Fake Workspace",
        "user": "entitywatch",
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


def apps_connections_open(
    ws: SlackWorkspace, params: dict[str, Any], origin: str
) -> dict[str, Any]:
    # Without a Socket Mode fake (tests/fakes/socket_mode.py) the URL leads nowhere, which
    # is enough for start-up checks that only need Slack to accept the app-level token.
    with ws.lock:
        issue = ws.socket_mode_url
    if issue is not None:
        return {"url": issue()}
    return {"url": origin.replace("http://", "ws://", 1) + "/link/?ticket=fake"}


# Methods called with the app-level token (xapp-...) instead of the bot token.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})

METHODS: dict[str, MethodImpl] = {
    "apps.connections.open": apps_connections_open,
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.postEphemeral": chat_post_ephemeral,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "views.publish": views_publish,
    "views.open": views_open,
    "files.getUploadURLExternal": get_upload_url_external,
    "files.completeUploadExternal": complete_upload_external,
}

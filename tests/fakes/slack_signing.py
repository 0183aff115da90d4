"""Signed requests as Slack sends them to the bot (slash commands, block actions).

Slack signs ``v0:{timestamp}:{body}`` with HMAC-SHA256 keyed by the app's signing
secret and sends ``X-Slack-Signature: v0=<hex>`` with ``X-Slack-Request-Timestamp``.
Receivers reject timestamps more than five minutes from their clock.

    body = slash_command_body(text="Hikvision", response_url=slack.response_url())
    response = app.dispatch(bolt_request(body, sign(body, secret)))
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from slack_bolt.request import BoltRequest

FORM = "application/x-www-form-urlencoded"
STALE_AFTER_SECONDS = 5 * 60
TEAM_ID = "T0FAKETEAM"
USER_ID = "U0EMPLOYEE"
CHANNEL_ID = "C0COMPLIANCE"
TRIGGER_ID = "13345224609.738474920.8088930838d88f008e0"


def signature(body: str, secret: str, *, timestamp: int) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def sign(body: str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers of a correctly signed form POST (``timestamp`` defaults to now)."""
    stamp = int(time.time()) if timestamp is None else timestamp
    return {
        "content-type": FORM,
        "x-slack-request-timestamp": str(stamp),
        "x-slack-signature": signature(body, secret, timestamp=stamp),
    }


def sign_with_wrong_secret(body: str, secret: str) -> dict[str, str]:
    """Fresh timestamp, but the signature does not match ``secret``."""
    return sign(body, secret + "-wrong")


def sign_stale(
    body: str, secret: str, *, age_seconds: int = STALE_AFTER_SECONDS + 60
) -> dict[str, str]:
    """A correct signature over a timestamp older than receivers accept (replay)."""
    return sign(body, secret, int(time.time()) - age_seconds)


def bolt_request(body: str, headers: Mapping[str, str]) -> BoltRequest:
    """A ``BoltRequest`` for ``App.dispatch`` (bolt wants multi-valued header types)."""
    bolt_headers: dict[str, str | Sequence[str]] = dict(headers)
    return BoltRequest(body=body, headers=bolt_headers)


def slash_command_body(
    *,
    text: str,
    response_url: str,
    command: str = "/screen",
    user_id: str = USER_ID,
    channel_id: str = CHANNEL_ID,
    team_id: str = TEAM_ID,
    trigger_id: str = TRIGGER_ID,
) -> str:
    """The form body Slack POSTs for a slash command."""
    return urlencode(
        {
            "token": "deprecated-verification-token",
            "team_id": team_id,
            "team_domain": "fake-workspace",
            "channel_id": channel_id,
            "channel_name": "compliance",
            "user_id": user_id,
            "user_name": "employee",
            "command": command,
            "text": text,
            "api_app_id": "A0ENTITYWATCH",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def block_actions_payload(
    *,
    action_id: str,
    value: str,
    response_url: str,
    block_id: str = "actions",
    user_id: str = USER_ID,
    channel_id: str = CHANNEL_ID,
    team_id: str = TEAM_ID,
    message_ts: str = "1700000000.000100",
) -> dict[str, Any]:
    """The JSON payload of a button click in a message (``type: block_actions``)."""
    return {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "fake-workspace"},
        "user": {"id": user_id, "username": "employee", "name": "employee", "team_id": team_id},
        "api_app_id": "A0ENTITYWATCH",
        "token": "deprecated-verification-token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "trigger_id": TRIGGER_ID,
        "channel": {"id": channel_id, "name": "compliance"},
        "message": {"type": "message", "ts": message_ts, "text": ""},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block_id,
                "value": value,
                "action_ts": str(time.time()),
            }
        ],
        "is_enterprise_install": False,
    }


def block_actions_body(
    *,
    action_id: str,
    value: str,
    response_url: str,
    block_id: str = "actions",
    user_id: str = USER_ID,
    channel_id: str = CHANNEL_ID,
    message_ts: str = "1700000000.000100",
) -> str:
    """The form body Slack POSTs for a button click: ``payload=<urlencoded JSON>``."""
    payload = block_actions_payload(
        action_id=action_id,
        value=value,
        response_url=response_url,
        block_id=block_id,
        user_id=user_id,
        channel_id=channel_id,
        message_ts=message_ts,
    )
    return urlencode({"payload": json.dumps(payload)})


def view_submission_body(
    *,
    callback_id: str,
    private_metadata: str,
    values: dict[str, dict[str, dict[str, Any]]],
    user_id: str = USER_ID,
    team_id: str = TEAM_ID,
) -> str:
    """The form body Slack POSTs when a modal is submitted (``type: view_submission``)."""
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "fake-workspace"},
        "user": {"id": user_id, "username": "employee", "name": "employee", "team_id": team_id},
        "api_app_id": "A0ENTITYWATCH",
        "token": "deprecated-verification-token",
        "trigger_id": TRIGGER_ID,
        "view": {
            "id": "V0000000001",
            "team_id": team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
            "hash": "1700000000.abcdef",
        },
        "response_urls": [],
        "is_enterprise_install": False,
    }
    return urlencode({"payload": json.dumps(payload)})

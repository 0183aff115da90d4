"""Parse a Web API request the way Slack does: query string, form body or JSON body.

slack_sdk sends ``chat.*`` and ``views.*`` as JSON, ``conversations.*`` and
``files.*`` as form fields (structured values such as ``blocks``, ``metadata``,
``view`` and ``files`` are then JSON strings). The helpers below read both shapes.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl

from tests.fakes.slack_workspace import SlackMethodError


def parse_params(*, query: str, body: bytes, content_type: str) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if not body:
        return params
    if content_type.startswith("application/json"):
        try:
            decoded = json.loads(body)
        except ValueError as exc:
            raise SlackMethodError("invalid_json") from exc
        if not isinstance(decoded, dict):
            raise SlackMethodError("invalid_json")
        params.update(decoded)
    elif content_type.startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    return params


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def json_field(params: dict[str, Any], name: str) -> Any:
    """A structured argument, given either as JSON text or already decoded."""
    value = params.get(name)
    if isinstance(value, str):
        if not value:
            return None
        try:
            return json.loads(value)
        except ValueError as exc:
            raise SlackMethodError(f"invalid_{name}") from exc
    return value


def flag(params: dict[str, Any], name: str) -> bool:
    value = params.get(name)
    if isinstance(value, str):
        return value.lower() in {"1", "true"}
    return bool(value)


def text_field(params: dict[str, Any], name: str) -> str | None:
    value = params.get(name)
    return None if value is None or value == "" else str(value)


def ts_key(ts: str) -> int:
    """A Slack ``ts`` (or plain epoch seconds) as integer microseconds, for ordering."""
    try:
        return int(Decimal(ts) * 1_000_000)
    except InvalidOperation as exc:
        raise SlackMethodError("invalid_ts") from exc


def int_field(params: dict[str, Any], name: str, *, default: int) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise SlackMethodError("invalid_arguments") from exc

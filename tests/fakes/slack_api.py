"""A local fake of the Slack Web API that the real ``slack_sdk.WebClient`` talks to.

    with FakeSlackApi() as slack:
        client = WebClient(base_url=slack.base_url, token=slack.token)
        client.chat_postMessage(channel="C0ALERTS", text="hi")
        assert slack.calls("chat.postMessage")[0].params["text"] == "hi"

Implemented methods are listed in ``slack_methods.METHODS``; any other method
answers ``unknown_method``. Routes are described in ``slack_handler``. Recorded
call headers have lower-case names. A missing token answers ``not_authed`` and a
wrong one ``invalid_auth``, as Slack does.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.fakes.local_server import LocalServer
from tests.fakes.slack_failures import FailureQueue, build_failure
from tests.fakes.slack_files import receive_upload, upload_content
from tests.fakes.slack_handler import ApiAnswer, SlackHandler
from tests.fakes.slack_limits import HISTORY_METHODS, HistoryLimit
from tests.fakes.slack_methods import APP_TOKEN_METHODS, METHODS
from tests.fakes.slack_params import bearer_token, parse_params
from tests.fakes.slack_workspace import (
    RecordedCall,
    ResponseUrlPost,
    SlackMethodError,
    SlackWorkspace,
    UploadedFile,
)

__all__ = [
    "FakeSlackApi",
    "PostedMessage",
    "RecordedCall",
    "ResponseUrlPost",
    "SimulatedCrash",
    "UploadedFile",
]

DEFAULT_TOKEN = "xoxb-fake-entitywatch-token"  # a fake credential
DEFAULT_APP_TOKEN = "xapp-fake-entitywatch-token"  # a fake credential


class SimulatedCrash(Exception):
    """Raised by an ``on_post`` hook: the fake drops the connection without answering."""


@dataclass(frozen=True, kw_only=True)
class PostedMessage:
    """What an ``on_post`` hook receives: the message Slack has just stored."""

    channel: str
    ts: str
    message: dict[str, Any]


PostHook = Callable[[PostedMessage], None]


def _json_answer(body: dict[str, Any], *, drop_connection: bool = False) -> ApiAnswer:
    return ApiAnswer(status=200, body=json.dumps(body).encode(), drop_connection=drop_connection)


def _parse(
    *, query: str, body: bytes, headers: dict[str, str]
) -> tuple[dict[str, Any], str | None]:
    """The params, or no params and the error Slack answers for an unreadable body."""
    content_type = headers.get("content-type", "")
    try:
        return parse_params(query=query, body=body, content_type=content_type), None
    except SlackMethodError as exc:
        return {}, exc.error


class FakeSlackApi:
    """Fake Slack Web API server; start with ``start()`` or ``with``."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        app_token: str = DEFAULT_APP_TOKEN,
        team_id: str = "T0FAKETEAM",
        bot_user_id: str = "U0FAKEBOT",
        bot_id: str = "B0FAKEBOT",
    ) -> None:
        self.token = token
        self.app_token = app_token
        self._workspace = SlackWorkspace(team_id=team_id, bot_user_id=bot_user_id, bot_id=bot_id)
        self._failures = FailureQueue()
        self._lock = threading.Lock()
        self._calls: list[RecordedCall] = []
        self._responses: list[ResponseUrlPost] = []
        self._post_hook: PostHook | None = None
        self._history_limit: HistoryLimit | None = None
        self._server = LocalServer(handler=SlackHandler, app=self)

    # -- lifecycle ---------------------------------------------------------------
    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> FakeSlackApi:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget calls, messages, files, failures, hooks and channel declarations."""
        with self._lock:
            self._calls.clear()
            self._responses.clear()
            self._post_hook = None
            self._history_limit = None
        self._failures.clear()
        self._workspace.clear()

    @property
    def base_url(self) -> str:
        """For ``WebClient(base_url=...)``; ends with a slash, as slack_sdk expects."""
        return f"{self._server.origin}/api/"

    def response_url(self, token: str = "respond-1") -> str:
        return f"{self._server.origin}/response/{token}"

    # -- programming the workspace -------------------------------------------------
    def declare_unknown_channel(self, *channels: str) -> None:
        with self._workspace.lock:
            self._workspace.unknown_channels.update(channels)

    def declare_not_joined(self, *channels: str) -> None:
        with self._workspace.lock:
            self._workspace.not_joined_channels.update(channels)

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        error: str | None = None,
        ok: bool = False,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with a failure.

        ``status=429`` gives ``ratelimited`` with ``Retry-After`` (default 1);
        ``status=500`` gives a JSON error body; ``error=...`` alone answers HTTP 200
        with ``{"ok": false, "error": error}``.
        """
        failure = build_failure(status=status, error=error, ok=ok, retry_after=retry_after)
        self._failures.push(method, failure, times=times)

    def on_post(self, callback: PostHook | None) -> None:
        """Call ``callback`` after each stored chat.postMessage, before answering.

        If it raises (e.g. ``SimulatedCrash``), the message stays posted but the
        connection is closed without an answer, as if the poster died mid-call.
        Note: slack_sdk's default ``ConnectionErrorRetryHandler`` then re-sends the
        request once, so a default ``WebClient`` posts the message twice.
        """
        with self._lock:
            self._post_hook = callback

    def use_clock(self, clock: Callable[[], float] | None) -> None:
        """New messages get their ts from ``clock`` (epoch seconds), as Slack's are the time
        they were stored; None restores the plain counter from 1700000000."""
        with self._workspace.lock:
            self._workspace.ts_clock = clock

    def serve_socket_mode(self, issue_url: Callable[[], str] | None) -> None:
        """apps.connections.open answers ``issue_url()`` (e.g. ``FakeSocketMode.issue_url``)."""
        with self._workspace.lock:
            self._workspace.socket_mode_url = issue_url

    def limit_history(
        self,
        *,
        per_minute: int,
        max_messages: int = 15,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Enforce Slack's limit for apps distributed outside the Marketplace on
        conversations.history and .replies together: ``per_minute`` calls in any 60 s of
        ``clock`` (more answer 429 with Retry-After), ``max_messages`` per call."""
        with self._lock:
            self._history_limit = HistoryLimit(
                per_minute=per_minute, max_messages=max_messages, clock=clock
            )

    # -- assertions ----------------------------------------------------------------
    def calls(self, method: str | None = None) -> list[RecordedCall]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Every message in ``channel`` (replies included), oldest first."""
        return [copy.deepcopy(m.fields) for m in self._workspace.in_channel(channel)]

    @property
    def files(self) -> list[UploadedFile]:
        with self._workspace.lock:
            return list(self._workspace.files)

    @property
    def ephemerals(self) -> list[dict[str, Any]]:
        with self._workspace.lock:
            return copy.deepcopy(self._workspace.ephemerals)

    @property
    def modals(self) -> list[dict[str, Any]]:
        with self._workspace.lock:
            return copy.deepcopy(self._workspace.modals)

    def view(self, user_id: str) -> dict[str, Any] | None:
        with self._workspace.lock:
            return copy.deepcopy(self._workspace.views.get(user_id))

    @property
    def responses(self) -> list[ResponseUrlPost]:
        with self._lock:
            return list(self._responses)

    # -- called by the HTTP handler ----------------------------------------------------
    def handle_api(
        self, *, method: str, query: str, body: bytes, headers: dict[str, str]
    ) -> ApiAnswer:
        params, parse_error = _parse(query=query, body=body, headers=headers)
        failure = self._failures.pop(method)
        if failure is not None:
            self._record(
                method=method,
                params=params,
                headers=headers,
                status=failure.status,
                error=failure.error,
            )
            return failure.answer()
        limited = self._history_limited(method, params, headers)
        if limited is not None:
            return limited
        try:
            if parse_error is not None:
                raise SlackMethodError(parse_error)
            fields = self._dispatch(method, self._capped(method, params), headers)
        except SlackMethodError as exc:
            self._record(method=method, params=params, headers=headers, status=200, error=exc.error)
            return _json_answer({"ok": False, "error": exc.error})
        self._record(method=method, params=params, headers=headers, status=200, error=None)
        drop = method == "chat.postMessage" and not self._run_post_hook(fields)
        return _json_answer({"ok": True, **fields}, drop_connection=drop)

    def _history_limited(
        self, method: str, params: dict[str, Any], headers: dict[str, str]
    ) -> ApiAnswer | None:
        with self._lock:
            limit = self._history_limit
        if limit is None or method not in HISTORY_METHODS:
            return None
        retry_after = limit.admit()
        if retry_after is None:
            return None
        self._record(method=method, params=params, headers=headers, status=429, error="ratelimited")
        failure = build_failure(status=429, error=None, ok=False, retry_after=int(retry_after))
        return failure.answer()

    def _capped(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            limit = self._history_limit
        if limit is None or method not in HISTORY_METHODS:
            return params
        return limit.capped(params)

    def _dispatch(
        self, method: str, params: dict[str, Any], headers: dict[str, str]
    ) -> dict[str, Any]:
        implementation = METHODS.get(method)
        if implementation is None:
            raise SlackMethodError("unknown_method")
        token = bearer_token(headers.get("authorization")) or params.get("token")
        if not token:
            raise SlackMethodError("not_authed")
        if token != (self.app_token if method in APP_TOKEN_METHODS else self.token):
            raise SlackMethodError("invalid_auth")
        return implementation(self._workspace, params, self._server.origin)

    def _run_post_hook(self, fields: dict[str, Any]) -> bool:
        """Run the hook; False means: drop the connection instead of answering."""
        with self._lock:
            hook = self._post_hook
        if hook is None:
            return True
        posted = PostedMessage(
            channel=fields["channel"], ts=fields["ts"], message=copy.deepcopy(fields["message"])
        )
        try:
            hook(posted)
        except Exception:  # any hook failure means "the poster died before the answer"
            return False
        return True

    def _record(
        self,
        *,
        method: str,
        params: dict[str, Any],
        headers: dict[str, str],
        status: int,
        error: str | None,
    ) -> None:
        call = RecordedCall(
            method=method,
            params=params,
            headers=headers,
            at=time.time(),
            status=status,
            error=error,
        )
        with self._lock:
            self._calls.append(call)

    def handle_upload(self, *, file_id: str, body: bytes, content_type: str) -> bool:
        content = upload_content(body=body, content_type=content_type)
        return receive_upload(self._workspace, file_id=file_id, content=content)

    def handle_response_url(self, *, token: str, body: bytes) -> None:
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            payload = {"raw": body.decode(errors="replace")}
        post = ResponseUrlPost(token=token, payload=payload, at=time.time())
        with self._lock:
            self._responses.append(post)

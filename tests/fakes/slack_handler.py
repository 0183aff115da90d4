"""HTTP layer of the fake Slack Web API: routes requests to a ``SlackBackend``.

Routes on ``http://127.0.0.1:<port>``:
    /api/<method>        Web API methods
    /upload/<file_id>    the upload URL handed out by files.getUploadURLExternal
    /response/<token>    a ``response_url`` (bolt's ``respond()`` posts JSON here)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit

from tests.fakes.local_server import QuietHandler

JSON = "application/json; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True, kw_only=True)
class ApiAnswer:
    """What to send back for one Web API call."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    drop_connection: bool = False


@runtime_checkable
class SlackBackend(Protocol):
    def handle_api(
        self, *, method: str, query: str, body: bytes, headers: dict[str, str]
    ) -> ApiAnswer:
        """Answer ``/api/<method>``; ``headers`` have lower-case names."""

    def handle_upload(self, *, file_id: str, body: bytes, content_type: str) -> bool:
        """Store an uploaded file; False if the upload URL is unknown."""

    def handle_response_url(self, *, token: str, body: bytes) -> None:
        """Record a POST to a response_url."""


def split_route(path: str) -> tuple[str, str, str]:
    """``/api/chat.postMessage?x=1`` -> ``("api", "chat.postMessage", "x=1")``."""
    parts = urlsplit(path)
    _, prefix, rest = (parts.path + "/").split("/", 2)
    return prefix, rest.rstrip("/"), parts.query


class SlackHandler(QuietHandler):
    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    @property
    def backend(self) -> SlackBackend:
        app = self.app
        assert isinstance(app, SlackBackend)
        return app

    def _route(self) -> None:
        prefix, rest, query = split_route(self.path)
        body = self.read_body()
        if prefix == "api" and rest:
            self._api(method=rest, query=query, body=body)
        elif prefix == "upload" and rest:
            self._upload(file_id=rest, body=body)
        elif prefix == "response" and rest:
            self.backend.handle_response_url(token=rest, body=body)
            self.send_bytes(status=200, body=b"ok", content_type=TEXT)
        else:
            self.send_bytes(status=404, body=b"Not Found", content_type=TEXT)

    def _api(self, *, method: str, query: str, body: bytes) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        answer = self.backend.handle_api(method=method, query=query, body=body, headers=headers)
        if answer.drop_connection:
            self.close_connection = True
            return
        self.send_bytes(
            status=answer.status, body=answer.body, content_type=JSON, headers=answer.headers
        )

    def _upload(self, *, file_id: str, body: bytes) -> None:
        content_type = self.headers.get("Content-Type", "")
        found = self.backend.handle_upload(file_id=file_id, body=body, content_type=content_type)
        reply = f"OK - {len(body)}" if found else "Not Found"
        self.send_bytes(status=200 if found else 404, body=reply.encode(), content_type=TEXT)

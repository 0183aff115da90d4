"""HTTP layer of the recorded-source server: conditional GET, delays, truncation."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol, runtime_checkable

from tests.fakes.local_server import QuietHandler
from tests.fakes.source_replies import Reply, not_found


@runtime_checkable
class ReplySource(Protocol):
    max_delay: float

    def next_reply(self, *, method: str, target: str, headers: dict[str, str]) -> Reply | None:
        """Record the request and choose its reply."""


def _etag_matches(reply: Reply, if_none_match: str) -> bool:
    if reply.etag is None:
        return False
    wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in wanted or reply.etag.removeprefix("W/") in wanted


def _not_modified_since(reply: Reply, if_modified_since: str) -> bool:
    if reply.last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        return False
    return _whole_seconds(reply.last_modified) <= since


def _whole_seconds(moment: datetime) -> datetime:
    """HTTP dates carry whole seconds; a naive datetime is taken as UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.replace(microsecond=0)


def is_not_modified(reply: Reply, headers: dict[str, str]) -> bool:
    """RFC 9110: If-None-Match, when present, decides; else If-Modified-Since."""
    if reply.status != 200:
        return False
    if "if-none-match" in headers:
        return _etag_matches(reply, headers["if-none-match"])
    if "if-modified-since" in headers:
        return _not_modified_since(reply, headers["if-modified-since"])
    return False


class SourceHandler(QuietHandler):
    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    @property
    def source(self) -> ReplySource:
        app = self.app
        assert isinstance(app, ReplySource)
        return app

    def _answer(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = self.source.next_reply(method=self.command, target=self.path, headers=headers)
        reply = not_found() if reply is None else reply
        # A stopping server ends the wait at once and answers nothing.
        if reply.delay > 0 and self.stopping.wait(min(reply.delay, self.source.max_delay)):
            self.close_connection = True
            return
        try:
            if is_not_modified(reply, headers):
                self._send_not_modified(reply)
            else:
                self._send(reply)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (e.g. its timeout was shorter than the delay).
            self.close_connection = True

    def _send_not_modified(self, reply: Reply) -> None:
        self.send_response(304)
        for name, value in reply.validator_headers().items():
            self.send_header(name, value)
        self.end_headers()

    def _send(self, reply: Reply) -> None:
        body = reply.body
        sent = body[: len(body) // 2] if reply.truncate is not None else body
        declared = len(body) if reply.truncate == "connection" else len(sent)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(declared))
        for name, value in (reply.validator_headers() | reply.headers).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(sent)
        self.close_connection = True

"""A local HTTP server that serves recorded source documents to the watchers.

    with SourceServer() as sources:
        sources.route("/csl/consolidated.csv", body=csv, content_type="text/csv",
                      etag=strong_etag(csv))
        sources.route_sequence("/fr/documents.json", [server_error(), server_error(), ok])
        fetch(sources.url("/csl/consolidated.csv"))

Routes match the request path and query (raw or percent-decoded) if such a
route exists, else the path alone. Each route answers a sequence of ``Reply``
(the last one repeats).
Conditional GETs get 304 when the reply has a matching ``etag`` (If-None-Match,
which wins) or a ``last_modified`` not newer than If-Modified-Since.
"""

from __future__ import annotations

import mimetypes
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakes.local_server import LocalServer
from tests.fakes.source_handler import SourceHandler
from tests.fakes.source_replies import Reply, Truncation, strong_etag

__all__ = ["RecordedRequest", "SourceServer"]

# Upper bound for ``Reply.delay``: slow answers never hold a test longer than this.
DEFAULT_MAX_DELAY = 10.0


@dataclass(frozen=True, kw_only=True)
class RecordedRequest:
    """One request received; header names are lower-case, ``params`` decoded."""

    method: str
    path: str
    query: str
    params: dict[str, list[str]]
    headers: dict[str, str]
    at: float


class _Script:
    """The replies of one route, served in order; the last one repeats."""

    def __init__(self, replies: Sequence[Reply]) -> None:
        if not replies:
            raise ValueError("a route needs at least one reply")
        self._replies = list(replies)
        self._served = 0

    def next(self) -> Reply:
        reply = self._replies[min(self._served, len(self._replies) - 1)]
        self._served += 1
        return reply


class SourceServer:
    """Serves registered routes on 127.0.0.1; start with ``start()`` or ``with``."""

    def __init__(self, *, max_delay: float = DEFAULT_MAX_DELAY) -> None:
        self.max_delay = max_delay
        self._lock = threading.Lock()
        self._routes: dict[str, _Script] = {}
        self._requests: list[RecordedRequest] = []
        self._server = LocalServer(handler=SourceHandler, app=self)

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``, no trailing slash."""
        return self._server.origin

    def url(self, path: str) -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def reset(self) -> None:
        with self._lock:
            self._routes.clear()
            self._requests.clear()

    def route(
        self,
        path: str,
        *,
        body: bytes = b"",
        content_type: str = "application/octet-stream",
        status: int = 200,
        headers: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: datetime | None = None,
        delay: float = 0.0,
        truncate: Truncation | None = None,
    ) -> None:
        """Answer ``path`` always the same way (replaces any earlier route)."""
        reply = Reply(
            body=body,
            content_type=content_type,
            status=status,
            headers=dict(headers or {}),
            etag=etag,
            last_modified=last_modified,
            delay=delay,
            truncate=truncate,
        )
        self.route_sequence(path, [reply])

    def route_reply(self, path: str, reply: Reply) -> None:
        self.route_sequence(path, [reply])

    def route_sequence(self, path: str, replies: Sequence[Reply]) -> None:
        """Answer successive requests with ``replies`` in order, repeating the last."""
        with self._lock:
            self._routes[path] = _Script(replies)

    def serve_directory(self, directory: Path, *, prefix: str = "/") -> list[str]:
        """Route every file under ``directory`` at ``prefix + relative path``.

        Content types come from the file extension; each reply carries a strong
        ETag and the file's mtime as Last-Modified. Returns the routed paths.
        """
        base = "/" + prefix.strip("/")
        routed: list[str] = []
        for file in sorted(p for p in directory.rglob("*") if p.is_file()):
            path = f"{base.rstrip('/')}/{file.relative_to(directory).as_posix()}"
            content = file.read_bytes()
            guessed = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            modified = datetime.fromtimestamp(file.stat().st_mtime, tz=UTC)
            self.route(
                path,
                body=content,
                content_type=guessed,
                etag=strong_etag(content),
                last_modified=modified,
            )
            routed.append(path)
        return routed

    def requests(self, path: str | None = None) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self._requests if path is None or r.path == path]

    def hits(self, path: str) -> int:
        return len(self.requests(path))

    def next_reply(self, *, method: str, target: str, headers: dict[str, str]) -> Reply | None:
        """Record the request and pick its reply (None: no such route). Handler use."""
        parts = urlsplit(target)
        request = RecordedRequest(
            method=method,
            path=parts.path,
            query=parts.query,
            params=parse_qs(parts.query, keep_blank_values=True),
            headers=headers,
            at=time.time(),
        )
        with self._lock:
            self._requests.append(request)
            script = (
                self._routes.get(target)
                or self._routes.get(unquote(target))
                or self._routes.get(parts.path)
            )
            return None if script is None else script.next()

"""A local server that misbehaves on purpose: it trickles, stalls and redirects.

    with HostileServer() as hostile:
        hostile.trickle_body("/feed", body=feed_bytes, every=0.2)   # one byte per 0.2 s
        hostile.trickle_headers("/slow-headers", every=0.2)         # never finishes its headers
        hostile.stall("/silent")                                    # reads the request, says nothing
        hostile.redirect("/go", to="http://127.0.0.1:5432/")        # a 302 elsewhere
        hostile.serve("/page", body=b"...", content_type="text/html")

Each behaviour lasts until the client goes away or the server stops (a trickle sends its
whole body at most). Requests are recorded by path, so a test can say what was fetched.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import TracebackType
from typing import Literal, Self

from tests.fakes.local_server import LocalServer, QuietHandler

Behaviour = Literal["serve", "trickle_body", "trickle_headers", "stall", "redirect"]


@dataclass(frozen=True, kw_only=True)
class _Route:
    behaviour: Behaviour
    body: bytes = b""
    content_type: str = "text/plain"
    every: float = 0.2
    location: str = ""
    status: int = 200


class _HostileHandler(QuietHandler):
    def do_GET(self) -> None:
        app = self.app
        assert isinstance(app, HostileServer)
        route = app.record(self.path)
        if route is None:
            self.send_bytes(status=404, body=b"not found", content_type="text/plain")
            return
        try:
            getattr(self, f"_{route.behaviour}")(route)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True  # the client gave up, as it should

    def _serve(self, route: _Route) -> None:
        self.send_bytes(status=route.status, body=route.body, content_type=route.content_type)

    def _redirect(self, route: _Route) -> None:
        self.send_bytes(
            status=route.status,
            body=b"moved",
            content_type="text/plain",
            headers={"Location": route.location},
        )

    def _trickle_body(self, route: _Route) -> None:
        self.send_response(200)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        self.wfile.flush()
        for index in range(len(route.body)):
            if self.stopping.wait(route.every):
                return
            self.wfile.write(route.body[index : index + 1])
            self.wfile.flush()

    def _trickle_headers(self, route: _Route) -> None:
        self.wfile.write(b"HTTP/1.0 200 OK\r\n")
        self.wfile.flush()
        while not self.stopping.wait(route.every):
            self.wfile.write(b"X")  # one byte of a header line that never ends
            self.wfile.flush()

    def _stall(self, route: _Route) -> None:
        self.stopping.wait()


class HostileServer:
    """Serves misbehaving routes on 127.0.0.1; start with ``start()`` or ``with``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._routes: dict[str, _Route] = {}
        self._hits: list[str] = []
        self._server = LocalServer(handler=_HostileHandler, app=self)

    def __enter__(self) -> Self:
        self._server.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.stop()

    @property
    def port(self) -> int:
        return self._server.port

    def url(self, path: str, *, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def serve(self, path: str, *, body: bytes, content_type: str = "text/html") -> None:
        self._add(path, _Route(behaviour="serve", body=body, content_type=content_type))

    def trickle_body(
        self, path: str, *, body: bytes, every: float = 0.2, content_type: str = "text/plain"
    ) -> None:
        self._add(
            path,
            _Route(behaviour="trickle_body", body=body, every=every, content_type=content_type),
        )

    def trickle_headers(self, path: str, *, every: float = 0.2) -> None:
        self._add(path, _Route(behaviour="trickle_headers", every=every))

    def stall(self, path: str) -> None:
        self._add(path, _Route(behaviour="stall"))

    def redirect(self, path: str, *, to: str, status: int = 302) -> None:
        self._add(path, _Route(behaviour="redirect", location=to, status=status))

    def hits(self, path: str | None = None) -> int:
        with self._lock:
            return sum(1 for hit in self._hits if path is None or hit == path)

    def record(self, path: str) -> _Route | None:
        with self._lock:
            self._hits.append(path)
            return self._routes.get(path)

    def _add(self, path: str, route: _Route) -> None:
        with self._lock:
            self._routes[path] = route

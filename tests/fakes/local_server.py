"""A stdlib HTTP server on 127.0.0.1 with an ephemeral port, run in a background thread.

Both fakes (the Slack Web API and the recorded-source server) compose one
``LocalServer``: it owns the socket, the serving thread and a ``stopping`` event
that slow handlers wait on, so ``stop()`` never hangs on a sleeping request.
Handler threads are not daemons and are joined on ``stop()``, so no socket is
left for the garbage collector (tests run with ``filterwarnings = error``).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

# A client that connects and never sends a request must not block stop() forever.
HANDLER_SOCKET_TIMEOUT = 5.0


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    # The stdlib default backlog (5) drops connections under a burst of parallel clients.
    request_queue_size = 128

    def __init__(self, *, handler: type[BaseHTTPRequestHandler], app: object) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.app = app
        self.stopping = threading.Event()


class QuietHandler(BaseHTTPRequestHandler):
    """Base handler: HTTP/1.0 (one request per connection), no stderr logging."""

    protocol_version = "HTTP/1.0"
    timeout = HANDLER_SOCKET_TIMEOUT

    def log_message(self, format: str, *args: Any) -> None:
        return

    @property
    def app(self) -> object:
        assert isinstance(self.server, _Server)
        return self.server.app

    @property
    def stopping(self) -> threading.Event:
        assert isinstance(self.server, _Server)
        return self.server.stopping

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def send_bytes(
        self,
        *,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class LocalServer:
    """Serve ``handler`` (whose ``self.app`` is ``app``) until ``stop()``."""

    def __init__(self, *, handler: type[QuietHandler], app: object) -> None:
        self._handler = handler
        self._app = app
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("server is not started")
        return int(self._server.server_address[1])

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>`` without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        if self._server is not None:
            return
        self._server = _Server(handler=self._handler, app=self._app)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-{type(self._app).__name__}",
        )
        self._thread.start()

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.stopping.set()
        server.shutdown()
        server.server_close()  # joins handler threads (block_on_close)
        thread.join()
        self._server, self._thread = None, None

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

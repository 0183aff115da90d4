"""A small local HTTP server for the demo's recorded documents, with ETags (so the
watchers' conditional GETs get 304s between stages, as they do live)."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True, slots=True)
class Document:
    body: bytes
    content_type: str

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


class _DocumentServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.documents: dict[str, Document] = {}
        self.lock = threading.Lock()

    def lookup(self, path: str) -> Document | None:
        with self.lock:
            return self.documents.get(path)


class _Handler(BaseHTTPRequestHandler):
    server: _DocumentServer

    def do_GET(self) -> None:
        document = self.server.lookup(self.path.split("?", 1)[0])
        if document is None:
            self.send_error(404)
            return
        if self.headers.get("If-None-Match") == document.etag:
            self.send_response(304)
            self.send_header("ETag", document.etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", document.content_type)
        self.send_header("Content-Length", str(len(document.body)))
        self.send_header("ETag", document.etag)
        self.end_headers()
        self.wfile.write(document.body)

    def log_message(self, format: str, *args: object) -> None:
        return  # the demo's output is the alerts, not an access log


class DemoServer:
    def __init__(self) -> None:
        self._server = _DocumentServer()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def publish(self, path: str, body: bytes, content_type: str) -> None:
        with self._server.lock:
            self._server.documents[path] = Document(body=body, content_type=content_type)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

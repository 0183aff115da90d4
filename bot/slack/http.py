"""HTTP mode: `/slack/events` for Slack (through bolt, signature-verified), `/healthz` for
load balancers, served by waitress (a production WSGI server)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import create_server

from bot.errors import UserError

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

EVENTS_PATH = "/slack/events"
HealthCheck = Callable[[], dict[str, Any]]


def make_wsgi(app: App, *, health: HealthCheck) -> WSGIApplication:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            report = health()
            status = "200 OK" if report.get("ok") else "503 Service Unavailable"
            body = json.dumps(report).encode()
            start_response(
                status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            )
            return [body]
        if path == EVENTS_PATH:
            return slack(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return application


def create_http_server(wsgi: WSGIApplication, *, host: str, port: int) -> Any:
    """A waitress server bound to host:port (not yet serving). A taken port is a UserError."""
    try:
        return create_server(wsgi, host=host, port=port, threads=8, ident="entitywatch")
    except OSError as exc:
        if isinstance(exc, PermissionError) or getattr(exc, "errno", None) in (98, 48, 10048):
            raise UserError(
                f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                "another process has the port: stop it or set PORT"
            ) from None
        raise


def serve_until(server: Any, stop: threading.Event) -> None:
    """Serve until `stop` is set, then close from this same thread.

    waitress's `run()` serves forever; closing its sockets from another thread races
    with the select loop. Tests, the benchmark and embedders use this instead.
    """
    # One listening socket gives a TcpWSGIServer (`_map`), several a MultiSocketServer (`map`).
    sockets = getattr(server, "map", None) or server._map
    while not stop.is_set():
        wasyncore.loop(timeout=0.05, map=sockets, use_poll=server.adj.asyncore_use_poll, count=1)
    server.task_dispatcher.shutdown()
    wasyncore.close_all(sockets)

"""HTTP mode: `/slack/events` for Slack (through bolt, signature-verified), `/healthz` for
load balancers, served by waitress (a production WSGI server).

waitress' defaults let about a hundred idle sockets take a replica offline (100
connections, 120 s idle timeout, `select()`); `HttpLimits` sets what a replica
accepts, and deploy/nginx.conf shows the reverse proxy that shields it in production.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import create_server
from waitress.task import ThreadedTaskDispatcher

from bot.errors import UserError
from bot.slack.edge import SlackRequestGate

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
HealthCheck = Callable[[], dict[str, Any]]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """What one replica's waitress accepts (settings HTTP_THREADS, HTTP_CONNECTION_LIMIT,
    HTTP_IDLE_TIMEOUT); the reverse proxy in front is the first line against slow clients."""

    threads: int = 16
    # Open sockets, idle ones included; beyond it waitress stops accepting. Keep it under
    # the process' open-file limit (ulimit -n).
    connection_limit: int = 500
    # Seconds a socket may sit idle (no request, or between keep-alive requests).
    channel_timeout: int = 30
    # How often (seconds) idle sockets are looked for.
    cleanup_interval: int = 5
    backlog: int = 1024


def make_wsgi(app: App, *, health: HealthCheck, signing_secret: str) -> WSGIApplication:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    gate = SlackRequestGate(signing_secret)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH:
            report = health()
            status = "200 OK" if report.get("ok") else "503 Service Unavailable"
            body = json.dumps(report).encode()
            start_response(
                status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            )
            return [body]
        if path == EVENTS_PATH:
            if environ.get("REQUEST_METHOD") != "POST":
                return _plain(start_response, "405 Method Not Allowed", b"POST only")
            refusal = gate.check(environ)
            if refusal is not None:
                return _plain(start_response, refusal.status, refusal.reason.encode())
            return slack(environ, start_response)
        return _plain(start_response, "404 Not Found", b"not found")

    return application


def _plain(start_response: StartResponse, status: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


class QueueBacklog:
    """One "http.queue_backlog" line per `interval` for requests that waited for a worker.

    waitress warns "Task queue depth is N" for every request that waits: tens of
    thousands of lines in a short burst, each record built while the dispatcher holds
    its queue's lock. Here a waiting request only raises counts; the first one of a
    window is logged, with the deepest queue seen and how many went unlogged before it.
    """

    def __init__(self, *, interval: float = 30.0) -> None:
        self._interval = interval
        self._lock = threading.Lock()
        self._window_start = float("-inf")
        self._suppressed = 0
        self._deepest = 0
        self.seen = 0  # requests that waited, in total, logged or not

    def note(self, depth: int) -> None:
        now = time.monotonic()
        with self._lock:
            self.seen += 1
            self._deepest = max(self._deepest, depth)
            if now - self._window_start < self._interval:
                self._suppressed += 1
                return
            deepest, suppressed = self._deepest, self._suppressed
            self._window_start, self._suppressed, self._deepest = now, 0, 0
        log.warning(
            "http.queue_backlog depth=%d deepest=%d suppressed_before=%d",
            depth,
            deepest,
            suppressed,
        )


class HealthFirstDispatcher(ThreadedTaskDispatcher):  # type: ignore[misc]  # untyped
    """waitress' worker threads, with `/healthz` probes put at the head of their queue.

    Every request waits in one first-in first-out queue for a worker; under load a probe
    waited behind every queued screening, so a busy replica looked dead to its load
    balancer. A probe still runs on a worker (its answer shows the workers are alive)
    but waits only for the next one free.
    """

    def __init__(self) -> None:
        super().__init__()
        self.backlog = QueueBacklog()

    def add_task(self, task: Any) -> None:
        # In place of waitress' own: the same queue and wake-up, a probe queued first, and
        # the backlog counted (`QueueBacklog`) instead of a warning per waiting request.
        with self.lock:
            if _is_probe(task):
                self.queue.appendleft(task)
            else:
                self.queue.append(task)
            self.queue_cv.notify()
            idle = len(self.threads) - self.stop_count - self.active_count
            waiting = len(self.queue) - idle
        if waiting > 0:
            self.backlog.note(waiting)


def _is_probe(task: Any) -> bool:
    # The task is a connection whose oldest unanswered request is served next; waitress
    # calls this while holding that connection's request lock.
    requests: list[Any] = getattr(task, "requests", None) or []
    return bool(requests) and getattr(requests[0], "path", None) == HEALTH_PATH


def create_http_server(
    wsgi: WSGIApplication, *, host: str, port: int, limits: HttpLimits | None = None
) -> Any:
    """A waitress server bound to host:port (not yet serving). A taken port is a UserError."""
    limits = limits or HttpLimits()
    dispatcher = HealthFirstDispatcher()
    try:
        server = create_server(
            wsgi,
            host=host,
            port=port,
            ident="entitywatch",
            # poll(), not select(): select() fails past 1024 open sockets.
            asyncore_use_poll=True,
            # waitress takes a dispatcher of one's own through this (it leaves the thread
            # count to the caller then).
            _dispatcher=dispatcher,
            **asdict(limits),
        )
    except OSError as exc:
        if isinstance(exc, PermissionError) or getattr(exc, "errno", None) in (98, 48, 10048):
            raise UserError(
                f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                "another process has the port: stop it or set PORT"
            ) from None
        raise
    dispatcher.set_thread_count(limits.threads)
    return server


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

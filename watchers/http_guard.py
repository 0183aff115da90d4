"""Holding one fetch to its deadline and its scope at the socket, whatever the server does.

A read timeout bounds each wait for bytes, not a whole answer: a server that sends one
byte every few seconds, in its headers or its body, holds a request for as long as it
likes. A `FetchGuard` is armed around each request: a timer that, at the deadline, shuts
down every socket the request uses, so that a read blocked in the middle of headers or
a body returns at once and the fetcher reports the deadline.

The guard also checks the address each new direct connection actually reached against
the fetch's scope (`watchers.fetch_scope`), before a byte is sent, whatever host the
connection names: the host was resolved and checked before the request, and this
catches a name that answered differently the second time (or a connection to another
host than the one checked). Connections made through a proxy reach the proxy, so only
the deadline applies to them (the target was still checked before the request, as far
as can be without resolving it: `watchers.http`).

The guard reaches the sockets through `GuardedAdapter`, which the fetcher mounts on its
`requests` session: its connection classes register with the guard of the request
running in the current thread.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from watchers.fetch_scope import DEFAULT_PORTS, FetchScope, Origin

_current = threading.local()


class AddressRefused(OSError):
    """A connection reached an address the fetch's scope does not allow."""


class FetchGuard:
    """The deadline and scope of one request: arm it around the request, disarm it once the
    body is read (before the connection goes back to the pool)."""

    def __init__(self, *, scope: FetchScope, target: Origin, seconds: float) -> None:
        self.scope = scope
        self.target = target
        self._seconds = _timer_seconds(seconds)
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._expired = False
        self._disarmed = False
        self._timer = threading.Timer(self._seconds, self._expire)
        self._timer.daemon = True

    @property
    def expired(self) -> bool:
        return self._expired

    def arm(self) -> None:
        self._timer.start()

    def disarm(self) -> None:
        with self._lock:
            self._disarmed = True
        self._timer.cancel()

    def register(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self._expired and not self._disarmed:
                _shut(sock)
            self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            if self._disarmed:
                return
            self._expired = True
            for sock in self._sockets:
                _shut(sock)


def _timer_seconds(seconds: float) -> float:
    """`seconds` as a timer can wait them: a wait longer than the platform allows would kill
    the timer's thread (OverflowError), and with it the deadline."""
    if not seconds > 0:  # NaN too
        return 0.0
    return min(seconds, threading.TIMEOUT_MAX)


@contextmanager
def guarding(guard: FetchGuard) -> Iterator[FetchGuard]:
    """Arm `guard` for the request made in this thread inside the block."""
    _current.guard = guard
    guard.arm()
    try:
        yield guard
    finally:
        guard.disarm()
        _current.guard = None


def _guard() -> FetchGuard | None:
    guard = getattr(_current, "guard", None)
    return guard if isinstance(guard, FetchGuard) else None


def _shut(sock: socket.socket) -> None:
    # The base method: an SSLSocket's own shutdown() would drop its TLS state under a reader.
    with suppress(OSError):  # already closed, or never connected: nothing to wake
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _checked(conn: HTTPConnection, sock: socket.socket) -> socket.socket:
    guard = _guard()
    if guard is None:
        return sock
    guard.register(sock)
    if guard.expired:
        sock.close()
        raise TimeoutError("the fetch's deadline passed while connecting")
    if getattr(conn, "proxy", None) is not None:
        return sock  # a proxy (or its tunnel): the peer is the proxy, not the target
    # Every direct peer is checked, under the origin the connection itself is to: it may
    # be at a non-public address only if that origin is a configured source's own.
    address = str(sock.getpeername()[0])
    refusal = guard.scope.address_refusal(_origin_of(conn), address)
    if refusal is not None:
        sock.close()
        raise AddressRefused(refusal)
    return sock


def _origin_of(conn: HTTPConnection) -> Origin:
    """The origin a direct connection is to (urllib3 holds its host in ASCII already)."""
    scheme = "https" if isinstance(conn, HTTPSConnection) else "http"
    host = conn.host.lower().removeprefix("[").removesuffix("]")
    return Origin(scheme, host, conn.port or DEFAULT_PORTS[scheme])


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _checked(self, super()._new_conn())

    def getresponse(self) -> Any:
        guard = _guard()
        if guard is not None:
            guard.register(self.sock)  # a pooled connection, reused: no new socket
        return super().getresponse()


class _GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _checked(self, super()._new_conn())

    def getresponse(self) -> Any:
        guard = _guard()
        if guard is not None:
            guard.register(self.sock)
        return super().getresponse()


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


_POOLS = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections answer to the guard of the current request."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = dict(_POOLS)
        return manager

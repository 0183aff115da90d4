"""A local WebSocket server that speaks Slack's Socket Mode protocol to the real client.

    with FakeSlackApi() as slack, FakeSocketMode() as socket_mode:
        slack.serve_socket_mode(socket_mode.issue_url)   # apps.connections.open answers it
        ... start `entitywatch run` with SLACK_APP_TOKEN=slack.app_token ...
        socket_mode.wait_connections(1)
        envelope_id = socket_mode.send_slash_command({...form fields...})
        ack = socket_mode.wait_ack(envelope_id)           # ack.payload: the ephemeral answer

The protocol as Slack documents it: every connection URL is a single-use ticket issued
by ``apps.connections.open``; on connect the server sends ``hello``; requests arrive as
envelopes (``slash_commands``, ``interactive``, ``events_api``) carrying an
``envelope_id`` the app must acknowledge on the socket within 3 s, optionally with a
response ``payload`` when the envelope ``accepts_response_payload``; a ``disconnect``
message (reason ``refresh_requested``, ``warning``, ...) asks the app to open a new
connection, and Slack closes the old one a few seconds later; a connection may also just
close (``drop``), and the app must connect again by itself. An envelope not acked
when its connection closes is sent again (``retry_attempt`` + 1) on the newest one.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

__all__ = ["Ack", "FakeSocketMode"]

# Slack closes the old connection about 10 s after its `disconnect` warning.
OLD_CONNECTION_GRACE = 10.0
# Seconds Slack waits for an ack before it sends the envelope again.
ACK_WINDOW = 3.0


@dataclass(frozen=True, kw_only=True)
class Ack:
    """One acknowledgement as the app sent it; ``connection`` counts from 1."""

    envelope_id: str
    payload: dict[str, Any] | None
    connection: int


@dataclass(frozen=True, kw_only=True)
class _Sent:
    envelope: dict[str, Any]
    connection: int


class FakeSocketMode:
    """Fake Socket Mode endpoint; start with ``start()`` or ``with``."""

    def __init__(self, *, app_id: str = "A0ENTITYWATCH", ack_window: float = ACK_WINDOW) -> None:
        self.app_id = app_id
        self.ack_window = ack_window
        self._cond = threading.Condition()
        self._tickets = itertools.count(1)
        self._envelope_numbers = itertools.count(1)
        self._issued: set[str] = set()
        self._open: dict[int, ServerConnection] = {}
        self._connected = 0
        self._refused_tickets: list[str] = []
        self._sent: dict[str, _Sent] = {}
        self._acks: list[Ack] = []
        self._redelivered: list[str] = []
        self._stopping = False
        self._server: Server = serve(self._handle, "127.0.0.1", 0, ping_interval=None)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle ---------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
        self._server.shutdown()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeSocketMode:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- what apps.connections.open hands out -----------------------------------------
    def issue_url(self) -> str:
        """A fresh single-use connection URL, as ``apps.connections.open`` returns one."""
        ticket = f"ticket-{next(self._tickets)}"
        with self._cond:
            self._issued.add(ticket)
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket={ticket}&app_id={self.app_id}"

    # -- what Slack sends ---------------------------------------------------------------
    def send_slash_command(self, form: dict[str, str]) -> str:
        return self._send_envelope(kind="slash_commands", payload=form, accepts_response=True)

    def send_interaction(self, payload: dict[str, Any]) -> str:
        return self._send_envelope(kind="interactive", payload=payload, accepts_response=False)

    def send_event(self, payload: dict[str, Any]) -> str:
        return self._send_envelope(kind="events_api", payload=payload, accepts_response=False)

    def disconnect(self, *, reason: str = "refresh_requested") -> int:
        """Warn the newest connection that it will close; it closes after the app has
        opened another one (or after ``OLD_CONNECTION_GRACE``). Returns its number."""
        number, connection = self._newest()
        connection.send(json.dumps({"type": "disconnect", "reason": reason, "debug_info": {}}))
        threading.Thread(target=self._close_when_replaced, args=(number,), daemon=True).start()
        return number

    def drop(self) -> int:
        """Close the newest connection without a warning (a Slack host going away);
        the app must notice and connect again by itself. Returns its number."""
        number, connection = self._newest()
        connection.close(code=1001, reason="going away")
        return number

    # -- assertions ----------------------------------------------------------------------
    @property
    def connections(self) -> int:
        with self._cond:
            return self._connected

    @property
    def refused_tickets(self) -> list[str]:
        """Tickets that were unknown or used twice (Slack answers those with HTTP 401)."""
        with self._cond:
            return list(self._refused_tickets)

    @property
    def redelivered(self) -> list[str]:
        with self._cond:
            return list(self._redelivered)

    def acks(self, envelope_id: str | None = None) -> list[Ack]:
        with self._cond:
            return [a for a in self._acks if envelope_id in (None, a.envelope_id)]

    def wait_connections(self, count: int, *, timeout: float = 30.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self._connected >= count, timeout=timeout):
                raise AssertionError(f"{self._connected} connections, expected {count}")

    def wait_ack(self, envelope_id: str, *, timeout: float = 15.0) -> Ack:
        with self._cond:
            self._cond.wait_for(lambda: self._ack_of(envelope_id) is not None, timeout=timeout)
            ack = self._ack_of(envelope_id)
        if ack is None:
            raise AssertionError(f"envelope {envelope_id} was never acknowledged")
        return ack

    # -- internals -------------------------------------------------------------------------
    def _ack_of(self, envelope_id: str) -> Ack | None:
        return next((a for a in self._acks if a.envelope_id == envelope_id), None)

    def _newest(self) -> tuple[int, ServerConnection]:
        with self._cond:
            if not self._cond.wait_for(lambda: bool(self._open), timeout=30):
                raise AssertionError("no Socket Mode connection is open")
            number = max(self._open)
            return number, self._open[number]

    def _send_envelope(self, *, kind: str, payload: dict[str, Any], accepts_response: bool) -> str:
        envelope_id = f"envelope-{next(self._envelope_numbers)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "accepts_response_payload": accepts_response,
            "payload": payload,
        }
        if kind == "events_api":
            envelope |= {"retry_attempt": 0, "retry_reason": ""}
        self._deliver(envelope)
        return envelope_id

    def _deliver(self, envelope: dict[str, Any]) -> None:
        number, connection = self._newest()
        with self._cond:
            self._sent[envelope["envelope_id"]] = _Sent(envelope=envelope, connection=number)
        connection.send(json.dumps(envelope))

    def _handle(self, connection: ServerConnection) -> None:
        request = connection.request
        query = parse_qs(urlsplit(request.path).query) if request else {}
        ticket = query.get("ticket", [""])[0]
        with self._cond:
            if ticket not in self._issued:
                self._refused_tickets.append(ticket)
                connection.close(code=4001, reason="invalid ticket")
                return
            self._issued.discard(ticket)  # a ticket opens one connection only
            self._connected += 1
            number = self._connected
        connection.send(json.dumps(self._hello()))
        with self._cond:
            self._open[number] = connection
            self._cond.notify_all()
        try:
            for message in connection:
                self._receive(message, number)
        except ConnectionClosed:
            pass
        finally:
            self._closed(number)

    def _hello(self) -> dict[str, Any]:
        return {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "applink-fake", "approximate_connection_time": 3600},
            "connection_info": {"app_id": self.app_id},
        }

    def _receive(self, message: str | bytes, number: int) -> None:
        data = json.loads(message)
        ack = Ack(envelope_id=data["envelope_id"], payload=data.get("payload"), connection=number)
        with self._cond:
            self._acks.append(ack)
            self._cond.notify_all()

    def _closed(self, number: int) -> None:
        with self._cond:
            self._open.pop(number, None)
            self._cond.notify_all()
        threading.Thread(target=self._redeliver_unacked, args=(number,), daemon=True).start()

    def _redeliver_unacked(self, number: int) -> None:
        """Slack sends an envelope again when it was delivered on a connection that closed
        and no ack came within the ack window (the ack may come on the new connection)."""

        def unacked() -> list[dict[str, Any]]:
            return [
                s.envelope
                for envelope_id, s in self._sent.items()
                if s.connection == number and self._ack_of(envelope_id) is None
            ]

        with self._cond:
            self._cond.wait_for(lambda: not unacked(), timeout=self.ack_window)
            missing = [] if self._stopping else unacked()
            self._redelivered.extend(e["envelope_id"] for e in missing)
        for envelope in missing:
            retry = envelope | {"retry_attempt": envelope.get("retry_attempt", 0) + 1}
            self._deliver(retry | {"retry_reason": "timeout"})

    def _close_when_replaced(self, number: int) -> None:
        with self._cond:
            self._cond.wait_for(
                lambda: max(self._open, default=0) > number, timeout=OLD_CONNECTION_GRACE
            )
            connection = self._open.get(number)
        if connection is not None:
            connection.close()

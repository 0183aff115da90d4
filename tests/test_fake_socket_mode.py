"""The Socket Mode fake keeps Slack's rules, seen from a plain WebSocket client.

A ticket opens one connection; `hello` comes first; an envelope that was not acked
when its connection closed arrives again on the next one (`retry_attempt` 1), and the
ack is recorded with the connection it came on. `apps.connections.open` on the fake
Web API hands out the fake's tickets.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.socket_mode import FakeSocketMode


@pytest.fixture
def fake() -> Iterator[FakeSocketMode]:
    with FakeSocketMode(ack_window=0.2) as started:
        yield started


def receive(connection: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(connection.recv(timeout=5))
    return message


def test_a_ticket_opens_one_connection_and_hello_comes_first(fake: FakeSocketMode) -> None:
    url = fake.issue_url()
    with connect(url) as first:
        hello = receive(first)
        assert hello["type"] == "hello" and hello["connection_info"]["app_id"] == fake.app_id
        with connect(url) as second, pytest.raises(ConnectionClosed):
            second.recv(timeout=5)
    assert fake.connections == 1
    assert fake.refused_tickets == [url.split("ticket=")[1].split("&")[0]]


def test_an_unacked_envelope_comes_again_on_the_next_connection(fake: FakeSocketMode) -> None:
    with connect(fake.issue_url()) as first:
        receive(first)
        envelope_id = fake.send_event({"type": "event_callback", "event": {"type": "x"}})
        delivered = receive(first)
        assert delivered["envelope_id"] == envelope_id and delivered["retry_attempt"] == 0
    with connect(fake.issue_url()) as second:
        receive(second)  # hello
        again = receive(second)
        assert (again["envelope_id"], again["retry_attempt"]) == (envelope_id, 1)
        second.send(json.dumps({"envelope_id": envelope_id}))
        ack = fake.wait_ack(envelope_id)
    assert (ack.connection, ack.payload) == (2, None)
    assert fake.redelivered == [envelope_id]


def test_disconnect_warns_the_newest_connection(fake: FakeSocketMode) -> None:
    with connect(fake.issue_url()) as first:
        receive(first)
        assert fake.disconnect(reason="warning") == 1
        assert receive(first) == {"type": "disconnect", "reason": "warning", "debug_info": {}}
        with connect(fake.issue_url()) as second:
            receive(second)
            # The old connection is closed once the app has opened the new one.
            with pytest.raises(ConnectionClosed):
                first.recv(timeout=5)
            envelope_id = fake.send_slash_command({"command": "/screen", "text": "x"})
            assert receive(second)["accepts_response_payload"] is True
            second.send(json.dumps({"envelope_id": envelope_id, "payload": {"text": "ok"}}))
            assert fake.wait_ack(envelope_id).payload == {"text": "ok"}


def test_the_web_api_hands_out_the_fakes_tickets(fake: FakeSocketMode) -> None:
    with FakeSlackApi() as slack:
        slack.serve_socket_mode(fake.issue_url)
        client = WebClient(base_url=slack.base_url)
        url = client.apps_connections_open(app_token=slack.app_token)["url"]
        with connect(url) as connection:
            assert receive(connection)["type"] == "hello"

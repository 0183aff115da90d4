"""Fixtures of the fetch tests: a configured source's server and a server elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.hostile_server import HostileServer


@pytest.fixture
def home() -> Iterator[HostileServer]:
    """The server of a configured source (its origin may be at a loopback address)."""
    with HostileServer() as server:
        yield server


@pytest.fixture
def elsewhere() -> Iterator[HostileServer]:
    """Another server on loopback: what a fetch must not be steered to."""
    with HostileServer() as server:
        yield server

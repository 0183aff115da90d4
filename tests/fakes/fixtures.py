"""pytest fixtures for the fakes; load with ``pytest_plugins = ["tests.fakes.fixtures"]``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import RecordedSites

SIGNING_SECRET = "fake-signing-secret-0123456789abcdef"  # a fake credential


@pytest.fixture
def slack_api() -> Iterator[FakeSlackApi]:
    """A started fake Slack Web API; pass ``slack_api.base_url`` to ``WebClient``."""
    with FakeSlackApi() as fake:
        yield fake


@pytest.fixture
def source_server() -> Iterator[SourceServer]:
    """A started server for recorded source documents; register routes on it."""
    with SourceServer() as server:
        yield server


@pytest.fixture
def sites(source_server: SourceServer) -> RecordedSites:
    """Every source kind's recorded documents on the local server; a test re-routes what it
    changes (a module that needs other sites defines its own `sites`)."""
    recorded = RecordedSites(server=source_server)
    recorded.serve_everything()
    return recorded


@pytest.fixture
def signing_secret() -> str:
    """The Slack signing secret the bot under test and ``slack_signing.sign`` share."""
    return SIGNING_SECRET

"""Behind a proxy, a fetch is still refused what can be told from here (review of issue 23,
item 6).

The proxy (`HTTP_PROXY`, as an operator sets it) resolves names and connects, so the
guard cannot see the address it reaches. Tried, with a local server playing the proxy:
the metadata address, a database port on loopback, `localhost` and a name under it,
loopback spelled in hex, IPv6 loopback, and a name that resolves here only to a private
address: all refused before the proxy hears of them. A configured source at a loopback
address, a name that resolves to a public address, and a name that does not resolve here
(the proxy's to resolve) still go through the proxy.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.hostile_server import HostileServer
from watchers.errors import FetchRefused
from watchers.fetch_scope import FetchScope
from watchers.http import HttpFetcher

ANSWER = b"<html><body><p>through the proxy</p></body></html>"


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[HostileServer]:
    """A local server as the HTTP proxy: it is asked for absolute URLs, its routes."""
    with HostileServer() as server:
        for name in ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("http_proxy", server.url(""))
        yield server


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    table: dict[str, str] = {}
    real = socket.getaddrinfo

    def answer(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        return real(table.get(host, host), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", answer)
    return table


def fetcher(home: HostileServer) -> HttpFetcher:
    return HttpFetcher(
        connect_timeout=2,
        read_timeout=2,
        retries=0,
        total_timeout=10,
        home_urls=(home.url("/feed"),),
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is at 169.254.169.254"),
        ("http://127.0.0.1:5432/", "127.0.0.1 is at 127.0.0.1"),
        ("http://localhost/admin", "localhost is a name of this host"),
        ("http://LOCALHOST./admin", "localhost is a name of this host"),
        ("http://db.localhost:5432/", "db.localhost is a name of this host"),
        ("http://0x7f.1:5432/", "0x7f.1 is at 127.0.0.1"),
        ("http://2130706433:5432/", "2130706433 is at 127.0.0.1"),
        ("http://[::1]:5432/", "::1 is at ::1"),
        ("http://intranet.example/wiki", "intranet.example is at 10.1.2.3"),
    ],
)
def test_a_non_public_target_is_refused_before_the_proxy_is_asked(
    proxy: HostileServer, home: HostileServer, resolver: dict[str, str], url: str, reason: str
) -> None:
    resolver["intranet.example"] = "10.1.2.3"
    proxy.serve(url, body=ANSWER)
    with pytest.raises(FetchRefused, match=f"{reason}.*not a public address"):
        fetcher(home).get(url)
    assert proxy.hits() == 0


@pytest.mark.parametrize(
    "url", ["http://public.example/press", "http://unresolvable.invalid/press", "{home}"]
)
def test_a_public_or_configured_target_goes_through_the_proxy(
    proxy: HostileServer, home: HostileServer, resolver: dict[str, str], url: str
) -> None:
    resolver["public.example"] = "93.184.216.34"
    target = url.format(home=home.url("/feed"))
    proxy.serve(target, body=ANSWER)
    assert fetcher(home).get(target).body == ANSWER
    assert proxy.hits() == 1
    assert home.hits() == 0  # the proxy answered: nothing connected around it


def test_a_link_behind_a_proxy_still_stays_on_its_site(
    proxy: HostileServer, home: HostileServer
) -> None:
    with pytest.raises(FetchRefused, match="not on the site"):
        fetcher(home).get(
            "http://public.example/x", scope=FetchScope.link_of(home.url("/news-updates"))
        )
    assert proxy.hits() == 0

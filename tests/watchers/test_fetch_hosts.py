"""One host name, one form: what is checked is what is connected to (review of issue 23,
item 6).

Tried: a Unicode host whose IDNA 2003 form (Python's codec, `fass.example`) resolves to a
public address and whose IDNA 2008 form (what requests connects to, `xn--fa-hia.example`)
to loopback; hosts in upper case, with a trailing dot or with letters IDNA maps, against
the form requests sends; a host IDNA cannot encode; an address that `urllib.parse` and
urllib3 read as two different hosts; and a direct connection to another host than the one
the guard was armed for.
"""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from tests.fakes.hostile_server import HostileServer
from watchers.errors import FetchRefused
from watchers.fetch_scope import FetchScope, Origin
from watchers.http import HttpFetcher
from watchers.http_guard import FetchGuard, GuardedAdapter, guarding

PUBLIC = "93.184.216.34"


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Names answered as a resolver would, by their ASCII form; a str host is encoded
    with Python's IDNA 2003 codec first, as the socket module does."""
    table: dict[str, str] = {}
    real = socket.getaddrinfo

    def answer(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.encode("idna").decode() if isinstance(host, str) else host.decode()
        return real(table.get(name.lower(), host), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", answer)
    return table


def fetcher() -> HttpFetcher:
    return HttpFetcher(connect_timeout=2, read_timeout=2, retries=0, total_timeout=10)


def test_a_unicode_host_is_checked_in_the_form_the_connection_uses(
    home: HostileServer, elsewhere: HostileServer, resolver: dict[str, str]
) -> None:
    resolver["fass.example"] = PUBLIC  # IDNA 2003: ß becomes ss
    resolver["xn--fa-hia.example"] = "127.0.0.1"  # IDNA 2008, as requests sends it
    scope = FetchScope.configured(home.url("/feed"))
    with pytest.raises(FetchRefused, match=r"xn--fa-hia\.example is at 127\.0\.0\.1"):
        fetcher().get(f"http://faß.example:{elsewhere.port}/", scope=scope)
    assert elsewhere.hits() == 0


@pytest.mark.parametrize(
    "host", ["faß.example", "BÜCHER.Example", "ı.example", "WWW.Example.COM.", "xn--fa-hia.example"]
)
def test_an_origins_host_is_the_one_requests_sends(host: str) -> None:
    url = f"https://{host}:8443/press"
    sent = urlsplit(requests.Request("GET", url).prepare().url).hostname
    origin = Origin.of(url)
    assert sent is not None and origin is not None
    assert origin.host == sent.rstrip(".")
    assert origin.host.isascii()


def test_a_host_idna_cannot_encode_is_refused_with_the_reason(home: HostileServer) -> None:
    scope = FetchScope.configured(home.url("/feed"))
    with pytest.raises(FetchRefused, match=r"not a valid http\(s\) address \(.*IDNA"):
        fetcher().get("http://ＥＸＡＭＰＬＥ.com/", scope=scope)


def test_an_address_two_parsers_read_differently_is_taken_as_the_connection_reads_it(
    home: HostileServer, elsewhere: HostileServer, resolver: dict[str, str]
) -> None:
    """`urllib.parse` reads the host after the backslash; urllib3 connects to the one
    before it."""
    resolver["public.example"] = PUBLIC
    scope = FetchScope.configured(home.url("/feed"))
    with pytest.raises(FetchRefused, match=r"127\.0\.0\.1 is at 127\.0\.0\.1"):
        fetcher().get(f"http://127.0.0.1:{elsewhere.port}\\@public.example/", scope=scope)
    assert elsewhere.hits() == 0


def test_the_guard_checks_a_direct_connection_to_another_host_than_its_target(
    home: HostileServer, elsewhere: HostileServer
) -> None:
    """Whatever made the connection's host differ from the one checked, its peer is
    checked too: the guard is armed for a public host, the connection goes to loopback."""
    session = requests.Session()
    session.mount("http://", GuardedAdapter())
    guard = FetchGuard(
        scope=FetchScope.configured(home.url("/feed")),
        target=Origin("http", "public.example", elsewhere.port),
        seconds=10,
    )
    with guarding(guard), pytest.raises(requests.ConnectionError, match="not a public address"):
        session.get(elsewhere.url("/"), timeout=2)
    assert elsewhere.hits() == 0

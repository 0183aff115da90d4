"""Fetches not steered elsewhere (issue 23, item 6): site, port, redirects, addresses.

Tried: a source's link to another port of the same host; a link that stays on the
site but redirects to another host or port; a configured source that redirects to
another local port or to the metadata address; a link whose site is told by the Public
Suffix List (`evil.co.uk` against `news.example.co.uk`); a host name that resolves to
a private address; and a name that answers a public address when checked and a
loopback one when connected to (DNS rebinding, played by the resolver).
"""

from __future__ import annotations

import socket
from typing import Any

import pytest

from bot.app import fetcher_for
from bot.settings import load_settings
from tests.fakes.hostile_server import HostileServer
from watchers.errors import FetchRefused
from watchers.federal_register.settings import FederalRegisterSettings
from watchers.fetch_scope import FetchScope, Origin, is_public, registrable_domain, same_site
from watchers.http import HttpFetcher
from watchers.kind_settings import SourcesConfig
from watchers.press.settings import PressSettings
from watchers.registry import configured_urls

PAGE = (
    b"<html><body><main><p>Commerce adds Nobody Ltd. to the Entity List.</p></main></body></html>"
)


def fetcher() -> HttpFetcher:
    return HttpFetcher(connect_timeout=2, read_timeout=2, retries=0, total_timeout=10)


@pytest.mark.parametrize(
    ("link", "source", "same"),
    [
        ("https://media.bis.gov/press-release/x", "https://www.bis.gov/news-updates", True),
        ("https://news.example.co.uk/a", "https://www.example.co.uk/", True),
        ("https://evil.co.uk/a", "https://news.example.co.uk/", False),
        ("https://a.github.io/x", "https://b.github.io/", False),
        ("https://www.bis.gov:8443/x", "https://www.bis.gov/news-updates", False),
        ("http://www.bis.gov/x", "https://www.bis.gov/news-updates", False),
        ("https://www.bis.gov:443/x", "https://www.bis.gov/news-updates", True),
        ("http://127.0.0.1:5432/", "http://127.0.0.1:8080/news", False),
        ("http://localhost:8080/x", "http://127.0.0.1:8080/news", False),
        ("http://127.0.0.1:8080/x", "http://127.0.0.1:8080/news", True),
    ],
)  # fmt: skip
def test_same_site_compares_scheme_port_and_registrable_domain(
    link: str, source: str, same: bool
) -> None:
    one, other = Origin.of(link), Origin.of(source)
    assert one is not None and other is not None
    assert same_site(one, other) is same


def test_the_registrable_domain_comes_from_the_public_suffix_list() -> None:
    assert registrable_domain("news.example.co.uk") == "example.co.uk"
    assert registrable_domain("evil.co.uk") == "evil.co.uk"
    assert registrable_domain("co.uk") is None


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.5", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("not an address", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public(address) is public


def test_a_link_to_another_port_of_the_same_host_is_refused(
    home: HostileServer, elsewhere: HostileServer
) -> None:
    elsewhere.serve("/", body=PAGE)
    scope = FetchScope.link_of(home.url("/news-updates"))
    with pytest.raises(FetchRefused, match="not on the site"):
        fetcher().get(elsewhere.url("/"), scope=scope)
    assert elsewhere.hits() == 0


@pytest.mark.parametrize("target_host", ["127.0.0.1", "localhost"])
def test_a_same_site_link_that_redirects_elsewhere_is_refused_at_the_redirect(
    home: HostileServer, elsewhere: HostileServer, target_host: str
) -> None:
    elsewhere.serve("/stolen", body=PAGE)
    home.redirect("/press-release/x", to=elsewhere.url("/stolen", host=target_host))
    scope = FetchScope.link_of(home.url("/news-updates"))
    with pytest.raises(FetchRefused):
        fetcher().get(home.url("/press-release/x"), scope=scope)
    assert home.hits("/press-release/x") == 1
    assert elsewhere.hits() == 0


def test_a_same_site_redirect_on_the_same_origin_is_followed(home: HostileServer) -> None:
    home.serve("/press-release/new", body=PAGE)
    home.redirect("/press-release/old", to="/press-release/new", status=301)
    scope = FetchScope.link_of(home.url("/news-updates"))
    assert fetcher().get(home.url("/press-release/old"), scope=scope).body == PAGE


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/",
    ],
)
def test_a_configured_source_may_not_redirect_to_another_non_public_address(
    home: HostileServer, elsewhere: HostileServer, target: str
) -> None:
    elsewhere.serve("/", body=PAGE)
    home.redirect("/feed", to=target.format(port=elsewhere.port))
    with pytest.raises(FetchRefused, match="not a public address"):
        fetcher().get(home.url("/feed"))
    assert elsewhere.hits() == 0


def test_a_name_that_resolves_to_a_private_address_is_refused_before_connecting(
    home: HostileServer, elsewhere: HostileServer
) -> None:
    elsewhere.serve("/", body=PAGE)
    scope = FetchScope.configured(home.url("/feed"))
    with pytest.raises(FetchRefused, match="localhost is at"):
        fetcher().get(elsewhere.url("/", host="localhost"), scope=scope)
    assert elsewhere.hits() == 0


def test_a_name_that_answers_differently_when_connected_to_is_refused_at_the_socket(
    home: HostileServer, elsewhere: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the check sees a public address, the connection gets loopback. The
    resolver is the boundary played here: first answer public, every later one loopback."""
    elsewhere.serve("/", body=PAGE)
    real = socket.getaddrinfo
    answers: list[str] = []

    def rebinding(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        address = "93.184.216.34" if not answers else "127.0.0.1"
        answers.append(address)
        return real(address, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    scope = FetchScope.configured(home.url("/feed"))
    with pytest.raises(FetchRefused, match=r"rebind\.example is at 127\.0\.0\.1"):
        fetcher().get(f"http://rebind.example:{elsewhere.port}/", scope=scope)
    assert answers == ["93.184.216.34", "127.0.0.1"]
    assert elsewhere.hits() == 0  # connected, refused before a byte of the request was sent


def test_a_configured_loopback_source_fetches_its_own_origin(home: HostileServer) -> None:
    home.serve("/feed", body=PAGE)
    assert fetcher().get(home.url("/feed")).body == PAGE


def test_the_apps_fetcher_reaches_only_the_configured_sources_at_local_addresses(
    home: HostileServer, elsewhere: HostileServer
) -> None:
    """The fetcher `entitywatch` builds knows the configured sources: a link any of them
    publishes (a Federal Register document's XML address, a page) may lead to their own
    origins, and to no other non-public one."""
    home.serve("/documents/full_text/xml/x.xml", body=b"<RULE/>")
    elsewhere.serve("/latest/meta-data/", body=b"secret")
    settings = load_settings(database_url="sqlite:///:memory:")
    config = SourcesConfig(
        FederalRegisterSettings(fr_api_url=home.url("/api/v1/")),
        PressSettings(press_feeds=(home.url("/feed"),), press_pages=()),
    )
    assert home.url("/api/v1/") in configured_urls(config)
    fetch = fetcher_for(settings, config)
    assert fetch.get(home.url("/documents/full_text/xml/x.xml")).body == b"<RULE/>"
    with pytest.raises(FetchRefused, match="not a public address"):
        fetch.get(elsewhere.url("/latest/meta-data/"))
    assert elsewhere.hits() == 0

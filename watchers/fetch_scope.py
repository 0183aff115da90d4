"""Where a fetch may go: the origin of the configured source, the site it belongs to, and
public addresses only.

Every fetch starts from an address the operator configured (a feed, a listing, an API)
or from a link such a source published. A link or a redirect must not steer a fetch to
the metadata service, a database port or the intranet, nor make another site's text an
announcement. So:

- a *link* read from a source (a release page a listing points to) is followed only on
  the source's own site: the same scheme, the same port and the same registrable domain
  by the Public Suffix List (`media.bis.gov` is `www.bis.gov`'s site; `evil.co.uk` is not
  `news.example.co.uk`'s), or exactly the same host when it is an address;
- every hop of every fetch, redirects included, goes only to public addresses: each
  address the host resolves to is checked, and the address actually connected to is
  checked again (`watchers.http_guard`), so that a name that changes its answer between
  the two does not get through. The one exception is the configured source's own origin
  (scheme, host and port): an operator who points a source at 127.0.0.1 or an intranet
  mirror may fetch from there, and from nowhere else that is not public.

The Public Suffix List is the copy bundled with the `publicsuffixlist` package; nothing
is downloaded at run time.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

_DEFAULT_PORTS = {"http": 80, "https": 443}
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Origin:
    scheme: str
    host: str  # lower case, without brackets for IPv6
    port: int

    @classmethod
    def of(cls, url: str) -> Origin | None:
        """The origin of an http(s) URL; None for anything else or a malformed one."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return None
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            return None
        return cls(scheme, parts.hostname.lower().rstrip("."), port or _DEFAULT_PORTS[scheme])

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


@dataclass(frozen=True, slots=True)
class FetchScope:
    """What one fetch may reach. `homes` are the configured sources' origins, the only
    ones that may be at a non-public address; `site`, when set, holds every hop to that
    origin's site (a link read from the source there)."""

    homes: frozenset[Origin]
    site: Origin | None = None

    @classmethod
    def configured(cls, *urls: str) -> FetchScope:
        """The scope of a fetch from addresses the operator configured (or typed)."""
        return cls(homes=frozenset(_origin_or_raise(url) for url in urls))

    @classmethod
    def link_of(cls, source_url: str) -> FetchScope:
        """The scope of a fetch of a link published by the source at `source_url`."""
        home = _origin_or_raise(source_url)
        return cls(homes=frozenset({home}), site=home)

    def refusal(self, url: str) -> str | None:
        """Why `url` may not be fetched in this scope (not asking DNS), or None."""
        origin = Origin.of(url)
        if origin is None:
            return "not an http(s) address"
        if self.site is not None and not same_site(origin, self.site):
            return f"{origin} is not on the site of {self.site}"
        return None

    def address_refusal(self, origin: Origin, address: str) -> str | None:
        """Why connecting to `address` for `origin` is refused, or None."""
        if origin in self.homes or is_public(address):
            return None
        return f"{origin.host} is at {address}, which is not a public address"


def same_site(one: Origin, other: Origin) -> bool:
    """Same scheme, port and registrable domain (or the same host, for an address)."""
    if (one.scheme, one.port) != (other.scheme, other.port):
        return False
    if one.host == other.host:
        return True
    if _is_address(one.host) or _is_address(other.host):
        return False
    site = registrable_domain(one.host)
    return site is not None and site == registrable_domain(other.host)


def registrable_domain(host: str) -> str | None:
    """`example.co.uk` for `news.example.co.uk`; None for a public suffix itself."""
    site = _suffix_list().privatesuffix(host.lower().rstrip("."))
    return str(site) if site else None


def is_public(address: str) -> bool:
    """Whether an address is globally routable (not loopback, private, link-local, shared,
    multicast, reserved or unspecified); an IPv4-mapped IPv6 address is judged as IPv4."""
    try:
        ip: IpAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (an address resolves to itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _origin_or_raise(url: str) -> Origin:
    origin = Origin.of(url)
    if origin is None:
        raise ValueError(f"not an http(s) address: {url!r}")
    return origin


@cache
def _suffix_list() -> PublicSuffixList:
    # Loaded once, from the package's bundled copy (about 0.3 s).
    return PublicSuffixList()

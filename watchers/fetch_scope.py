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
- a host is always taken in the one form the connection uses: the address as `urllib3`
  (under `requests`) parses it, its name lower case and IDNA-encoded to ASCII
  (`faß.example` is `xn--fa-hia.example`, not Python's IDNA 2003 `fass.example`), so that
  the name checked, the name resolved and the name connected to are one name;
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

from publicsuffixlist import PublicSuffixList
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

DEFAULT_PORTS = {"http": 80, "https": 443}
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Origin:
    scheme: str
    host: str  # ASCII, lower case (IDNA-encoded), without brackets for IPv6
    port: int

    @classmethod
    def of(cls, url: str) -> Origin | None:
        """The origin of an http(s) URL; None for anything else or a malformed one.

        Parsed by urllib3, as `requests` parses it before connecting: another parser reads
        some addresses differently (`http://127.0.0.1:5432\\@example.com/` is example.com
        to `urllib.parse`, 127.0.0.1:5432 to the connection)."""
        try:
            parts = parse_url(url)
        except LocationParseError:
            return None
        scheme = (parts.scheme or "").lower()
        if scheme not in DEFAULT_PORTS or not parts.host:
            return None
        host = parts.host.removeprefix("[").removesuffix("]").rstrip(".")
        return cls(scheme, host, parts.port or DEFAULT_PORTS[scheme])

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
            return _not_an_origin(url)
        if self.site is not None and not same_site(origin, self.site):
            return f"{origin} is not on the site of {self.site}"
        return None

    def address_refusal(self, origin: Origin, address: str) -> str | None:
        """Why connecting to `address` for `origin` is refused, or None."""
        if origin in self.homes or is_public(address):
            return None
        return f"{origin.host} is at {address}, which is not a public address"


def proxied_refusal(scope: FetchScope, origin: Origin) -> str | None:
    """Why a fetch of `origin` through a proxy is refused, or None. The proxy resolves the
    name and connects, out of the guard's sight; what can be told here is still refused:
    an address that is not public, in any spelling (`127.1`, `0x7f.1`, `2130706433`),
    `localhost`, and a name this host resolves only to addresses that are not public.
    A name that does not resolve here is left to the proxy."""
    if origin in scope.homes:
        return None
    if origin.host == "localhost" or origin.host.endswith(".localhost"):
        return f"{origin.host} is a name of this host, which is not a public address"
    try:
        addresses = _numeric(origin) or resolve(origin.host, origin.port)
    except (OSError, UnicodeError):
        return None
    if addresses and not any(is_public(address) for address in addresses):
        return scope.address_refusal(origin, addresses[0])
    return None


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


def _numeric(origin: Origin) -> list[str]:
    """The address a numeric host stands for, read without DNS, as the C library reads it
    (`0x7f.1` is 127.0.0.1); nothing for a name."""
    try:
        infos = socket.getaddrinfo(
            origin.host, origin.port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
        )
    except (OSError, UnicodeError):
        return []
    return [str(info[4][0]) for info in infos]


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _not_an_origin(url: str) -> str:
    try:
        parse_url(url)
    except LocationParseError as exc:  # a host name IDNA cannot encode, a bad port, ...
        return f"not a valid http(s) address ({exc})"
    return "not an http(s) address"


def _origin_or_raise(url: str) -> Origin:
    origin = Origin.of(url)
    if origin is None:
        raise ValueError(f"not an http(s) address: {url!r}")
    return origin


@cache
def _suffix_list() -> PublicSuffixList:
    # Loaded once, from the package's bundled copy (about 0.3 s).
    return PublicSuffixList()

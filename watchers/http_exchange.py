"""One HTTP request and its answer, under a guard: the hop the fetcher's redirect loop makes.

The request is sent without following redirects (the fetcher checks each hop itself),
streams its body under the size cap and ends at the fetch's deadline whatever the
server does (`watchers.http_guard`). Every failure is a `FetchError` naming the URL:
a refusal (`FetchRefused`), the deadline or the network (`TransportError`), the cap
(`BodyTooLarge`). The status is not judged here.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import dataclass

import requests
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import NameResolutionError

from watchers.errors import BodyTooLarge, FetchError, FetchRefused, TransportError
from watchers.fetch_scope import FetchScope, Origin
from watchers.http_guard import AddressRefused, FetchGuard, guarding

CHUNK = 65536
# An error page is read only this far: enough to tell a bot-detection page.
ERROR_BODY_BYTES = 65536


@dataclass(frozen=True, slots=True)
class Exchanged:
    """What one hop answered: any status, its headers, and its body (None for a
    redirect or a 304; an error page's first `ERROR_BODY_BYTES`)."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes | None
    location: str | None  # where a redirect points (absolute), else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Hop:
    """One request to make, and what bounds it."""

    url: str
    headers: Mapping[str, str]
    params: Mapping[str, str | list[str]] | None
    scope: FetchScope
    target: Origin
    connect_timeout: float
    read_timeout: float
    seconds_left: float  # until the fetch's deadline
    total_timeout: float  # the deadline's length, for the message
    max_bytes: int
    source: str | None


def exchange(session: requests.Session, hop: Hop) -> Exchanged:
    guard = FetchGuard(scope=hop.scope, target=hop.target, seconds=hop.seconds_left)
    with guarding(guard):
        try:
            response = _send(session, hop)
        except requests.RequestException as exc:
            raise _failure(exc, guard, hop) from exc
        try:
            return _answer(response, guard, hop)
        finally:
            guard.disarm()  # before the connection goes back to the pool
            response.close()


def _send(session: requests.Session, hop: Hop) -> requests.Response:
    # Each wait is cut to what is left of the deadline; the guard ends a trickle.
    left = max(hop.seconds_left, 0.001)
    return session.get(
        hop.url,
        headers=dict(hop.headers),
        params=hop.params,
        timeout=(min(hop.connect_timeout, left), min(hop.read_timeout, left)),
        stream=True,
        allow_redirects=False,
    )


def _answer(response: requests.Response, guard: FetchGuard, hop: Hop) -> Exchanged:
    status = response.status_code
    location = None
    body: bytes | None = None
    if response.is_redirect:
        location = requests.compat.urljoin(response.url, response.headers["Location"])
    elif status != 304:
        cap = hop.max_bytes if status < 400 else min(hop.max_bytes, ERROR_BODY_BYTES)
        body = _read(response, guard, hop, cap=cap, whole=status < 400)
    if guard.expired:
        raise _deadline(hop)
    return Exchanged(
        url=response.url,
        status=status,
        headers=CaseInsensitiveDict(response.headers),
        body=body,
        location=location,
    )


def _read(
    response: requests.Response, guard: FetchGuard, hop: Hop, *, cap: int, whole: bool
) -> bytes:
    declared = response.headers.get("Content-Length")
    if whole and declared and declared.isdigit() and int(declared) > cap:
        raise BodyTooLarge(
            f"body of {declared} bytes exceeds the cap", url=hop.url, source=hop.source
        )
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(chunk_size=CHUNK):
            size += len(chunk)
            if size > cap:
                if not whole:
                    break  # the head of an error page is all we want of it
                raise BodyTooLarge(
                    f"body exceeds the cap of {cap} bytes", url=hop.url, source=hop.source
                )
            chunks.append(chunk)
    except requests.RequestException as exc:
        if guard.expired:
            raise _deadline(hop) from exc
        raise TransportError(
            f"body cut off after {size} bytes ({type(exc).__name__})",
            url=hop.url,
            source=hop.source,
        ) from exc
    return b"".join(chunks)


def _failure(exc: requests.RequestException, guard: FetchGuard, hop: Hop) -> FetchError:
    refused = _found_in(exc, (AddressRefused,))
    if refused is not None:
        return FetchRefused(str(refused), url=hop.url, source=hop.source)
    if guard.expired:
        return _deadline(hop)
    if isinstance(exc, requests.Timeout):
        return TransportError(
            f"timed out (connect {hop.connect_timeout}s, read {hop.read_timeout}s)",
            url=hop.url,
            source=hop.source,
        )
    if _found_in(exc, (NameResolutionError, socket.gaierror)) is not None:
        return TransportError(
            f"could not connect: name resolution failed (DNS) for {hop.target.host}",
            url=hop.url,
            source=hop.source,
        )
    if isinstance(exc, requests.exceptions.SSLError):
        return TransportError(f"TLS failed: {exc}", url=hop.url, source=hop.source)
    if isinstance(exc, requests.ConnectionError):
        return TransportError(
            "could not connect (no network, or refused)", url=hop.url, source=hop.source
        )
    return TransportError(type(exc).__name__, url=hop.url, source=hop.source)


def _deadline(hop: Hop) -> TransportError:
    return deadline_passed(url=hop.url, source=hop.source, seconds=hop.total_timeout)


def deadline_passed(*, url: str, source: str | None, seconds: float) -> TransportError:
    return TransportError(
        f"timed out: the fetch took longer than its deadline of {seconds:g}s (HTTP_TOTAL_TIMEOUT)",
        url=url,
        source=source,
    )


def _found_in(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> BaseException | None:
    """The first exception of `kinds` in `exc`'s chain, wherever urllib3 and requests
    wrapped it (as a cause, a context, an argument or a `reason`)."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, kinds):
            return current
        pending.extend(a for a in current.args if isinstance(a, BaseException))
        linked = (current.__cause__, current.__context__, getattr(current, "reason", None))
        pending.extend(e for e in linked if isinstance(e, BaseException))
    return None

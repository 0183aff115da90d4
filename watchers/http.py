"""HTTP for sources: timeouts, a deadline, a size cap, retries with backoff and jitter,
conditional GET, Retry-After, a per-host request rate limit, and a scope.

One `HttpFetcher` serves every source so that the Federal Register's limit of
about five requests per second holds across the published-rules and
public-inspection watchers together.

A fetch (its redirects, its retries and their waits, and its body) ends by its
deadline, `total_timeout`, whatever the server does: a trickle of bytes in the
headers or the body is cut there (`watchers.http_guard`). Redirects are followed
here, hop by hop, each checked against the fetch's scope (`watchers.fetch_scope`):
a link read from a source stays on that source's site, and no hop reaches a
non-public address unless it is a configured source's own origin. The host of each
hop is resolved and every address checked before the request; the address connected
to is checked again. Behind a proxy, which resolves names and connects itself, a
non-public address in any spelling, `localhost`, and a name that resolves here only to
non-public addresses are still refused; what the proxy reaches is its own affair.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from requests.utils import get_environ_proxies

from watchers.errors import FetchError, FetchRefused, HttpStatusError, TransportError
from watchers.fetch_scope import FetchScope, Origin, proxied_refusal, resolve
from watchers.http_exchange import Exchanged, Hop, deadline_passed, exchange
from watchers.http_guard import GuardedAdapter
from watchers.http_pacing import RateLimiter, retry_after_seconds

log = logging.getLogger(__name__)

USER_AGENT = "entitywatch/0.1 (export-control compliance monitor)"
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    status: int
    body: bytes | None  # None when the server answered 304 Not Modified
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class HttpFetcher:
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_bytes: int = 100_000_000
    # The read timeout is per read; this bounds a whole fetch, whatever the server does.
    total_timeout: float = 600.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    max_redirects: int = 5
    rate_limits: Mapping[str, float] = field(
        default_factory=lambda: {"www.federalregister.gov": 5.0}
    )
    # The configured sources' addresses: the only origins a fetch may find at a non-public
    # address. None: each address asked for directly counts as configured (a library use).
    home_urls: tuple[str, ...] | None = None
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)
    _limiters: dict[str, RateLimiter] = field(default_factory=dict, init=False)
    _homes: FetchScope | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.home_urls is not None:
            self._homes = FetchScope.configured(*self.home_urls)
        adapter = GuardedAdapter()
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def get(
        self,
        url: str,
        *,
        source: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        params: Mapping[str, str | list[str]] | None = None,
        accept: str = "*/*",
        retries: int | None = None,
        scope: FetchScope | None = None,
    ) -> FetchResult:
        """The body of a 2xx answer (None for a 304); a `FetchError` for anything else."""
        headers = {"User-Agent": USER_AGENT, "Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = time.monotonic() + self.total_timeout
        attempt = 0
        while True:
            attempt += 1
            try:
                answer = self._follow(
                    url, headers=headers, params=params, source=source, scope=scope,
                    deadline=deadline,
                )  # fmt: skip
                return _result(answer, source=source)
            except FetchError as exc:
                delay = self._retry_delay(
                    exc, attempt, self.retries if retries is None else retries
                )
                if delay is None or time.monotonic() + delay >= deadline:
                    raise
                log.warning(
                    "fetch.retry source=%s url=%s attempt=%d delay=%.1f error=%s",
                    source,
                    url,
                    attempt,
                    delay,
                    exc,
                )
                self.sleep(delay)

    def ask(self, url: str, *, source: str | None = None, accept: str = "*/*") -> Exchanged:
        """One try at `url` with redirects followed, whatever the status (an error page's
        first bytes are kept): what `sources check` reads. Raises `FetchError` only when no
        answer came (network, deadline, size cap, refusal)."""
        headers = {"User-Agent": USER_AGENT, "Accept": accept}
        deadline = time.monotonic() + self.total_timeout
        return self._follow(
            url, headers=headers, params=None, source=source, scope=None, deadline=deadline
        )

    def _follow(
        self,
        url: str,
        *,
        headers: Mapping[str, str],
        params: Mapping[str, str | list[str]] | None,
        source: str | None,
        scope: FetchScope | None,
        deadline: float,
    ) -> Exchanged:
        scope = scope or self._scope_of(url)
        for _hop in range(self.max_redirects + 1):
            target = self._vetted(url, scope=scope, source=source)
            self._throttle(url)
            answer = exchange(
                self.session, self._hop(url, headers, params, scope, target, source, deadline)
            )
            if answer.location is None:
                return answer
            log.info("fetch.redirect source=%s url=%s to=%s", source, url, answer.location)
            url, params = answer.location, None
        raise TransportError(f"more than {self.max_redirects} redirects", url=url, source=source)

    def _hop(
        self,
        url: str,
        headers: Mapping[str, str],
        params: Mapping[str, str | list[str]] | None,
        scope: FetchScope,
        target: Origin,
        source: str | None,
        deadline: float,
    ) -> Hop:
        left = deadline - time.monotonic()
        if left <= 0:
            raise deadline_passed(url=url, source=source, seconds=self.total_timeout)
        return Hop(
            url=url,
            headers=headers,
            params=params,
            scope=scope,
            target=target,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            seconds_left=left,
            total_timeout=self.total_timeout,
            max_bytes=self.max_bytes,
            source=source,
        )

    def _scope_of(self, url: str) -> FetchScope:
        return self._homes if self._homes is not None else FetchScope.configured(url)

    def _vetted(self, url: str, *, scope: FetchScope, source: str | None) -> Origin:
        """The hop's origin, once its address and every address its host has are allowed."""
        refusal = scope.refusal(url)
        origin = Origin.of(url)
        if refusal is None and origin is not None and origin not in scope.homes:
            # Behind a proxy, which resolves and connects, what can be told from here.
            refusal = (
                proxied_refusal(scope, origin)
                if self._proxied(url)
                else _address_refusal(scope, origin, url=url, source=source)
            )
        if refusal is not None or origin is None:
            raise FetchRefused(f"refused: {refusal}", url=url, source=source)
        return origin

    def _proxied(self, url: str) -> bool:
        proxies = dict(self.session.proxies)
        if self.session.trust_env:
            proxies.update(get_environ_proxies(url))
        scheme = urlsplit(url).scheme
        return bool(proxies.get(scheme) or proxies.get("all"))

    def _retry_delay(self, exc: FetchError, attempt: int, retries: int) -> float | None:
        if attempt > retries:
            return None
        if isinstance(exc, HttpStatusError) and exc.status not in RETRYABLE_STATUS:
            return None
        if not isinstance(exc, HttpStatusError | TransportError):
            return None
        hinted = exc.retry_after if isinstance(exc, HttpStatusError) else None
        if hinted is not None:
            # A wait longer than we would back off anyway is left to the next scheduled poll.
            return hinted if hinted <= self.max_backoff else None
        base = min(self.backoff * 2.0 ** (attempt - 1), self.max_backoff)
        return base / 2 + random.uniform(0, base / 2)  # noqa: S311  (jitter, not crypto)

    def _throttle(self, url: str) -> None:
        host = urlsplit(url).hostname or ""
        per_second = self.rate_limits.get(host)
        if per_second is None:
            return
        limiter = self._limiters.setdefault(host, RateLimiter(per_second=per_second))
        wait = limiter.wait_time()
        if wait > 0:
            self.sleep(wait)


def _address_refusal(
    scope: FetchScope, origin: Origin, *, url: str, source: str | None
) -> str | None:
    """Why one of the addresses `origin`'s host resolves to is refused, or None."""
    try:
        addresses = resolve(origin.host, origin.port)
    except (OSError, UnicodeError) as exc:
        raise TransportError(
            f"could not connect: name resolution failed (DNS) for {origin.host}: {exc}",
            url=url,
            source=source,
        ) from exc
    refusals = (scope.address_refusal(origin, address) for address in addresses)
    return next((refusal for refusal in refusals if refusal is not None), None)


def _result(answer: Exchanged, *, source: str | None) -> FetchResult:
    if answer.status == 304:
        return FetchResult(url=answer.url, status=304, body=None)
    if answer.status >= 400:
        raise HttpStatusError(
            answer.status,
            url=answer.url,
            source=source,
            retry_after=retry_after_seconds(answer.headers.get("Retry-After")),
        )
    return FetchResult(
        url=answer.url,
        status=answer.status,
        body=answer.body or b"",
        etag=answer.headers.get("ETag"),
        last_modified=answer.headers.get("Last-Modified"),
        content_type=answer.headers.get("Content-Type", ""),
    )

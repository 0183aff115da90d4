"""HTTP for sources: timeouts, a size cap, retries with backoff and jitter,
conditional GET, Retry-After, and a per-host request rate limit.

One `HttpFetcher` serves every source so that the Federal Register's limit of
about five requests per second holds across the published-rules and
public-inspection watchers together.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests

from watchers.errors import BodyTooLarge, FetchError, HttpStatusError, TransportError

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


class RateLimiter:
    """At most `per_second` request starts per second (a simple spacing limiter)."""

    def __init__(self, *, per_second: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = 1.0 / per_second
        self._clock = clock
        self._next = 0.0
        self._lock = threading.Lock()

    def wait_time(self) -> float:
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self._interval
            return start - now


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (now if now is not None else time.time()))


@dataclass
class HttpFetcher:
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_bytes: int = 100_000_000
    # The read timeout is per read; a server trickling bytes could hold a poll forever.
    total_timeout: float = 600.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    rate_limits: Mapping[str, float] = field(
        default_factory=lambda: {"www.federalregister.gov": 5.0}
    )
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)
    _limiters: dict[str, RateLimiter] = field(default_factory=dict, init=False)

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
    ) -> FetchResult:
        headers = {"User-Agent": USER_AGENT, "Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._once(url, headers=headers, params=params, source=source)
            except FetchError as exc:
                delay = self._retry_delay(
                    exc, attempt, self.retries if retries is None else retries
                )
                if delay is None:
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

    def _once(
        self,
        url: str,
        *,
        headers: Mapping[str, str],
        params: Mapping[str, str | list[str]] | None,
        source: str | None,
    ) -> FetchResult:
        self._throttle(url)
        try:
            response = self.session.get(
                url,
                headers=dict(headers),
                params=params,
                timeout=(self.connect_timeout, self.read_timeout),
                stream=True,
            )
        except requests.Timeout as exc:
            raise TransportError(
                f"timed out (connect {self.connect_timeout}s, read {self.read_timeout}s)",
                url=url,
                source=source,
            ) from exc
        except requests.ConnectionError as exc:
            raise TransportError(
                "could not connect (no network, DNS failure or refused)", url=url, source=source
            ) from exc
        except requests.RequestException as exc:
            raise TransportError(type(exc).__name__, url=url, source=source) from exc
        with response:
            if response.status_code == 304:
                return FetchResult(url=response.url, status=304, body=None)
            if response.status_code >= 400:
                raise HttpStatusError(
                    response.status_code,
                    url=response.url,
                    source=source,
                    retry_after=retry_after_seconds(response.headers.get("Retry-After")),
                )
            body = self._read_capped(response, url=url, source=source)
            return FetchResult(
                url=response.url,
                status=response.status_code,
                body=body,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                content_type=response.headers.get("Content-Type", ""),
            )

    def _read_capped(self, response: requests.Response, *, url: str, source: str | None) -> bytes:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise BodyTooLarge(f"body of {declared} bytes exceeds the cap", url=url, source=source)
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + self.total_timeout
        try:
            for chunk in response.iter_content(chunk_size=65536):
                if time.monotonic() > deadline:
                    raise TransportError(
                        f"download took longer than {self.total_timeout:.0f}s",
                        url=url,
                        source=source,
                    )
                size += len(chunk)
                if size > self.max_bytes:
                    raise BodyTooLarge(
                        f"body exceeds the cap of {self.max_bytes} bytes", url=url, source=source
                    )
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise TransportError(
                f"body cut off after {size} bytes ({type(exc).__name__})", url=url, source=source
            ) from exc
        return b"".join(chunks)

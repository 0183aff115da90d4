"""The watchers' errors: a source could not be fetched, or what it sent cannot be read.

    Exception
     └── FetchError                 the source could not be fetched; has `source`, `url`
          ├── HttpStatusError       a non-success status after retries (has `status`)
          ├── BodyTooLarge          the body went past the size cap
          ├── UnexpectedContent     an HTML error page where JSON/XML/CSV/a feed was expected
          ├── FetchRefused          the address (or a redirect) leads off the source's site
          │                         or to a non-public address (watchers.fetch_scope)
          └── TransportError        connection refused, DNS, timeout, the fetch's deadline,
                                    a cut-off body
    ValueError
     └── ParseError                 the bytes arrived but are not what the source should send
          ├── csl.parse.MalformedSnapshot
          └── one subclass per parser family (federal_register.errors, press.errors)

A parser never logs; the caller logs `str(error)`, which names the source and where in
the document the problem is.
"""

from __future__ import annotations


class FetchError(Exception):
    def __init__(self, message: str, *, url: str, source: str | None = None) -> None:
        self.url = url
        self.source = source
        super().__init__(f"{message} ({url})")


class HttpStatusError(FetchError):
    def __init__(
        self,
        status: int,
        *,
        url: str,
        source: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        # Seconds the server asked us to wait (429/503 Retry-After), if it said.
        self.retry_after = retry_after
        super().__init__(f"HTTP {status}", url=url, source=source)


class BodyTooLarge(FetchError):
    pass


class UnexpectedContent(FetchError):
    pass


class FetchRefused(FetchError):
    """Not fetched: the scope of the fetch does not allow where it leads. Never retried."""


class TransportError(FetchError):
    pass


class ParseError(ValueError):
    def __init__(self, message: str, *, source: str, where: str | None = None) -> None:
        self.message = message
        self.source = source
        self.where = where
        location = f" ({where})" if where else ""
        super().__init__(f"{source}: {message}{location}")

"""What the recorded-source server answers for a route: ``Reply`` and its variants.

A ``Reply`` is a frozen description of one HTTP answer. Misbehaviour is a field
(``delay``, ``truncate``) or a factory (``not_found``, ``server_error``,
``rate_limited``, ``html_error_page``), so a sequence such as "500, 500, 200" is
just ``[server_error(), server_error(), Reply(body=...)]``.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Literal

# "connection": send the full Content-Length but only half the body, then close
#               (the client sees an incomplete read).
# "body":       serve only the first half with a matching Content-Length
#               (a well-formed but cut-off document).
Truncation = Literal["connection", "body"]


def strong_etag(body: bytes) -> str:
    """A quoted strong ETag derived from the content."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


@dataclass(frozen=True, kw_only=True)
class Reply:
    """One HTTP answer. ``etag``/``last_modified`` enable 304 on conditional GETs."""

    body: bytes = b""
    content_type: str = "application/octet-stream"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: datetime | None = None
    delay: float = 0.0
    truncate: Truncation | None = None

    def delayed(self, seconds: float) -> Reply:
        return dataclasses.replace(self, delay=seconds)

    def truncated(self, how: Truncation = "connection") -> Reply:
        return dataclasses.replace(self, truncate=how)

    def validator_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.etag is not None:
            headers["ETag"] = self.etag
        if self.last_modified is not None:
            headers["Last-Modified"] = http_date(self.last_modified)
        return headers


def not_found() -> Reply:
    return Reply(status=404, body=b"Not Found", content_type="text/plain; charset=utf-8")


def server_error(status: int = 500) -> Reply:
    return Reply(status=status, body=b"Internal Server Error", content_type="text/plain")


def rate_limited(retry_after: int = 30) -> Reply:
    return Reply(
        status=429,
        body=b"Too Many Requests",
        content_type="text/plain; charset=utf-8",
        headers={"Retry-After": str(retry_after)},
    )


def html_error_page(status: int = 200, title: str = "Service Unavailable") -> Reply:
    """The page a CDN or maintenance proxy returns instead of the data, often with 200."""
    page = (
        f"<!DOCTYPE html><html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>Please try again later.</p></body></html>"
    )
    return Reply(status=status, body=page.encode(), content_type="text/html; charset=utf-8")

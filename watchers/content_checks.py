"""Checks every source applies to a fetched body before parsing it."""

from __future__ import annotations

from watchers.errors import UnexpectedContent
from watchers.http import FetchResult


def reject_html(fetched: FetchResult, *, source: str) -> bytes:
    """The body, unless it is an HTML page (a proxy's or a blocked client's error page)."""
    body = fetched.body or b""
    head = body[:512].lstrip().lower()
    if "text/html" in fetched.content_type or head.startswith((b"<!doctype html", b"<html")):
        raise UnexpectedContent("got an HTML page instead of data", url=fetched.url, source=source)
    return body


def require_json(fetched: FetchResult, *, source: str) -> bytes:
    body = reject_html(fetched, source=source)
    if not body.lstrip().startswith((b"{", b"[")):
        raise UnexpectedContent("expected JSON", url=fetched.url, source=source)
    return body

"""The HTTP edge of `/slack/events`: refuse what is not a signed Slack payload before bolt.

bolt decodes and parses the body before its own signature middleware runs, so a
binary body, `payload=` that is not JSON, a JSON array or a non-numeric timestamp
raised inside bolt: a 500 and a traceback for anyone who can reach the port. Here
the body is read (with a size cap), decoded, its signature checked with slack_sdk's
`SignatureVerifier`, and its shape checked with bolt's own parser; each refusal is
one status (400 malformed, 401 unsigned or stale, 413 too large) and one log line.
bolt still verifies the signature itself; this gate only decides earlier.
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

if TYPE_CHECKING:
    from wsgiref.types import WSGIEnvironment

log = logging.getLogger(__name__)

# Slack's own payloads (a modal submission with many blocks) stay far below this.
MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Refusal:
    status: str
    reason: str

    @property
    def code(self) -> int:
        return int(self.status.split(" ", 1)[0])


MALFORMED = "400 Bad Request"
UNSIGNED = "401 Unauthorized"
TOO_LARGE = "413 Content Too Large"


class SlackRequestGate:
    """Checks one request's body and headers; bodies that pass are handed on unchanged."""

    def __init__(self, signing_secret: str, *, max_body: int = MAX_BODY_BYTES) -> None:
        self._verifier = SignatureVerifier(signing_secret)
        self._max_body = max_body

    def check(self, environ: WSGIEnvironment) -> Refusal | None:
        """None when the request may go to bolt (its body is then re-readable from the start)."""
        refusal = self._check(environ)
        if refusal is not None:
            log.warning(
                "slack.request_rejected status=%d reason=%s remote=%s",
                refusal.code,
                refusal.reason,
                environ.get("REMOTE_ADDR", "?"),
            )
        return refusal

    def _check(self, environ: WSGIEnvironment) -> Refusal | None:
        length = _content_length(environ)
        if length is None:
            return Refusal(MALFORMED, "bad_content_length")
        if length > self._max_body:
            return Refusal(TOO_LARGE, "body_too_large")
        raw = environ["wsgi.input"].read(length) if length else b""
        # bolt reads the body again; give it the bytes already taken off the socket.
        environ["wsgi.input"] = io.BytesIO(raw)
        environ["CONTENT_LENGTH"] = str(len(raw))
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return Refusal(MALFORMED, "body_not_utf8")
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE")
        if timestamp is not None and not (timestamp.isascii() and timestamp.isdigit()):
            return Refusal(MALFORMED, "timestamp_not_a_number")
        if not self._verifier.is_valid(body=body, timestamp=timestamp, signature=signature):
            return Refusal(UNSIGNED, "bad_or_stale_signature")
        return _shape_refusal(body, environ.get("CONTENT_TYPE"))


def _content_length(environ: WSGIEnvironment) -> int | None:
    value = environ.get("CONTENT_LENGTH") or "0"
    if not value.isascii() or not value.isdigit():
        return None
    return int(value)


def _shape_refusal(body: str, content_type: str | None) -> Refusal | None:
    """A signed body must still parse the way bolt parses it, into a JSON object."""
    try:
        parsed = parse_body(body, (content_type or "").split(";", 1)[0].strip() or None)
    except (json.JSONDecodeError, ValueError):
        return Refusal(MALFORMED, "body_not_parseable")
    if not isinstance(parsed, dict):
        return Refusal(MALFORMED, "body_not_an_object")
    return None

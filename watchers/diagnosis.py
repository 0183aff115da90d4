"""What a source's answer means for the person who configured it. Pure.

`diagnose` reads one answer (status, content type, the first bytes of the body,
how many items the source's own parser found, or the transport failure) against
the format the source expects, and says in one line what happened and what to do:

    403 with a bot-detection page: this site blocks automated clients; drop or
    replace this source

`diagnose_failure` does the same from the error a poll raised, for the runner,
which keeps only the exception: it cannot see the body of an error page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from watchers.errors import (
    BodyTooLarge,
    FetchError,
    FetchRefused,
    HttpStatusError,
    ParseError,
    TransportError,
)

# What a source expects to be answered with.
Expected = Literal["feed", "listing", "json", "csl", "xml"]
# How a request failed before any status arrived.
TransportFailure = Literal["timeout", "dns", "connection", "tls", "too_large", "other"]

_EXPECTED_WORDS: dict[Expected, str] = {
    "feed": "an RSS or Atom feed",
    "listing": "an HTML news listing",
    "json": "JSON",
    "csl": "the CSL download (CSV or JSON)",
    "xml": "the eCFR title XML",
}
_BOT_PAGE = re.compile(
    rb"captcha|are you a robot|are you human|verify you are (?:a )?human|bot[\s-]?detection|"
    rb"access denied|request (?:was )?blocked|request rejected|cloudflare|akamai|incapsula|"
    rb"perimeterx|distil|enable javascript|checking your browser|just a moment|"
    rb"unusual traffic|automated (?:access|requests|queries)",
    re.I,
)
_HTML = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body)", re.I)
_FEED = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.I)


@dataclass(frozen=True, slots=True)
class Answer:
    """What came back: a status with a body's head, or a transport failure."""

    status: int | None = None
    content_type: str = ""
    head: bytes = b""
    failure: TransportFailure | None = None
    failure_detail: str = ""
    items: int | None = None  # items the source's parser found; None: not parsed
    parse_error: str | None = None


@dataclass(frozen=True, slots=True)
class Diagnosis:
    usable: bool
    text: str


def diagnose(answer: Answer, *, expected: Expected) -> Diagnosis:
    if answer.failure is not None:
        return _transport(answer.failure, answer.failure_detail)
    status = answer.status or 0
    if status >= 400:
        return _status(status, is_html(answer), bot_page(answer.head))
    if is_html(answer) and expected != "listing":
        return Diagnosis(False, html_instead(expected))
    if expected == "listing" and _FEED.search(answer.head[:2048]):
        return Diagnosis(False, "a feed where an HTML listing was expected: move it to PRESS_FEEDS")
    if answer.parse_error is not None:
        return Diagnosis(
            False, f"the answer is not {_EXPECTED_WORDS[expected]}: {answer.parse_error}"
        )
    if answer.items == 0:
        return Diagnosis(True, "answers, but with no items right now")
    return Diagnosis(True, "ok")


def diagnose_failure(error: BaseException, *, expected: Expected) -> Diagnosis:
    """The diagnosis of a failed poll, from its exception alone."""
    if isinstance(error, HttpStatusError):
        return _status(error.status, html=False, bot=False)
    if isinstance(error, BodyTooLarge):
        return _transport("too_large", str(error))
    if isinstance(error, FetchRefused):
        return Diagnosis(
            False,
            f"{error}: the address or a redirect leads off the source's site or to a "
            "non-public address; check the address",
        )
    if isinstance(error, TransportError):
        return _transport(transport_failure(str(error)), str(error))
    if isinstance(error, FetchError) and "HTML page" in str(error):
        return Diagnosis(False, html_instead(expected))
    if isinstance(error, ParseError):
        return Diagnosis(False, f"the answer is not {_EXPECTED_WORDS[expected]}: {error.message}")
    return Diagnosis(False, f"failed: {type(error).__name__}")


def transport_failure(message: str) -> TransportFailure:
    """Classify a transport error message (ours or the requests library's)."""
    text = message.lower()
    if "timed out" in text or "timeout" in text:
        return "timeout"
    if any(
        w in text
        for w in (
            "name or service not known",
            "nodename nor servname",
            "getaddrinfo",
            "name resolution",
            "failed to resolve",
            "no address associated",
        )
    ):
        return "dns"
    if "ssl" in text or "certificate" in text or "tls" in text:
        return "tls"
    if "refused" in text or "connect" in text or "reset" in text or "unreachable" in text:
        return "connection"
    return "other"


def is_html(answer: Answer) -> bool:
    return "html" in answer.content_type.lower() or bool(_HTML.match(answer.head[:512]))


def bot_page(head: bytes) -> bool:
    return bool(_BOT_PAGE.search(head))


def html_instead(expected: Expected) -> str:
    if expected == "feed":
        return (
            "HTML where a feed was expected: this address is a web page, not RSS/Atom; use the "
            "site's feed address, or list a news listing page in PRESS_PAGES instead"
        )
    return (
        f"HTML where {_EXPECTED_WORDS[expected]} was expected: a proxy, a login or a block page "
        "answered; check the address and any proxy in between"
    )


def _status(status: int, html: bool, bot: bool) -> Diagnosis:
    if status == 403 and bot:
        return Diagnosis(
            False,
            "403 with a bot-detection page: this site blocks automated clients; "
            "drop or replace this source",
        )
    if status == 403:
        return Diagnosis(
            False,
            "403 Forbidden: the site refuses this client (often a bot check); "
            "drop or replace this source",
        )
    if status in (404, 410):
        return Diagnosis(
            False, f"{status}: the address moved or was retired; find the new address or drop it"
        )
    if status == 401:
        return Diagnosis(False, "401: the address needs credentials; drop or replace this source")
    if status == 429:
        return Diagnosis(
            False, "429: rate-limited by the site; poll it less often (the *_POLL_SECONDS settings)"
        )
    if status >= 500:
        return Diagnosis(
            False, f"{status}: server error at the site; usually passes, check again later"
        )
    kind = "an HTML page" if html else "an error"
    return Diagnosis(False, f"{status}: the site answered with {kind}; check the address")


def _transport(failure: TransportFailure, detail: str) -> Diagnosis:
    texts: dict[TransportFailure, str] = {
        "timeout": "timed out: no answer in time; check the network, or raise HTTP_READ_TIMEOUT",
        "dns": "DNS lookup failed: the host name does not resolve; check the address for a "
        "typo, and the DNS or proxy settings",
        "connection": "could not connect: nothing answers at this address; check the address, "
        "a firewall or a proxy",
        "tls": "TLS error: the secure connection failed; check the address (http/https) and "
        "any intercepting proxy",
        "too_large": "the answer is larger than HTTP_MAX_BYTES; raise it or check the address",
        "other": f"request failed: {detail[:200]}",
    }
    return Diagnosis(False, texts[failure])

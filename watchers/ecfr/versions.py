"""The eCFR versioner's `versions` answer for 15 CFR part 744 -> the amendments we watch.

Pure: bytes in, frozen records out. The endpoint is documented (ecfr.gov developer
documentation, Versioner Service) as

    GET /api/versioner/v1/versions/title-15.json?part=744&issue_date[gte]=YYYY-MM-DD

answering `{"content_versions": [...], "meta": {...}}`, 1,000 versions a page, each
version an object with `identifier` ("744.22", or an appendix's identifier such
as "Supplement No. 4 to Part 744"), `name`, `amendment_date` (the date the change
takes effect; `date` is its deprecated copy), `issue_date` (when the eCFR took it
in), `substantive`, `removed`, `part`, `subpart`, `title` and `type` ("section" or
"appendix"). An answer of another shape is refused as a whole, with where it
went wrong: a half-read history must not pass for "nothing changed".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from reference.lists import PART_744_LISTS
from watchers.ecfr.errors import VersionsAnswerError

SOURCE = "ecfr.versions"
PAGE_SIZE = 1000
_SUPPLEMENT = re.compile(r"^supplement\s+no\.?\s*(\d+)\s+to\s+part\s+744$", re.IGNORECASE)
_SECTION = re.compile(r"^(?:§\s*)?744\.(\d+)$")


@dataclass(frozen=True, slots=True)
class Amendment:
    """One substantive change of a watched part of 15 CFR part 744, as the eCFR records it."""

    identifier: str  # canonical: "Supplement No. 4 to Part 744", "744.22"
    list_code: str  # the list that part holds (reference.lists.PART_744_LISTS)
    name: str
    amendment_date: date
    issue_date: date | None
    removed: bool


@dataclass(frozen=True, slots=True)
class VersionsPage:
    amendments: tuple[Amendment, ...]
    # Versions on this page, watched or not: a full page means there may be another.
    version_count: int
    latest_amendment_date: date | None
    latest_issue_date: date | None

    @property
    def may_continue(self) -> bool:
        return self.version_count >= PAGE_SIZE


def versions_request(api_url: str, *, since: date, page: int = 1) -> str:
    """The versions of part 744 issued on or after `since` (one page)."""
    query: dict[str, str] = {"part": "744", "issue_date[gte]": since.isoformat()}
    if page > 1:
        query["page"] = str(page)
    return f"{api_url.rstrip('/')}/versions/title-15.json?{urlencode(query)}"


def watched_identifier(identifier: str) -> str | None:
    """The canonical form of a watched identifier, or None for any other part of 744."""
    text = " ".join(identifier.split())
    supplement = _SUPPLEMENT.match(text)
    if supplement:
        canonical = f"Supplement No. {supplement.group(1)} to Part 744"
        return canonical if canonical in PART_744_LISTS else None
    section = _SECTION.match(text)
    if section:
        canonical = f"744.{section.group(1)}"
        return canonical if canonical in PART_744_LISTS else None
    return None


def parse_versions(data: bytes) -> VersionsPage:
    """Every substantive version of a watched part on one page of the answer."""
    payload = _json_object(data)
    versions = payload.get("content_versions")
    if not isinstance(versions, list):
        raise VersionsAnswerError(
            f"no `content_versions` list in the answer (keys: {_keys(payload)})", source=SOURCE
        )
    amendments = []
    for position, item in enumerate(versions, start=1):
        amendment = _amendment(item, where=f"content_versions[{position}]")
        if amendment is not None:
            amendments.append(amendment)
    meta = payload.get("meta")
    meta = meta if isinstance(meta, Mapping) else {}
    return VersionsPage(
        amendments=tuple(amendments),
        version_count=len(versions),
        latest_amendment_date=_optional_date(meta.get("latest_amendment_date"), where="meta"),
        latest_issue_date=_optional_date(meta.get("latest_issue_date"), where="meta"),
    )


def _json_object(data: bytes) -> Mapping[str, Any]:
    try:
        payload = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VersionsAnswerError(f"not JSON: {exc}", source=SOURCE) from None
    if not isinstance(payload, Mapping):
        raise VersionsAnswerError(
            f"expected a JSON object, got a {type(payload).__name__}", source=SOURCE
        )
    for key in ("error", "errors", "message"):
        if key in payload and "content_versions" not in payload:
            # The documented 400 and 503 bodies: {"error": "Bad date: ..."}, {"message": ...}.
            raise VersionsAnswerError(f"the eCFR answered {key}: {payload[key]}", source=SOURCE)
    return payload


def _amendment(item: object, *, where: str) -> Amendment | None:
    if not isinstance(item, Mapping):
        kind = type(item).__name__
        raise VersionsAnswerError(f"a version is a {kind}", source=SOURCE, where=where)
    identifier = item.get("identifier")
    if not isinstance(identifier, str) or not identifier.strip():
        raise VersionsAnswerError("a version without an identifier", source=SOURCE, where=where)
    canonical = watched_identifier(identifier)
    if canonical is None:
        return None
    substantive = item.get("substantive")
    if not isinstance(substantive, bool):
        raise VersionsAnswerError(
            f"`substantive` is {substantive!r}, not true or false", source=SOURCE, where=where
        )
    if not substantive:
        return None
    amended = _optional_date(item.get("amendment_date") or item.get("date"), where=where)
    if amended is None:
        raise VersionsAnswerError("a version without an amendment date", source=SOURCE, where=where)
    return Amendment(
        identifier=canonical,
        list_code=PART_744_LISTS[canonical],
        name=str(item.get("name") or canonical).strip(),
        amendment_date=amended,
        issue_date=_optional_date(item.get("issue_date"), where=where),
        removed=item.get("removed") is True,
    )


def _optional_date(value: object, *, where: str) -> date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise VersionsAnswerError(f"date {value!r} is not text", source=SOURCE, where=where)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise VersionsAnswerError(
            f"date {value!r} is not YYYY-MM-DD", source=SOURCE, where=where
        ) from None


def _keys(payload: Mapping[str, Any]) -> str:
    return ", ".join(sorted(str(k) for k in payload)) or "none"

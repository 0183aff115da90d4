"""Reading Federal Register API v1 JSON answers: the envelope, agencies, typed fields.

Both `documents.json` and `public-inspection-documents/current.json` answer
`{"count": N, "results": [...]}` (the search adds `total_pages` and
`next_page_url`). A blocked or overloaded client can be served an HTML page
with status 200, so anything that is not a JSON object is refused here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from watchers.federal_register.errors import ApiResponseError

# The API's slug for the Bureau of Industry and Security (not "bureau-of-...").
BIS_SLUG = "industry-and-security-bureau"

JsonObject = Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Agency:
    name: str
    slug: str | None


def load_object(data: bytes, *, source: str) -> JsonObject:
    """Decode the answer as a JSON object, or say what came instead."""
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise ApiResponseError("empty answer, expected JSON", source=source)
    if stripped.startswith(b"<"):
        raise ApiResponseError("got an HTML/XML page instead of JSON (blocked?)", source=source)
    try:
        value = json.loads(stripped)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApiResponseError(f"not JSON: {error}", source=source) from error
    if not isinstance(value, dict):
        raise ApiResponseError(f"expected a JSON object, got {type(value).__name__}", source=source)
    return value


def results_of(envelope: JsonObject, *, source: str) -> list[JsonObject]:
    """The `results` array; the API leaves it out when nothing matched."""
    count = int_field(envelope, "count", source=source, where="count")
    results = envelope.get("results")
    if results is None and count == 0:
        return []
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise ApiResponseError("`results` is not a list of objects", source=source, where="results")
    return results


def int_field(obj: JsonObject, key: str, *, source: str, where: str) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiResponseError(f"`{key}` is not an integer: {value!r}", source=source, where=where)
    return value


def str_field(obj: JsonObject, key: str, *, source: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ApiResponseError(f"`{key}` is missing or empty", source=source, where=where)
    return value.strip()


def optional_str(obj: JsonObject, key: str) -> str | None:
    # Fields not asked for in `fields[]`, and empty ones, come back absent or null.
    value = obj.get(key)
    return value.strip() or None if isinstance(value, str) else None


def optional_date(obj: JsonObject, key: str, *, source: str, where: str) -> date | None:
    value = optional_str(obj, key)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ApiResponseError(
            f"`{key}` is not a date: {value!r}", source=source, where=where
        ) from error


def optional_datetime(obj: JsonObject, key: str, *, source: str, where: str) -> datetime | None:
    value = optional_str(obj, key)
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise ApiResponseError(
            f"`{key}` is not a timestamp: {value!r}", source=source, where=where
        ) from error


def agencies_of(obj: JsonObject) -> tuple[Agency, ...]:
    """The `agencies` array; an agency the API cannot resolve has only `raw_name`."""
    value = obj.get("agencies")
    if not isinstance(value, list):
        return ()
    agencies: list[Agency] = []
    for item in value:
        if isinstance(item, dict):
            name = optional_str(item, "name") or optional_str(item, "raw_name") or ""
            agencies.append(Agency(name=name, slug=optional_str(item, "slug")))
    return tuple(agencies)


def is_bis(agencies: tuple[Agency, ...]) -> bool:
    # Match the slug, or the name when the API could not resolve a slug.
    return any(a.slug == BIS_SLUG or "industry and security" in a.name.casefold() for a in agencies)

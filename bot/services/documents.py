"""Reading a document the user names: a local path (optionally .gz) or an http(s) URL."""

from __future__ import annotations

import gzip
from importlib import resources
from pathlib import Path

from bot.errors import UserError
from watchers.fetch_scope import FetchScope
from watchers.http import HttpFetcher

BUNDLED_SNAPSHOT = "consolidated-2022-05.csv.gz"


def read_document(location: str, *, fetcher: HttpFetcher) -> bytes:
    if location.startswith(("http://", "https://")):
        # The user typed this address: it counts as configured, wherever it is.
        result = fetcher.get(location, source="cli", scope=FetchScope.configured(location))
        return result.body or b""
    path = Path(location).expanduser()
    if not path.is_file():
        raise UserError(f"no such file: {location}")
    data = path.read_bytes()
    return _gunzip(data, name=location) if path.suffix == ".gz" else data


def bundled_snapshot() -> bytes:
    """The CSL snapshot shipped with the package (2022-05, 14,160 rows; see bot/data)."""
    data = resources.files("bot").joinpath("data", BUNDLED_SNAPSHOT).read_bytes()
    return _gunzip(data, name=BUNDLED_SNAPSHOT)


def _gunzip(data: bytes, *, name: str) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError) as exc:
        raise UserError(f"{name}: not a valid gzip file ({exc})") from None

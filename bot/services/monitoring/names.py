"""What a counterparty's name must be: screenable by the engine (the same limits as
`/screen`), and, without an id of its own, the source of a stable derived id.

The derived id ignores what does not make another party: case, spacing, accents,
and punctuation ("Zeta Trading Ltd." and "Zeta Trading, Ltd" are one party; an
abbreviation's dots are dropped, "A.B.C." reads "abc"; other marks separate words).
Changing `derived_key` changes stored ids: migration 0009 re-derived the ids stored
under the previous key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from screening import MAX_QUERY_CHARS, ScreeningError
from screening.query import validate_query

# Marks inside a word: dropped, so "Ltd." is "ltd" and "O'Neil" is "oneil".
_JOINING = re.compile(r"[.'\u2019\u00b4`]")
_SPACES = re.compile(r"\s+")


def derived_key(name: str) -> str:
    """The normalized name a derived id is the hash of."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    letters = "".join(ch for ch in folded if not unicodedata.combining(ch))
    joined = _JOINING.sub("", letters)
    spaced = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in joined)
    return _SPACES.sub(" ", spaced).strip()


def derived_id(name: str) -> str:
    """A stable id for a counterparty without one: the same normalized name, the same id."""
    digest = hashlib.sha256(derived_key(name).encode()).hexdigest()
    return f"name:{digest[:16]}"


def unscreenable(name: str) -> str | None:
    """Why the screening engine would refuse `name` (so it would never hit), or None."""
    if len(name) > MAX_QUERY_CHARS:
        return f"name is {len(name):,} characters (at most {MAX_QUERY_CHARS}, as for /screen)"
    try:
        validate_query(name)
    except ScreeningError as exc:
        return f"name cannot be screened: {exc}"
    return None

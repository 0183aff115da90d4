"""Addresses as the screening engine sees them: what looks like one, and how it is tokenized.

Exporters screen ship-to addresses, and since mid-2024 the Entity List holds
address-only entries ("Unit D, 16/F ..., Hong Kong"). An address counts by its
house and unit numbers and its street, building and district names; words such
as "Road", "Floor" or "Unit" say what kind of part follows and count little,
and places count as they do in names. Words match exactly: "18" and "19" are
different doors, and a one-letter typo in a short street name is another street.
"""

from __future__ import annotations

import re

from screening.memory import forgotten_with_the_rest, remembered
from screening.names import NameVariant
from screening.normalize import (
    Kind,
    Token,
    clean_words,
    names_a_company,
    token_of,
    tokenize,
)
from screening.places import PLACE_WORDS
from screening.word_lists import STOP_WORDS

ADDRESS_ENTITY_TYPE = "address"

# Words that name a part of an address (spelled as normalization leaves them).
ADDRESS_WORDS: frozenset[str] = frozenset(
    {
        "street",
        "st",
        "road",
        "rd",
        "avenue",
        "ave",
        "boulevard",
        "blvd",
        "lane",
        "ln",
        "drive",
        "dr",
        "highway",
        "hwy",
        "way",
        "unit",
        "units",
        "floor",
        "fl",
        "flr",
        "f",
        "room",
        "rm",
        "suite",
        "ste",
        "apt",
        "apartment",
        "building",
        "bldg",
        "block",
        "blk",
        "tower",
        "plaza",
        "district",
        "dist",
        "province",
        "city",
        "town",
        "village",
        "county",
        "zone",
        "park",
        "square",
        "sq",
        "no",
        "number",
        "box",
        "po",
        "ulitsa",
        "ul",
        "prospekt",
        "pr",
        "dom",
        "d",
        "str",
        "strasse",
        "calle",
        "avenida",
        "rue",
        "jalan",
        "xiang",
        "lu",
        "jie",
        "hao",
        "qu",
        "zhen",
        "cun",
        "industrial",
        "estate",
        "area",
        "center",
        "centre",
    }
)
# One spelling per address word, so that "Rm" meets "Room" and "Bldg." meets "Building".
ADDRESS_SPELLINGS: dict[str, str] = {
    "st": "street",
    "str": "street",
    "strasse": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "blvd": "boulevard",
    "ln": "lane",
    "dr": "drive",
    "hwy": "highway",
    "fl": "floor",
    "flr": "floor",
    "f": "floor",
    "rm": "room",
    "ste": "suite",
    "apt": "apartment",
    "bldg": "building",
    "bld": "building",
    "blk": "block",
    "dist": "district",
    "sq": "square",
    "ul": "ulitsa",
    "pr": "prospekt",
    "centre": "center",
    "no": "number",
}
_NUMBER = re.compile(r"\d")
_HOUSE_NUMBER = re.compile(r"(?<![\w-])\d+[a-z]?(?:[-/]\d+)*(?![\w-])", re.IGNORECASE)
_POSTCODE = re.compile(r"\b(?:\d{5,6}|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|\d{3}-\d{4})\b")
_FLOOR = re.compile(r"\b\d+\s*/\s*f\b|\b\d+(?:st|nd|rd|th)\s+floor\b", re.IGNORECASE)
# Two address words, or one with a number, make a query an address.
_MIN_ADDRESS_WORDS = 2


def looks_like_address(query: str) -> bool:
    """Numbers with street, unit or floor words, a postcode, or several comma parts."""
    if not _NUMBER.search(query):
        return False
    if _POSTCODE.search(query) or _FLOOR.search(query):
        return True
    words = set(clean_words(query))
    found = len(words & ADDRESS_WORDS)
    if found >= _MIN_ADDRESS_WORDS or (found >= 1 and "," in query):
        return True
    # "Malci Beliceve 107, Ljubljana": a house number and a town, and no company's legal
    # form ("7-Eleven, Inc.").
    return (
        "," in query and bool(_HOUSE_NUMBER.search(query)) and not names_a_company(tokenize(query))
    )


def address_tokens(text: str) -> list[Token]:
    """Tokens of an address: address words count like generic words, the rest as they are.

    No legal forms ("Co" or "SA" in an address is part of a building's name) and
    no spelling variants: only the word kinds.
    """
    tokens = [_ADDRESS_TOKENS.get(word) or _address_token(word) for word in clean_words(text)]
    # The CSL ends addresses with a country code ("..., Hong Kong, HK"); it places, not names.
    last = tokens[-1].text if tokens else ""
    if len(tokens) > 1 and len(last) == 2 and last.isalpha():
        tokens[-1] = token_of(last, Kind.PLACE)
    return tokens


# Each word of every listed address, read once (the lists repeat street words and towns).
_ADDRESS_TOKENS: dict[str, Token] = {}
_MAX_ADDRESS_TOKENS = 1 << 16
forgotten_with_the_rest(_ADDRESS_TOKENS.clear)


def _address_token(word: str) -> Token:
    spelled = ADDRESS_SPELLINGS.get(word, word)
    token = token_of(spelled, _address_kind(spelled))
    return remembered(_ADDRESS_TOKENS, word, token, limit=_MAX_ADDRESS_TOKENS)


def _address_kind(word: str) -> Kind:
    if word in ADDRESS_WORDS:
        return Kind.GENERIC
    if word in STOP_WORDS:
        return Kind.STOP
    if word in PLACE_WORDS:
        return Kind.PLACE
    return Kind.CONTENT


def address_variant(text: str) -> NameVariant | None:
    tokens = tuple(address_tokens(text))
    return NameVariant(text.strip(), tokens, is_alias=False) if tokens else None

"""Counts written in digits or in words: "28", "twenty-eight", "one hundred and four"."""

from __future__ import annotations

import re

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_VALUES: dict[str, int] = {word: value for value, word in enumerate(_UNITS)}
_VALUES.update({word: 20 + 10 * index for index, word in enumerate(_TENS)})

_WORD = "|".join(sorted(_VALUES, key=len, reverse=True))
# One number: digits (with thousands commas), or words joined by spaces, hyphens, "and".
NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{_WORD})(?:[\s-]+(?:and\s+)?(?:{_WORD}|hundred))*)"
_NUMBER_RE = re.compile(rf"^{NUMBER}$", re.IGNORECASE)


def parse_count(text: str) -> int | None:
    """The value of a number written in digits or English words, or None."""
    text = text.strip()
    if not _NUMBER_RE.match(text):
        return None
    if text[0].isdigit():
        return int(text.replace(",", ""))
    total = 0
    for word in re.split(r"[\s-]+", text.casefold()):
        if word == "hundred":
            total = max(total, 1) * 100
        elif word != "and":
            total += _VALUES[word]
    return total

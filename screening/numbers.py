"""Numbers written as words read as digits: "Forty-Four" is "44", "Fourteenth" is "14th".

Lists print a unit's number as digits ("Brigade 44", "14th Research Institute")
and people type it as words, or the other way round; written either way it must
be one token. Both the lists' names and the queries pass through here, so a
name that happens to hold a number word ("One Bank", "Second Hand") is read
the same way on both sides. A tens word before a lone digit ("forty 4") is one
number too, and so is a Roman numeral after the name ("Fund VII" and "Fund 7").
Only English number words: the other languages' are rare in the lists, and
Chinese numerals are read in `screening.chinese`.
"""

from __future__ import annotations

import re

UNITS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,  # a common misspelling, still plainly the number
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "ninty": 90,
}
ORDINAL_UNITS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "twelth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
}
ORDINAL_TENS: dict[str, int] = {
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
}
HUNDRED = "hundred"
NUMBER_WORDS = frozenset({*UNITS, *TENS, *ORDINAL_UNITS, *ORDINAL_TENS, HUNDRED})


def ordinal(number: int) -> str:
    """14 -> "14th", 21 -> "21st", 112 -> "112th": as the lists print ordinals."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# "No. 7", "Number 7", "Nr. 7": one sign, read as "no" before a number.
NUMBER_SIGNS = frozenset({"no", "nr", "num", "number", "nomer"})
# Roman numerals of I, V and X, two letters or more, after the first word ("Fund VII",
# "Orion Tanker IV"); "xi" stays a word, a common Chinese surname.
_ROMAN = re.compile(r"x{0,3}(?:ix|iv|v?i{0,3})")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_NOT_ROMAN = frozenset({"xi"})
ROMAN_NUMERALS = frozenset(
    numeral
    for numeral in (
        tens + units
        for tens in ("", "x", "xx", "xxx")
        for units in ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
    )
    if len(numeral) >= 2 and numeral not in _NOT_ROMAN and _ROMAN.fullmatch(numeral)
)


def digits_for_number_words(words: list[str]) -> list[str]:
    """Cleaned lower-case words with each run of number words, and each Roman numeral
    after the first word, replaced by its digits; a number sign before digits as "no"."""
    # Every listed name passes here at build: set look-ups first, lists only when needed.
    if not ROMAN_NUMERALS.isdisjoint(words[1:]):
        words = [
            str(roman_value(word)) if position and word in ROMAN_NUMERALS else word
            for position, word in enumerate(words)
        ]
    if not NUMBER_WORDS.isdisjoint(words):
        words = _read_numbers(words)
    if not NUMBER_SIGNS.isdisjoint(words):
        words = [
            "no"
            if word in NUMBER_SIGNS
            and position + 1 < len(words)
            and words[position + 1][0].isdigit()
            else word
            for position, word in enumerate(words)
        ]
    return words


def roman_value(numeral: str) -> int:
    """ "vii" -> 7, "xiv" -> 14: subtractive where a smaller letter comes first."""
    total = 0
    for position, letter in enumerate(numeral):
        value = _ROMAN_VALUES[letter]
        following = numeral[position + 1] if position + 1 < len(numeral) else None
        if following is not None and _ROMAN_VALUES[following] > value:
            total -= value
        else:
            total += value
    return total


def _read_numbers(words: list[str]) -> list[str]:
    out: list[str] = []
    position = 0
    while position < len(words):
        read = _read_number(words, position)
        if read is None:
            out.append(words[position])
            position += 1
            continue
        text, position = read
        out.append(text)
    return out


def _read_number(words: list[str], start: int) -> tuple[str, int] | None:
    """(digits, next position) for a number that starts at `start`, else None."""
    value = 0
    position = start
    word = words[position]
    if word in UNITS and _next(words, position) == HUNDRED:
        value = UNITS[word] * 100
        position += 2
        if _next(words, position - 1) == "and" and _is_number_word(_next(words, position)):
            position += 1
        if position >= len(words) or not _is_number_word(words[position]):
            return str(value), position
        word = words[position]
    if word in ORDINAL_UNITS:
        return ordinal(value + ORDINAL_UNITS[word]), position + 1
    if word in ORDINAL_TENS:
        return ordinal(value + ORDINAL_TENS[word]), position + 1
    if word in UNITS:
        return str(value + UNITS[word]), position + 1
    if word not in TENS:
        return None
    value += TENS[word]
    following = _next(words, position)
    if following in ORDINAL_UNITS and ORDINAL_UNITS[following] < 10:
        return ordinal(value + ORDINAL_UNITS[following]), position + 2
    if following in UNITS and UNITS[following] < 10:
        return str(value + UNITS[following]), position + 2
    if following is not None and len(following) == 1 and following.isdigit() and following != "0":
        return str(value + int(following)), position + 2
    return str(value), position + 1


def _next(words: list[str], position: int) -> str | None:
    return words[position + 1] if position + 1 < len(words) else None


def _is_number_word(word: str | None) -> bool:
    return word is not None and word in NUMBER_WORDS and word != HUNDRED

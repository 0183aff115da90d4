"""Turn a name as typed or as listed into classified tokens.

Cleaning: Unicode compatibility forms, lost apostrophes ("People?s"), symbols
and emoji dropped, Chinese characters segmented, every script transliterated
to ASCII with `anyascii`, initialisms joined ("S.A." -> "sa"), "&" read as
"and", other punctuation read as a space. Tokens are then spelled one way
("Tech" -> "technology") and classified: legal forms, filler words, generic
words and places count less than the words that name a company.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter
from typing import Final

from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import OSA

from screening.chinese import romanize_chinese
from screening.legal_forms import LEGAL_FORMS_ANYWHERE, LEGAL_FORMS_AT_EDGE, LONGEST_LEGAL_FORM
from screening.memory import forgotten_with_the_rest, remembered
from screening.numbers import digits_for_number_words
from screening.places import PLACE_WORDS
from screening.word_lists import CANONICAL, GENERIC_WORDS, STOP_WORDS


class Kind(StrEnum):
    """What a token says about the party."""

    CONTENT = "content"
    GENERIC = "generic word"
    PLACE = "place"
    QUALIFIER = "qualifier"
    STOP = "filler word"
    LEGAL = "legal form"


class Token:
    """One word of a name: its one spelling (`text`) and what it says (`kind`).

    Shared between every name that holds it (`token_of`), so never changed once made
    (mypy holds to `Final`). A plain class, not a frozen dataclass: compiled, it is a
    native class made in C, where a frozen dataclass's generated `__init__` stays
    interpreted (py-spy: 7 % of a compiled build went to those).
    """

    __slots__ = ("kind", "text", "written")

    def __init__(self, text: str, kind: Kind, written: str | None = None) -> None:
        self.text: Final = text
        self.kind: Final = kind
        # The word as written, when `text` is its one spelling ("techn" for "technology"):
        # a word split in two ("Techn ologies") is joined from what was written.
        self.written: Final = written

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.kind!r}, {self.written!r})"

    @property
    def as_written(self) -> str:
        return self.written or self.text


# Each token's text, for `map` over a name's tokens (in C, where a loop is in Python).
token_text = attrgetter("text")


# An apostrophe (or the "?" that replaced one in the CSL) between two letters.
_APOSTROPHES = "?'`´‘’ʼ"
_LOST_APOSTROPHE = re.compile(rf"(?<=[^\W\d_])[{_APOSTROPHES}](?=[^\W\d_])")
# "s.a.", "u.s.", "l.x.c" - single letters with dots between them.
_INITIALISM = re.compile(r"(?<![a-z0-9])(?:[a-z]\.){2,}(?:[a-z](?![a-z0-9]))?")
_WORD = re.compile(r"[a-z0-9]+")
_DROPPED_CATEGORIES = ("S", "C", "M")
_LONGEST_EDGE_FORM = max(len(form.split()) for form in LEGAL_FORMS_AT_EDGE)
_APOSTROPHE_SET = frozenset(_APOSTROPHES)
# The words an edge form can begin with (read forward) or end with (read backward).
_EDGE_FIRST_WORDS = frozenset(form.split()[0] for form in LEGAL_FORMS_AT_EDGE)
_EDGE_LAST_WORDS = frozenset(form.split()[-1] for form in LEGAL_FORMS_AT_EDGE)


def clean_text(text: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    return " ".join(clean_words(text))


def clean_words(text: str) -> list[str]:
    """The words of `clean_text(text)`."""
    return _WORD.findall(_lower_ascii(text))


def _lower_ascii(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _repair_mojibake(text)
    # Every listed name passes here at build: a regex only where its mark is present.
    if not _APOSTROPHE_SET.isdisjoint(text):
        text = _LOST_APOSTROPHE.sub("", text)
    if not text.isascii():
        text = _drop_symbols(romanize_chinese(text))
        text = anyascii(text)
    text = text.lower().replace("&", " and ")
    if "." in text:
        text = _INITIALISM.sub(lambda m: m.group(0).replace(".", ""), text)
    return text


# Text written in code page 437 and read as Windows-1252, as some list rows were: an
# accented letter shows as a mark between two letters ("Co”peratief" for "Coöperatief",
# "Delegaci¢n" for "Delegación"). Marks that stand between letters for what they are
# are left alone: dashes, bullets, opening quotes, and a closing quote whose opening one
# is in the text too ("OOO“Romashka”"). A Windows-1252 apostrophe read as Latin-1 is a
# control character ("Xi\x92an"); other control characters separate words as before.
_MARK_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])[^\w\s\x00-\x7f](?=[^\W\d_])")
_QUOTES_READ_AS_CONTROLS = str.maketrans({"\x91": "’", "\x92": "’"})
_OPENING_QUOTE = {"”": "“", "’": "‘", "›": "‹"}
_NOT_A_LETTER = frozenset("•·")


def _repair_mojibake(text: str) -> str:
    # Control characters cannot be written in Windows-1252, so the first step leaves
    # them alone.
    text = _MARK_BETWEEN_LETTERS.sub(lambda found: _cp437_letter(found.group(0), text), text)
    return text.translate(_QUOTES_READ_AS_CONTROLS)


def _cp437_letter(mark: str, text: str) -> str:
    category = unicodedata.category(mark)
    if category in ("Pd", "Pi") or mark in _APOSTROPHES or mark in _NOT_A_LETTER:
        return mark
    if category == "Pf" and _OPENING_QUOTE.get(mark, mark) in text:
        return mark
    try:
        letter = mark.encode("cp1252").decode("cp437")
    except UnicodeError:
        return mark
    return letter if letter.isalpha() else mark


def _drop_symbols(text: str) -> str:
    # Emoji, dingbats, control and combining characters carry no name.
    return "".join(
        " " if not ch.isascii() and unicodedata.category(ch).startswith(_DROPPED_CATEGORIES) else ch
        for ch in text
    )


def tokenize(text: str, *, qualifier: bool = False) -> list[Token]:
    """Classified tokens of `text`; with `qualifier`, content words become qualifiers."""
    return list(_tokens(text, qualifier))


# The lists print the same name many times over (one row per address or program, the
# same alias under several entries), and cutting a name tokenizes parts of it again:
# remembered, a build tokenizes each text once. Tokens are immutable.
@lru_cache(maxsize=1 << 16)
def _tokens(text: str, qualifier: bool) -> tuple[Token, ...]:
    written = digits_for_number_words(clean_words(text))
    read = [_WORDS.get(word) or _read_word(word) for word in written]
    words = [word for word, _ in read]
    legal = _legal_positions(words)
    tokens: list[Token] = []
    for position, (word, kind) in enumerate(read):
        if position in legal:
            kind = Kind.LEGAL
        if qualifier and kind in (Kind.CONTENT, Kind.GENERIC, Kind.PLACE):
            kind = Kind.QUALIFIER
        as_written = written[position]
        tokens.append(token_of(word, kind, None if as_written == word else as_written))
    return tuple(tokens)


forgotten_with_the_rest(_tokens.cache_clear)


# The lists' names share their words: one Token per distinct word, kind and spelling,
# made once (a build asks for a quarter of a million: a look-up is cheaper than a new one).
_TOKENS: dict[tuple[str, Kind, str | None], Token] = {}
_MAX_TOKENS = 1 << 17
forgotten_with_the_rest(_TOKENS.clear)


def token_of(text: str, kind: Kind, written: str | None = None) -> Token:
    """`Token(text, kind, written)`, shared with every other token alike."""
    key = (text, kind, written)
    token = _TOKENS.get(key)
    if token is None:
        token = remembered(_TOKENS, key, Token(text, kind, written), limit=_MAX_TOKENS)
    return token


# Each word written, in its one spelling and that spelling's kind: one look-up per word
# of every listed name instead of three.
_WORDS: dict[str, tuple[str, Kind]] = {}
forgotten_with_the_rest(_WORDS.clear)


def _read_word(word: str) -> tuple[str, Kind]:
    one = spelled(word)
    return remembered(_WORDS, word, (one, _kind_of(one)), limit=_MAX_TOKENS)


def names_a_company(tokens: Iterable[Token]) -> bool:
    """Whether a legal form is among `tokens`: the name is a company's, not a person's."""
    return any(token.kind is Kind.LEGAL for token in tokens)


def spelled(word: str) -> str:
    """A cleaned word in the one spelling tokens use ("technologies" -> "technology"),
    with a typo in a written-out legal form mended ("limitted" -> "limited")."""
    return CANONICAL.get(word) or _legal_word(word)


# Written-out legal forms, and the long words of legal phrases: one typo ("Limitted",
# "Corporaton", "Aktiengeselschaft") still says which, and read as a distinctive word
# it outweighed the name itself. Short phrase words ("public", "closed") are ordinary
# words too, so they are left alone.
_LEGAL_WORDS = tuple(
    sorted(
        {
            word
            for phrase in LEGAL_FORMS_ANYWHERE
            for word in phrase.split()
            if len(word) >= 9 or (" " not in phrase and len(word) >= 6)
        }
    )
)
# Every word of every legal phrase stays as written: "limitee" is one edit from
# "limited", but mended it would break "societe a responsabilite limitee".
_PHRASE_WORDS = frozenset(
    word for phrase in LEGAL_FORMS_ANYWHERE | LEGAL_FORMS_AT_EDGE for word in phrase.split()
)
_MIN_MENDED = 6
# Two typos only in the longest words: "cooperation" is two edits from "corporation".
_TWO_TYPOS_FROM = 12


@lru_cache(maxsize=1 << 16)
def _legal_word(word: str) -> str:
    if len(word) < _MIN_MENDED or word in _PHRASE_WORDS or not word.isalpha():
        return word
    edits = 2 if len(word) >= _TWO_TYPOS_FROM else 1
    found = process.extractOne(word, _LEGAL_WORDS, scorer=OSA.distance, score_cutoff=edits)
    if found is None or _other_word(word, str(found[0])):
        return word
    return str(found[0])


forgotten_with_the_rest(_legal_word.cache_clear)


def _other_word(word: str, form: str) -> bool:
    # A slip drops, doubles or swaps letters ("Limted", "Limitted", "Limitde"); a word of
    # the same length with other letters is more often another word ("limiter").
    return len(word) == len(form) and sorted(word) != sorted(form)


def _kind_of(word: str) -> Kind:
    if word in STOP_WORDS:
        return Kind.STOP
    if word in GENERIC_WORDS:
        return Kind.GENERIC
    if word in PLACE_WORDS:
        return Kind.PLACE
    return Kind.CONTENT


# First words of the multi-word forms: most words start none, and skip the phrase joins
# (indexing tokenizes every name and alias on the lists).
_LEGAL_FIRST_WORDS = frozenset(form.split()[0] for form in LEGAL_FORMS_ANYWHERE)


def _legal_positions(words: list[str]) -> set[int]:
    found: set[int] = set()
    if _ANY_LEGAL_WORD.isdisjoint(words):
        return found
    for start in range(len(words)):
        if words[start] not in _LEGAL_FIRST_WORDS:
            continue
        for size in range(min(LONGEST_LEGAL_FORM, len(words) - start), 0, -1):
            if " ".join(words[start : start + size]) in LEGAL_FORMS_ANYWHERE:
                found.update(range(start, start + size))
                break
    _extend_at_edges(words, found)
    return found


# A name with none of these words has no legal form, anywhere or at an edge.
_ANY_LEGAL_WORD = _LEGAL_FIRST_WORDS | _EDGE_FIRST_WORDS | _EDGE_LAST_WORDS


def _extend_at_edges(words: list[str], found: set[int]) -> None:
    # Short forms ("SE", "AG", "S R O") count as legal forms only at either end.
    _mark_edge(words, found, range(len(words)), forward=True)
    _mark_edge(words, found, range(len(words) - 1, -1, -1), forward=False)


def _mark_edge(words: list[str], found: set[int], order: range, *, forward: bool) -> None:
    skip_to = -1 if forward else len(words)
    for position in order:
        if (forward and position < skip_to) or (not forward and position > skip_to):
            continue
        if position in found or words[position] in STOP_WORDS:
            continue
        if words[position] not in (_EDGE_FIRST_WORDS if forward else _EDGE_LAST_WORDS):
            return
        size = _edge_form_size(words, position, forward=forward)
        if size == 0:
            return
        span = (
            range(position, position + size)
            if forward
            else range(position - size + 1, position + 1)
        )
        found.update(span)
        skip_to = span[-1] + 1 if forward else span[0] - 1


def _edge_form_size(words: list[str], position: int, *, forward: bool) -> int:
    for size in range(min(_LONGEST_EDGE_FORM, len(words)), 0, -1):
        span = (
            words[position : position + size]
            if forward
            else words[position - size + 1 : position + 1]
        )
        if len(span) == size and " ".join(span) in LEGAL_FORMS_AT_EDGE:
            return size
    return 0

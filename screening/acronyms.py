"""A word that is the initials of words on the other side: "PLA", "U.S.", "JC".

Parties are known by their initials ("People's Liberation Army" as "PLA"), a
country's name is shortened ("United States" as "U.S."), and a double given
name is written as two letters ("JC" for "Jean-Claude"). Either side may hold
the short form. The words it stands for must be next to each other (filler
words such as "of" and "the" may sit between and need no letter), and only
words that count are read: legal forms are left out, as people leave them out
of initials.
"""

from __future__ import annotations

from collections.abc import Sequence

from screening.normalize import Kind, Token

MIN_LETTERS = 2
MAX_LETTERS = 6
# Initials found by look-up (not beside a word that agrees) need this many letters:
# two letters stand for too many names.
MIN_LOOKUP_LETTERS = 3


def could_be_initials(text: str) -> bool:
    return MIN_LETTERS <= len(text) <= MAX_LETTERS and text.isalpha()


# A legal form written out gives its letter ("Pars Telecom Engineering Company" is
# "PTEC"); an abbreviated one ("Co.", "LLC") does not.
MIN_LEGAL_WORD = 5


def _counts(token: Token, weight: float) -> bool:
    if token.kind is Kind.LEGAL:
        return len(token.text) >= MIN_LEGAL_WORD and token.text.isalpha()
    return weight > 0 and token.kind is not Kind.STOP


def initials_of(tokens: Sequence[Token], weights: Sequence[float]) -> str:
    """The first letters of the words that count, in order ("ptec" for "Pars Telecom
    Engineering Company"; "pla" for "People's Liberation Army Co., Ltd.")."""
    return "".join(
        token.text[0]
        for token, weight in zip(tokens, weights, strict=True)
        if _counts(token, weight) and token.text[0].isalpha()
    )


def initials_keys(tokens: Sequence[Token], weights: Sequence[float]) -> set[str]:
    """The initials a name may be known by: of all its words, without its legal form,
    and without the generic words and legal form at its end ("KIT" for "Karaj
    Industrial Tools Group LLC")."""
    # Every listed name passes here at build: one tight pass, no calls per token.
    if len(tokens) < MIN_LOOKUP_LETTERS:
        return set()
    letters: list[str] = []
    legal: list[bool] = []
    trailing = 0  # how many letters at the end come from generic words or legal forms
    for token, weight in zip(tokens, weights, strict=True):
        kind = token.kind
        text = token.text
        if kind is Kind.STOP or not text[0].isalpha():
            continue
        if kind is Kind.LEGAL:
            if len(text) < MIN_LEGAL_WORD or not text.isalpha():
                continue
        elif not weight:
            continue
        letters.append(text[0])
        legal.append(kind is Kind.LEGAL)
        trailing = trailing + 1 if kind in (Kind.LEGAL, Kind.GENERIC) else 0
    if len(letters) < MIN_LOOKUP_LETTERS:
        return set()
    keys = {"".join(letters)}
    if any(legal):
        keys.add(
            "".join(letter for letter, is_legal in zip(letters, legal, strict=True) if not is_legal)
        )
    for end in range(len(letters) - trailing, len(letters)):
        keys.add("".join(letters[:end]))
    return {key for key in keys if MIN_LOOKUP_LETTERS <= len(key) <= MAX_LETTERS}


def run_for(
    initials: str, tokens: Sequence[Token], weights: Sequence[float]
) -> tuple[int, ...] | None:
    """Positions of consecutive words whose first letters spell `initials`, filler
    words between them left out; None when there are none."""
    size = len(initials)
    first = initials[0]
    # On the hot path (every aligned name): most names have no word with the first
    # letter, and none can start a run in their last `size - 1` words.
    for start in range(len(tokens) - size + 1):
        token = tokens[start]
        if token.text[0] != first or not _counts(token, weights[start]):
            continue
        run = [start]
        position = start + 1
        while len(run) < size and position < len(tokens):
            here = tokens[position]
            if here.kind is Kind.STOP:
                position += 1
                continue
            if here.text[0] != initials[len(run)] or not _counts(here, weights[position]):
                break
            run.append(position)
            position += 1
        if len(run) == size:
            return tuple(run)
    return None


def runs_by_initials(
    tokens: Sequence[Token], weights: Sequence[float]
) -> dict[str, tuple[int, ...]]:
    """Initials of every run of two to `MAX_LETTERS` consecutive words that count
    (filler words between them left out), and the run's positions; the first run wins."""
    found: dict[str, tuple[int, ...]] = {}
    for start, token in enumerate(tokens):
        if not _counts(token, weights[start]) or not token.text[0].isalpha():
            continue
        run = [start]
        letters = token.text[0]
        for position in range(start + 1, len(tokens)):
            here = tokens[position]
            if here.kind is Kind.STOP:
                continue
            if not _counts(here, weights[position]) or not here.text[0].isalpha():
                break
            run.append(position)
            letters += here.text[0]
            found.setdefault(letters, tuple(run))
            if len(run) == MAX_LETTERS:
                break
    return found

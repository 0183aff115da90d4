"""Splitting press text into sentences without breaking at "U.S." or "Co., Ltd."."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"[.!?][\"”’)]*\s+")
# Words that end with a period without ending the sentence.
_ABBREVIATIONS = frozenset(
    {
        *("u.s.", "u.k.", "u.n.", "e.u.", "dept.", "co.", "ltd.", "inc.", "corp.", "no."),
        *("nos.", "st.", "mr.", "ms.", "mrs.", "dr.", "sec.", "gov.", "vs.", "e.g.", "i.e."),
        *("a.k.a.", "f.k.a.", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep."),
        *("sept.", "oct.", "nov.", "dec."),
        # Company forms end a name, not a sentence: "Velmont Optics Pte. Ltd. of Singapore".
        *("pte.", "pvt.", "pty.", "bhd.", "sdn.", "llc.", "plc.", "gmbh.", "jsc.", "ooo.", "cie."),
        *("mfg.", "intl.", "int'l.", "bros.", "assn.", "ind."),
    }
)
# "S.A.", "B.V.", "z o.o.", "L.L.C.": letters each followed by a period.
_INITIALISM = re.compile(r"(?:[a-z]\.){1,}")


def split_sentences(text: str) -> list[str]:
    """Sentences of a text; every line break also ends a sentence (headlines have no period)."""
    sentences: list[str] = []
    for line in text.splitlines():
        sentences.extend(_split_line(" ".join(line.split())))
    return [s for s in sentences if s]


def _split_line(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        last_word = line[start : match.start() + 1].rsplit(" ", 1)[-1].casefold()
        if last_word in _ABBREVIATIONS or _INITIALISM.fullmatch(last_word.lstrip("(")):
            continue  # "U.S. Commerce", "Co. Ltd", an initial "J. Smith", "S.A. of Spain"
        pieces.append(line[start : match.end()].strip())
        start = match.end()
    pieces.append(line[start:].strip())
    return pieces

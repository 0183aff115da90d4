"""The destinations an announcement names: "70 entities in Russia and one in Belarus".

Two readings, both pure:
- a location phrase ("based in", "located in", "entities in", "five in",
  "destinations of", "including") followed by a run of country names; the run
  stops at the first piece that is not a country, so "based in China, were
  supporting ... parties in Iran" gives only China;
- a count before a nationality ("58 Chinese and 45 Russian companies").
A location phrase that ends a line with a colon takes the countries listed on
the following lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from watchers.federal_register.countries import country_code
from watchers.press.number_words import NUMBER

_PLACE_NOUN = (
    r"(?:entit(?:y|ies)|entries|entry|compan(?:y|ies)|parties|party|persons|organi[sz]ations?|"
    r"firms?|individuals|addresses|one|each|others?|all|both)"
)
_CUE = re.compile(
    rf"\b(?:(?:based|located|situated|headquartered)\s+in|locations?\s+in|"
    rf"destinations?\s+of|(?<!sanctioned\s)(?<!listed\s)(?<!denied\s)"
    rf"(?:{_PLACE_NOUN}|{NUMBER})\s+(?:(?:based|located)\s+)?in|"
    rf"including|include|under|from)\b\s*:?\s*",
    re.I,
)
_COUNTED_NATIONALITY = re.compile(rf"\b{NUMBER}\s+([A-Z][\w’'-]+)")
_ALSO = r"(?:and|or|as\s+well\s+as|along\s+with|plus)"
_PIECE_SPLIT = re.compile(rf"\s*,\s*(?:{_ALSO}\s+)?|\s+{_ALSO}\s+")
# "Germany-based DMA Logistics GmbH": the country a party is based in.
_BASED = re.compile(r"\b(?P<place>[A-Z][\w’'.]*(?:\s+[A-Z][\w’'.]*){0,2})-based\b")
# "(87 FR 38920)": a Federal Register citation, not France.
_CITATION = re.compile(r"\b\d+\s+FR\s+\d+")
# The longest run of words a piece may start with that names a place ("Pakistan have also
# been added" -> "Pakistan").
_MAX_PLACE_WORDS = 5
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_CITY = re.compile(r"[A-Z][a-z]+(?:[\s-][A-Z][a-z]+)?")
_LEADING = re.compile(r"^(?:the|both|mainland|also|all|only)\s+", re.I)
_CLAUSE_END = re.compile(r"[.;:!?–—]|\s-\s|\s(?:that|which|who|were|was|are|is|for|to)\s")
# Extra spellings the press uses that the rule table does not need.
_PRESS_FORMS = {
    "cayman islands": "KY",
    "the cayman islands": "KY",
    "mainland china": "CN",
    "u.a.e": "AE",
    "the uae": "AE",
    "turkiye": "TR",
    "the united kingdom": "GB",
    "the netherlands": "NL",
    "the people's republic of china": "CN",
    "the republic of korea": "KR",
    "republic of korea": "KR",
}


def destinations_in(sentences: list[str]) -> tuple[str, ...]:
    """Countries named as where listed parties are, in order of first mention."""
    codes: list[str] = []
    for index, line in enumerate(sentences):
        sentence = without_citations(line)
        codes.extend(_after_cues(sentence))
        codes.extend(code for m in _BASED.finditer(sentence) if (code := place_code(m["place"])))
        codes.extend(_counted_nationalities(sentence))
        if sentence.rstrip().endswith(":") and _CUE.search(sentence):
            codes.extend(_listed_lines(sentences[index + 1 :]))
    return _unique(codes)


def without_citations(text: str) -> str:
    return _CITATION.sub(" ", text)


def place_code(text: str) -> str | None:
    plain = " ".join(text.replace("’", "'").split()).strip(" ,")
    folded = plain.strip(".").casefold()
    return _PRESS_FORMS.get(folded) or country_code(plain.rstrip("."))


def _after_cues(sentence: str) -> list[str]:
    codes: list[str] = []
    for cue in _CUE.finditer(sentence):
        rest = sentence[cue.end() :]
        end = _CLAUSE_END.search(rest)
        codes.extend(_country_run(rest[: end.start()] if end else rest))
    return codes


def _country_run(text: str) -> list[str]:
    codes: list[str] = []
    pieces = _PIECE_SPLIT.split(_PARENTHESES.sub("", text))
    first = pieces[0].strip()
    if (
        len(pieces) > 1
        and _CITY.fullmatch(first)
        and not place_code(first)
        and place_code(pieces[1])
    ):
        pieces = pieces[1:]  # "based in Yekaterinburg, Russia": a city, then its country
    for index, piece in enumerate(pieces):
        place = _LEADING.sub("", piece.strip())
        code = place_code(place)
        if code is None and _CITY.fullmatch(place) and index + 1 < len(pieces):
            continue  # "Shenzhen, China, and Moscow, Russia": a city before its country
        if code is None:
            codes.extend(_leading_place(place))
            break  # the run has turned into prose
        codes.append(code)
    return codes


def _leading_place(text: str) -> list[str]:
    """The place a piece starts with when prose follows it: "Pakistan have also been added"."""
    words = text.split()
    if not words or not words[0][:1].isupper():
        return []  # "by removing ...": prose, and "by" is no country code here
    for size in range(min(len(words) - 1, _MAX_PLACE_WORDS), 0, -1):
        code = place_code(" ".join(words[:size]))
        if code is not None:
            return [code]
    return []


def _counted_nationalities(sentence: str) -> list[str]:
    return [
        code for m in _COUNTED_NATIONALITY.finditer(sentence) if (code := place_code(m.group(1)))
    ]


def _listed_lines(following: list[str]) -> list[str]:
    codes: list[str] = []
    for line in following:
        code = place_code(line.strip(" •-*"))
        if code is None:
            break
        codes.append(code)
    return codes


def _unique(codes: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for code in codes:
        if code not in out and code != "US":
            out.append(code)
    return tuple(out)

"""Score one query against one indexed name: align tokens, then weigh what agreed.

The alignment pairs query tokens with name tokens greedily, best pair first;
a pair can also be two query words written as one list word ("Hik Vision"
and "Hikvision") or the other way round. Word order does not matter. The
score mixes how much of the query was found in the name and how much of the
name was found in the query, each weighted by token weights, so a dropped
legal form costs nothing, a dropped city prefix or generic word costs a
little, and an extra or missing distinctive word costs a lot.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Final, NamedTuple

from screening.acronyms import run_for
from screening.entries import INDIVIDUAL
from screening.near_words import near_similarity
from screening.normalize import Kind, Token, names_a_company, token_text
from screening.query import PreparedQuery

# Share of the score that comes from the query's side; the rest from the name's side.
QUERY_SHARE = 0.55
# A company's name (it has a legal form) against a person's, either way round: never
# more than a weak hint, below review (a company named like a listed person is not him).
COMPANY_VS_PERSON_FACTOR = 0.68


class IndexedName:
    """One name of one entry, tokenized and weighed at build time.

    A plain class for the reason `Token` is one; never changed once made.
    """

    __slots__ = ("entry", "is_alias", "text", "tokens", "total", "weights", "word_ids")

    def __init__(
        self,
        *,
        entry: int,
        text: str,
        is_alias: bool,
        tokens: tuple[Token, ...],
        word_ids: tuple[int, ...],
        weights: tuple[float, ...],
        total: float,
    ) -> None:
        self.entry: Final = entry
        self.text: Final = text
        self.is_alias: Final = is_alias
        self.tokens: Final = tokens
        self.word_ids: Final = word_ids
        self.weights: Final = weights
        self.total: Final = total

    def __repr__(self) -> str:
        return f"IndexedName({self.entry!r}, {self.text!r}, alias={self.is_alias!r})"


# TokenPair and Alignment are made for every name aligned with every query: named tuples,
# immutable too, made in 0.2 us where a frozen dataclass, which sets each field through
# object.__setattr__, takes 0.5 us (timeit, four fields).
class TokenPair(NamedTuple):
    query_positions: tuple[int, ...]
    name_positions: tuple[int, ...]
    similarity: float
    # Why the words agree only in part, for the answer's notes ("" when they agree as
    # words do): initials, words only alike, a sound, one letter off (see `NEAR_CAP`).
    partial: str = ""


class Alignment(NamedTuple):
    score: float
    pairs: tuple[TokenPair, ...]
    company_vs_person: bool = False
    # Words that agree only in part, or a sister's number: a review whatever the
    # thresholds an operator sets (the score is also capped at `NEAR_CAP`).
    at_most_review: bool = False


def align(query: PreparedQuery, name: IndexedName) -> Alignment:
    """The best token alignment of `query` with `name`, and its score 0..1."""
    options = _pair_options(query, name)
    if query.initials_at or query.runs_by_initials:
        options.extend(_initials_options(query, name))
    options.sort(key=_GAIN, reverse=True)
    used_query: set[int] = set()
    used_name: set[int] = set()
    pairs: list[TokenPair] = []
    any_partial = False
    for _, query_positions, name_positions, similarity, partial in options:
        if used_query.isdisjoint(query_positions) and used_name.isdisjoint(name_positions):
            used_query.update(query_positions)
            used_name.update(name_positions)
            if similarity < 1.0 and not partial:
                partial = _short_word_slip(query, query_positions)
            any_partial = any_partial or bool(partial)
            pairs.append(TokenPair(query_positions, name_positions, similarity, partial))
    score = _score(query, name, pairs)
    if _one_short_word_with_a_typo(query, pairs):
        score *= SHORT_TYPO_FACTOR
    if any_partial:
        return Alignment(min(score, NEAR_CAP), tuple(pairs), at_most_review=True)
    return Alignment(score, tuple(pairs))


# Both sides hold numbers and none agree. A number that counts units of one family
# ("Plant No. 7", "Fund III", "Fifth Engineering Bureau") names a sister of the listed
# party: a review at most (`NEAR_CAP`), as one owned by the same parent may be covered
# too. A number that begins a brand ("3 Stars Trading", "Two Rivers Petrochem") names
# another company: below review.
OTHER_NUMBER_CAP = 0.6


def numbered_otherwise(alignment: Alignment, query: PreparedQuery, name: IndexedName) -> Alignment:
    """`alignment` capped when both sides hold numbers and none agree (see above)."""
    numbers = query.numbers_at
    if not numbers or alignment.score <= OTHER_NUMBER_CAP:
        return alignment
    if not any(token.text[0].isdigit() for token in name.tokens):
        return alignment
    paired = {p for pair in alignment.pairs for p in pair.query_positions}
    if paired.intersection(numbers):
        return alignment
    cap = OTHER_NUMBER_CAP if _begins_a_brand(query.tokens) else NEAR_CAP
    if alignment.score <= cap:
        return alignment
    return Alignment(cap, alignment.pairs, alignment.company_vs_person, at_most_review=True)


def _begins_a_brand(tokens: tuple[Token, ...]) -> bool:
    # A leading number before a word that names the party; before generic words only
    # ("Fifth Engineering Bureau") it numbers a unit.
    return (
        len(tokens) > 1
        and tokens[0].text[0].isdigit()
        and any(token.kind is Kind.CONTENT for token in tokens[1:])
    )


# Initials against the words they stand for ("PLA" and "People's Liberation Army"):
# the same party as often as not, so a review at most (`NEAR_CAP`).
INITIALS_SIMILARITY = 0.9
# Why a pair agrees only in part; each makes a review at most, and the answer says so.
INITIALS = "initials for words"
NEAR_WORDS = "words only alike (another spelling, a familiar or shortened given name)"
SHORT_SLIP = "one letter off in a short word"
SOUNDS_ALIKE = "the names sound alike, no word agrees (another romanisation)"


def _initials_options(query: PreparedQuery, name: IndexedName) -> list[_Option]:
    options: list[_Option] = []
    for position in query.initials_at:
        text = query.tokens[position].text
        run = run_for(text, name.tokens, name.weights)
        if run is not None and all(token.text != text for token in name.tokens):
            gain = query.weights[position] + sum(name.weights[p] for p in run)
            options.append(
                (INITIALS_SIMILARITY * gain, (position,), run, INITIALS_SIMILARITY, INITIALS)
            )
    runs = query.runs_by_initials
    # Most names hold no word that is initials of the query's words: one look in C.
    if runs and not runs.keys().isdisjoint(map(token_text, name.tokens)):
        for position, token in enumerate(name.tokens):
            run = runs.get(token.text)
            if run is None or not name.weights[position]:
                continue
            if any(other.text == token.text for other in query.tokens):
                continue
            if run_for(token.text, name.tokens, name.weights) is not None:
                continue  # the name spells its initials out itself: they stand for those
            gain = name.weights[position] + sum(query.weights[p] for p in run)
            options.append(
                (INITIALS_SIMILARITY * gain, run, (position,), INITIALS_SIMILARITY, INITIALS)
            )
    return options


# A name that agrees on one short word, and that word only with a typo ("Fedex" and
# "Pedex", "Tesla" and "Tesa"), is another word more often than a slip: the score is
# lowered below review unless more of the name agrees.
SHORT_TYPO_FACTOR = 0.85
SHORT_TYPO_LETTERS = 6


def _one_short_word_with_a_typo(query: PreparedQuery, pairs: list[TokenPair]) -> bool:
    # On the hot path: most alignments have only exact pairs, and a plain loop says so.
    for pair in pairs:
        if pair.similarity < 1.0:
            break
    else:
        return False
    naming = query.naming_weights
    found = [pair for pair in pairs if any(naming[p] for p in pair.query_positions)]
    if len(found) != 1 or found[0].similarity >= 1.0 or len(found[0].query_positions) != 1:
        return False
    if len(found[0].name_positions) != 1:
        # Initials for words are no slip; `NEAR_CAP` keeps them a review.
        return False
    return len(query.tokens[found[0].query_positions[0]].text) <= SHORT_TYPO_LETTERS


def _short_word_slip(query: PreparedQuery, positions: tuple[int, ...]) -> str:
    # One letter off in a short word that names the party ("Linen" and "Lines", "Jamal"
    # and "Kamal") is as often another word as a slip: a review, not a match.
    if len(positions) != 1 or not query.naming_weights[positions[0]]:
        return ""
    return SHORT_SLIP if len(query.tokens[positions[0]].text) <= SHORT_TYPO_LETTERS else ""


# (gain, query positions, name positions, similarity, why partial or "")
_Option = tuple[float, tuple[int, ...], tuple[int, ...], float, str]
_GAIN = itemgetter(0)


def _pair_options(query: PreparedQuery, name: IndexedName) -> list[_Option]:
    options: list[_Option] = []
    by_word = query.by_word
    name_weights = name.weights
    for position, word_id in enumerate(name.word_ids):
        found = by_word.get(word_id)
        if found is None:
            continue
        weight = name_weights[position]
        for query_positions, query_weight, similarity in found:
            gain = similarity * (query_weight + weight)
            options.append((gain, query_positions, (position,), similarity, ""))
    if query.splits:
        options.extend(_split_options(query, name))
    return options


def _split_options(query: PreparedQuery, name: IndexedName) -> list[_Option]:
    options: list[_Option] = []
    word_ids = name.word_ids
    for query_position, parts in query.splits:
        if parts[0] not in word_ids:
            continue  # most names: one look in C instead of a slice per word
        size = len(parts)
        for position in range(len(word_ids) - size + 1):
            if word_ids[position : position + size] == parts:
                run = tuple(range(position, position + size))
                gain = query.weights[query_position] + sum(name.weights[p] for p in run)
                options.append((gain, (query_position,), run, 1.0, ""))
    return options


def _score(
    query: PreparedQuery, name: IndexedName, pairs: Sequence[TokenPair], *, capped: bool = True
) -> float:
    query_found = 0.0
    name_found = 0.0
    naming_found = 0.0
    query_weights = query.weights
    naming = query.naming_weights
    name_weights = name.weights
    for pair in pairs:
        similarity = pair.similarity
        for p in pair.query_positions:
            query_found += similarity * query_weights[p]
            naming_found += similarity * naming[p]
        for p in pair.name_positions:
            name_found += similarity * name_weights[p]
    query_part = query_found / query.total
    name_part = name_found / name.total if name.total else 0.0
    score = QUERY_SHARE * query_part + (1.0 - QUERY_SHARE) * name_part
    # Words of the query that name the party and that the name lacks say it is another
    # party, however fully a short name ("Martin", an acronym) is covered.
    if capped and query.naming_total:
        score = min(score, naming_found / query.naming_total)
    return min(1.0, score)


# Two words of a person's name that agree (given name and surname) say more than a few
# words the list leaves out (a middle name, a patronymic); more than this many is another
# name that happens to hold the listed one.
MIN_AGREED_PERSON_WORDS = 2
MAX_EXTRA_PERSON_WORDS = 2
# An initial agrees with the name it stands for, in part: "F. M. Quillby" against
# "QUILLBY, Francesca Maria" is a review, not a match.
INITIAL_SIMILARITY = 0.6


def rescore_for_entity_type(
    alignment: Alignment,
    *,
    query: PreparedQuery,
    name: IndexedName,
    entity_type: str | None,
    query_is_person: bool = False,
) -> Alignment:
    """Score a name as a person's when one side is a listed individual.

    Monitoring asks the other way round (`query_is_person`: the query is a listed
    individual, the name a counterparty's). A company's name against a person's
    scores lower, either way round. A person's query often holds more of the name
    than the list (a middle name or patronymic, "Ivan Petrovich ..."): once two of
    its words agree, up to `MAX_EXTRA_PERSON_WORDS` words the other side lacks lower
    the score but no longer cap it. An initial agrees, in part, with a name that
    begins with it ("F. Quillby" and "Francesca Quillby").
    """
    is_person = entity_type == INDIVIDUAL
    if not (is_person or query_is_person):
        return alignment
    if is_person:
        company = query.names_a_company and _legal_words(query.tokens) - _words(name.tokens)
    else:
        company = names_a_company(name.tokens) and _legal_words(name.tokens) - _words(query.tokens)
    if company:
        return Alignment(
            alignment.score * COMPANY_VS_PERSON_FACTOR,
            alignment.pairs,
            company_vs_person=True,
            at_most_review=alignment.at_most_review,
        )
    pairs = [*alignment.pairs, *_initial_pairs(query, name, alignment.pairs)]
    near: list[TokenPair] = []
    if alignment.score < NEAR_CAP and any(p.similarity >= MIN_AGREEING for p in alignment.pairs):
        near = _near_pairs(query, name, pairs)
    matched = {p for pair in (*pairs, *near) for p in pair.query_positions}
    naming = [p for p, weight in enumerate(query.naming_weights) if weight]
    agreed = sum(1 for p in naming if p in matched)
    if agreed < MIN_AGREED_PERSON_WORDS or len(naming) - agreed > MAX_EXTRA_PERSON_WORDS:
        return alignment
    every = (*pairs, *near)
    partial = any(pair.partial for pair in every)
    score = _score(query, name, every, capped=False)
    if partial:
        score = min(score, NEAR_CAP)
    if score <= alignment.score:
        return alignment
    return Alignment(score, every, at_most_review=partial or alignment.at_most_review)


# Words of a person's name that are only alike (`screening.near_words`) count in part,
# beside a word that agrees outright or with a slip, and make at most a review: two
# names a letter or a romanisation apart are as often two people as one.
NEAR_MIN_SIMILARITY = 0.65
NEAR_CAP = 0.85
MIN_AGREEING = 0.8


def _near_pairs(query: PreparedQuery, name: IndexedName, pairs: list[TokenPair]) -> list[TokenPair]:
    used_query = {p for pair in pairs for p in pair.query_positions}
    used_name = {p for pair in pairs for p in pair.name_positions}
    free_query = [q for q, w in enumerate(query.naming_weights) if w and q not in used_query]
    free_name = [n for n, w in enumerate(name.weights) if w and n not in used_name]
    if not free_query or not free_name:
        return []
    options = [
        (near_similarity(query.tokens[q].text, name.tokens[n].text), q, n)
        for q in free_query
        for n in free_name
    ]
    options.sort(reverse=True)
    found: list[TokenPair] = []
    for similarity, q, n in options:
        if similarity < NEAR_MIN_SIMILARITY:
            break
        if q in used_query or n in used_name:
            continue
        used_query.add(q)
        used_name.add(n)
        found.append(TokenPair((q,), (n,), similarity, partial=NEAR_WORDS))
    return found


def _legal_words(tokens: tuple[Token, ...]) -> set[str]:
    return {token.text for token in tokens if token.kind is Kind.LEGAL}


def _words(tokens: tuple[Token, ...]) -> set[str]:
    # A word that reads as a legal form but stands in the other side's name too is a
    # word of a person's name: "AG" in "AG ALBACHAR, Ahmed", "PAO" in "PAO, Yu Liang".
    return {token.text for token in tokens}


def _initial_pairs(
    query: PreparedQuery, name: IndexedName, pairs: tuple[TokenPair, ...]
) -> list[TokenPair]:
    used_query = {p for pair in pairs for p in pair.query_positions}
    used_name = {p for pair in pairs for p in pair.name_positions}
    found: list[TokenPair] = []
    for q, query_token in enumerate(query.tokens):
        if q in used_query or not query.weights[q]:
            continue
        for n, name_token in enumerate(name.tokens):
            if n in used_name or not name.weights[n]:
                continue
            if _initial_of(query_token.text, name_token.text) or _initial_of(
                name_token.text, query_token.text
            ):
                used_name.add(n)
                found.append(TokenPair((q,), (n,), INITIAL_SIMILARITY))
                break
    return found


def _initial_of(initial: str, word: str) -> bool:
    return len(initial) == 1 and initial.isalpha() and len(word) > 1 and word[0] == initial

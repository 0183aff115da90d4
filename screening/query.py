"""Validate a query and look its words up in the vocabulary, once per search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from screening.acronyms import could_be_initials, runs_by_initials
from screening.errors import (
    EmptyQueryError,
    InvalidQueryError,
    QueryTooLongError,
    QueryTooVagueError,
)
from screening.memory import remembered
from screening.normalize import Kind, Token, names_a_company, spelled, tokenize
from screening.typo_lookup import MAX_REMEMBERED_ANSWERS, Vocabulary
from screening.weights import TokenWeights

# Longer than any listed name as the list prints it (the longest, a ministry "including
# the Armed Forces ... and all operating units", is 383 characters and 56 words in the
# 2022 snapshot), so that every listed name can be pasted; a pasted document is not a name.
MAX_QUERY_CHARS = 500
MAX_QUERY_TOKENS = 72
_MIN_SPLIT = 3
# The short words before a name's last part when it is written as one word.
_MIN_PARTICLE = 2
_MAX_PARTICLE = 4
_MIN_THREE_PARTS = 7
# Words typed apart that the list joins are short pieces, one very short ("Neft Gaz
# Stroy", "Abd al Karim", "Energo Mash Export").
_MAX_JOINED_PIECE = 7
_MAX_SHORT_PIECE = 4
_MIN_SPELLED_HALF = 6
_NAMING = (Kind.CONTENT, Kind.GENERIC)


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """Query tokens at `positions` (one, or two written together) and the words they match."""

    positions: tuple[int, ...]
    matches: dict[int, float]
    drives: bool


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    text: str
    tokens: tuple[Token, ...]
    weights: tuple[float, ...]
    total: float
    terms: tuple[QueryTerm, ...]
    # (position, word ids): one query word written as two or three list words.
    splits: tuple[tuple[int, tuple[int, ...]], ...]
    names_a_company: bool
    # Weights of the words that name the party (content and generic words), else 0.
    naming_weights: tuple[float, ...]
    naming_total: float
    # word id -> (query positions, their total weight, similarity) for every term that matches it.
    by_word: dict[int, list[tuple[tuple[int, ...], float, float]]]
    # Positions of words that may be initials ("PLA"), and the initials of the query's
    # runs of words ("united states" -> "us"), for `screening.scoring`.
    initials_at: tuple[int, ...] = ()
    runs_by_initials: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # Positions of numbers ("7", "14th").
    numbers_at: tuple[int, ...] = ()


Tokenizer = Callable[[str], list[Token]]


def query_text(query: object) -> str:
    """`query` if it is text, else an `InvalidQueryError` (JSON, a CSV cell, a caller
    without types can hand over anything; compiled code would raise TypeError)."""
    if not isinstance(query, str):
        raise InvalidQueryError(f"a query must be text, not {type(query).__name__}")
    return query


def validate_query(query: object, *, tokenizer: Tokenizer = tokenize) -> list[Token]:
    """Classified tokens of a usable query, or an `InvalidQueryError` that says why not."""
    query = query_text(query)
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLongError(f"query is {len(query)} characters; at most {MAX_QUERY_CHARS}")
    tokens = tokenizer(query)
    if not tokens:
        raise EmptyQueryError("query has no letters or digits to screen")
    if len(tokens) > MAX_QUERY_TOKENS:
        raise QueryTooLongError(f"query has {len(tokens)} words; at most {MAX_QUERY_TOKENS}")
    if all(token.kind in (Kind.LEGAL, Kind.STOP) for token in tokens):
        raise QueryTooVagueError(
            "query holds only legal forms or filler words; add the party's name"
        )
    return tokens


def prepare_query(
    query: object,
    *,
    vocabulary: Vocabulary,
    weights: TokenWeights,
    tokenizer: Tokenizer = tokenize,
    initials: bool = True,
) -> PreparedQuery:
    """The query looked up; without `initials`, no word of it is read as initials (a
    part cut from a pasted list name: its "(GEC)" stands for the name beside it)."""
    tokens = validate_query(query, tokenizer=tokenizer)
    word_ids = [vocabulary.id_of(token.text) for token in tokens]
    token_weights = weights.weigh(tokens, word_ids)
    driving = [
        weight > 0 and _drives(token, tokens)
        for token, weight in zip(tokens, token_weights, strict=True)
    ]
    terms: list[QueryTerm] = []
    exact: list[set[int]] = [set() for _ in tokens]
    for position, token in enumerate(tokens):
        if token_weights[position] > 0:
            matches = vocabulary.similar(token.text)
            terms.append(QueryTerm((position,), matches, driving[position]))
            exact[position] = {word for word, s in matches.items() if s == 1.0}
    for position in range(len(tokens) - 1):
        pair = (position, position + 1)
        if any(token_weights[p] > 0 for p in pair):
            first, second = tokens[position].as_written, tokens[position + 1].as_written
            # Two words typed as one list word, not two typos across a word boundary.
            matches = vocabulary.similar(spelled(first + second), two_edits=False)
            if min(len(first), len(second)) == 1:
                # An initial before a name ("F. Schiavone") is one edit from the name itself.
                matches = {word: s for word, s in matches.items() if s == 1.0}
            # When both are list words on their own, a word that one of them already is
            # ("Obshchestvo S" read as the plural of "obshchestvo") would swallow the
            # other, which the name holds too; "Elec tronic" is still "electronic".
            if exact[position] and exact[position + 1]:
                own = exact[position] | exact[position + 1]
                matches = {word: s for word, s in matches.items() if word not in own}
            terms.append(QueryTerm(pair, matches, driving[position] or driving[position + 1]))
    if len(tokens) <= MAX_WORDS_WITH_INITIALS:
        terms.extend(_three_joined(tokens, token_weights, driving, vocabulary))
    kept = tuple(term for term in terms if term.matches)
    naming_weights = naming_weights_of(tokens, token_weights)
    # Initials and the words they stand for are short names ("PLA China", "JC Juncker",
    # "United States Department of State"); an address or a pasted paragraph is not.
    short = initials and sum(1 for weight in naming_weights if weight) <= MAX_WORDS_WITH_INITIALS
    # Initials the query spells out itself ("Gulf Eagle Contracting (GEC)") stand for
    # those words, not for another party's that begin with the same letters.
    # Only a short query reads initials, so only a short one needs its own runs.
    own_runs = runs_by_initials(tokens, token_weights) if short else {}
    by_word: dict[int, list[tuple[tuple[int, ...], float, float]]] = {}
    for term in kept:
        weight = sum(token_weights[p] for p in term.positions)
        for word_id, similarity in term.matches.items():
            by_word.setdefault(word_id, []).append((term.positions, weight, similarity))
    return PreparedQuery(
        text=str(query),
        tokens=tuple(tokens),
        weights=token_weights,
        total=sum(token_weights) or 1.0,
        terms=kept,
        splits=tuple(_splits(tokens, vocabulary)),
        names_a_company=names_a_company(tokens),
        naming_weights=naming_weights,
        naming_total=sum(naming_weights),
        by_word=by_word,
        initials_at=tuple(
            p
            for p, token in enumerate(tokens)
            if token_weights[p]
            and _may_be_initials(token.text, word_ids[p])
            and token.text not in own_runs
        )
        if short
        else (),
        runs_by_initials=own_runs,
        numbers_at=tuple(p for p, token in enumerate(tokens) if token.text[0].isdigit()),
    )


def naming_weights_of(tokens: list[Token], weights: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(
        weight if token.kind in _NAMING else 0.0
        for token, weight in zip(tokens, weights, strict=True)
    )


def _may_be_initials(text: str, word_id: int | None) -> bool:
    # Three letters or fewer often are initials; a longer word the lists hold as a word
    # ("Ivan", "China") is that word.
    return could_be_initials(text) and (len(text) <= _SHORT_INITIALS or word_id is None)


_SHORT_INITIALS = 3
MAX_WORDS_WITH_INITIALS = 6


def _drives(token: Token, tokens: list[Token]) -> bool:
    # Candidates come from content words; a query without any uses what it has.
    if any(t.kind is Kind.CONTENT for t in tokens):
        return token.kind is Kind.CONTENT
    return token.kind is not Kind.LEGAL


def _three_joined(
    tokens: list[Token], weights: tuple[float, ...], driving: list[bool], vocabulary: Vocabulary
) -> list[QueryTerm]:
    # Three words typed apart that the list writes as one ("Neft Gaz Stroy", "van der
    # Berg"): exactly, or with one slip.
    terms: list[QueryTerm] = []
    for position in range(len(tokens) - 2):
        three = (position, position + 1, position + 2)
        if not any(weights[p] > 0 for p in three):
            continue
        pieces = [len(tokens[p].as_written) for p in three]
        if max(pieces) > _MAX_JOINED_PIECE or min(pieces) > _MAX_SHORT_PIECE:
            continue
        joined = spelled("".join(tokens[p].as_written for p in three))
        matches = vocabulary.similar(joined, two_edits=False)
        if matches:
            terms.append(QueryTerm(three, matches, any(driving[p] for p in three)))
    return terms


# Queries repeat their words, and cutting a word at every letter was a quarter of
# preparing a query (line_profiler): each word's splits are remembered by the vocabulary
# they were looked up in, which never changes once built.
def _splits(tokens: list[Token], vocabulary: Vocabulary) -> list[tuple[int, tuple[int, ...]]]:
    splits = vocabulary.splits
    found: list[tuple[int, tuple[int, ...]]] = []
    for position, token in enumerate(tokens):
        key = (token.as_written, token.text)
        parts = splits.get(key)
        if parts is None:
            parts = remembered(
                splits, key, _word_splits(token, vocabulary), limit=MAX_REMEMBERED_ANSWERS
            )
        found.extend((position, ids) for ids in parts)
    return found


def _word_splits(token: Token, vocabulary: Vocabulary) -> list[tuple[int, ...]]:
    found: list[tuple[int, ...]] = []
    word = token.as_written
    for cut in range(_MIN_SPLIT, len(word) - 1):
        first = vocabulary.id_of(_half(word[:cut]))
        second = vocabulary.id_of(_half(word[cut:]))
        if first is not None and second is not None:
            found.append((first, second))
    if len(word) >= _MIN_THREE_PARTS and vocabulary.id_of(token.text) is None:
        found.extend(_three_parts(word, vocabulary))
    return found


def _three_parts(word: str, vocabulary: Vocabulary) -> list[tuple[int, ...]]:
    # "Vandermeulen" for "van der Meulen", "Delacruz" for "De La Cruz": two short words
    # the list holds (a particle, a preposition) before a longer one.
    found: list[tuple[int, ...]] = []
    for first_cut in range(_MIN_PARTICLE, min(_MAX_PARTICLE, len(word) - _MIN_SPLIT) + 1):
        first = vocabulary.id_of(word[:first_cut])
        if first is None:
            continue
        for second_cut in range(first_cut + _MIN_PARTICLE, len(word) - _MIN_SPLIT + 1):
            if second_cut - first_cut > _MAX_PARTICLE:
                break
            second = vocabulary.id_of(word[first_cut:second_cut])
            third = vocabulary.id_of(_half(word[second_cut:]))
            if second is not None and third is not None:
                found.append((first, second, third))
    return found


def _half(part: str) -> str:
    # A half in the spelling the list's words were indexed in ("technologies" ->
    # "technology"), but a short half is not read as an abbreviation: "Infosys" is
    # not "information systems".
    return spelled(part) if len(part) >= _MIN_SPELLED_HALF else part

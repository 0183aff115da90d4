"""Quality on the development set and on a held-out benchmark; these can fail.

Figures are printed with `pytest -s`; `bench/bench_screening.py` prints them
next to a naive baseline.
"""

from __future__ import annotations

import pytest

from screening import INDIVIDUAL, MATCH, REVIEW, ScreeningEntry, ScreeningIndex, Thresholds
from tests.screening.quality import (
    DEV_PAIRS_COMPANIES,
    DEV_PAIRS_PERSONS,
    HELD_OUT_PERSONS,
    engine_searcher,
    false_match_rate,
    held_out_measures,
    listed_person_recall,
    load_address_queries,
    load_dev_pairs,
    load_dev_queries,
    load_held_out_pairs,
    load_ordinary_companies,
    load_ordinary_people,
    load_un_person_queries,
    recall,
)

MIN_RECALL = 0.97
MAX_FALSE_MATCH_RATE = 0.01
MAX_FALSE_FLAG_RATE = 0.08
MIN_ORDINARY_NAMES = 400
FAMILIES = (
    "common word abbreviated",
    "abbreviation expanded",
    "two typos",
    "place word inside the name",
    "country subsidiary",
    "words joined",
    "word split",
    "ks or x",
    "legal form written out, with a typo",
    "two names in the query",
    "city appended",
    "subsidiary named in its country's language",
    "vowel spelled otherwise",
    "middle name added",
    "given name as an initial",
)
# Held-out floors sit a few points under the figures last measured (issue 21's second
# round: companies recall 0.946, false matches 0.080), so that a regression fails.
MIN_HELD_OUT_RECALL = 0.91
MAX_HELD_OUT_FALSE_MATCHES = 0.10
# The persons' held-out sets (nomenklatura persons: recall 0.919, false matches 0.030;
# yente UN persons: 0.997), with the same margin.
MIN_HELD_OUT_PERSON_RECALL = 0.88
MAX_HELD_OUT_PERSON_FALSE_MATCHES = 0.06
MIN_UN_PERSON_RECALL = 0.97


def test_development_set_is_big_enough() -> None:
    queries = load_dev_queries()
    assert len(queries) >= 500
    assert {q.variant for q in queries} >= {
        "legal form dropped",
        "place prefix and legal form dropped",
        "one typo",
        "abbreviations",
        "lower case, no punctuation",
        "brand",
        "Chinese characters",
    }


def test_recall_on_development_set(csl_index: ScreeningIndex) -> None:
    measure = recall(engine_searcher(csl_index), load_dev_queries())
    print(f"dev recall {measure.rate:.4f} over {measure.total} queries")
    assert measure.rate >= MIN_RECALL, measure.failures[:20]


def test_false_matches_on_ordinary_companies(csl_index: ScreeningIndex) -> None:
    names = load_ordinary_companies()
    assert len(names) >= MIN_ORDINARY_NAMES
    measure = false_match_rate(engine_searcher(csl_index), names)
    print(f"false-match rate {measure.rate:.4f} over {measure.total} names")
    assert measure.rate <= MAX_FALSE_MATCH_RATE, measure.failures


MIN_ADDRESS_RECALL = 0.90


def test_recall_on_address_queries(
    csl_entries: list[ScreeningEntry], csl_index: ScreeningIndex
) -> None:
    queries = load_address_queries(csl_entries)
    assert len(queries) >= 80
    measure = recall(engine_searcher(csl_index), queries)
    print(f"address recall {measure.rate:.4f} over {measure.total} queries")
    assert measure.rate >= MIN_ADDRESS_RECALL, measure.failures


def test_ordinary_people_are_not_matches_and_rarely_need_review(
    csl_index: ScreeningIndex,
) -> None:
    """The persons' rules (an initial for a given name, a middle name the list lacks)
    must not turn common names into hits: tried on 600 people on no list."""
    people = load_ordinary_people()
    search = engine_searcher(csl_index)
    matched = false_match_rate(search, people)
    flagged = false_match_rate(search, people, bands=(MATCH, REVIEW))
    print(
        f"ordinary people: false 'match' {matched.rate:.4f}, 'match or review' {flagged.rate:.4f}"
    )
    assert matched.rate <= MAX_FALSE_MATCH_RATE, matched.failures
    assert flagged.rate <= MAX_FALSE_FLAG_RATE, flagged.failures


def test_ordinary_companies_rarely_need_review(csl_index: ScreeningIndex) -> None:
    measure = false_match_rate(
        engine_searcher(csl_index), load_ordinary_companies(), bands=(MATCH, REVIEW)
    )
    print(f"false 'match or review' rate {measure.rate:.4f} over {measure.total} names")
    assert measure.rate <= MAX_FALSE_FLAG_RATE, measure.failures


def test_native_script_names_with_their_generic_words(csl_index: ScreeningIndex) -> None:
    """Listed Russian and Chinese names typed in their own script with the generic word
    ("Концерн ...", "... 集团", "...研究所") are found as a match or a review."""
    family = "native script with its generic word"
    queries = [q for q in load_dev_queries() if q.variant == family]
    assert len(queries) >= 15
    measure = recall(engine_searcher(csl_index), queries)
    assert measure.rate == 1.0, measure.failures


@pytest.mark.parametrize("family", FAMILIES)
def test_recall_per_failure_family(csl_index: ScreeningIndex, family: str) -> None:
    queries = [q for q in load_dev_queries() if q.variant == family]
    assert len(queries) >= 30
    measure = recall(engine_searcher(csl_index), queries)
    assert measure.rate >= MIN_RECALL - 0.03, measure.failures


@pytest.mark.parametrize(
    ("thresholds", "fails"),
    [(Thresholds(match=1.0, review=1.0), "recall"), (Thresholds(match=0.6, review=0.5), "fp")],
)
def test_quality_checks_can_fail(
    csl_index: ScreeningIndex, thresholds: Thresholds, fails: str
) -> None:
    search = engine_searcher(csl_index, thresholds)
    if fails == "recall":
        assert recall(search, load_dev_queries()).rate < MIN_RECALL
    else:
        assert false_match_rate(search, load_ordinary_companies()).rate > MAX_FALSE_MATCH_RATE


def test_held_out_benchmark() -> None:
    measures = held_out_measures(load_held_out_pairs())
    true_pairs, false_pairs = measures.recall, measures.false_match
    print(
        f"held-out recall {true_pairs.rate:.4f} ({true_pairs.total} pairs), "
        f"false matches {false_pairs.rate:.4f} ({false_pairs.total} pairs)"
    )
    assert true_pairs.rate >= MIN_HELD_OUT_RECALL, true_pairs.failures
    assert false_pairs.rate <= MAX_HELD_OUT_FALSE_MATCHES, false_pairs.failures


def test_held_out_person_benchmarks() -> None:
    pairs = held_out_measures(load_held_out_pairs(HELD_OUT_PERSONS), entity_type="Individual")
    un_persons = listed_person_recall(load_un_person_queries())
    print(
        f"held-out person recall {pairs.recall.rate:.4f} ({pairs.recall.total} pairs), "
        f"false matches {pairs.false_match.rate:.4f} ({pairs.false_match.total} pairs); "
        f"UN persons recall {un_persons.rate:.4f} ({un_persons.total} queries)"
    )
    assert pairs.recall.total >= 200 and un_persons.total >= 600
    assert pairs.recall.rate >= MIN_HELD_OUT_PERSON_RECALL, pairs.recall.failures
    assert pairs.false_match.rate <= MAX_HELD_OUT_PERSON_FALSE_MATCHES, pairs.false_match.failures
    assert un_persons.rate >= MIN_UN_PERSON_RECALL, un_persons.failures


# Our own pairs in the pair benchmark's failure families (tests/fixtures/screening/README.md),
# one listed name per index; measured when calibrated (companies: recall 0.961, false match
# 0.000, false match or review 0.179; persons: 0.982, 0.006, 0.182), floors a few points under.
DEV_PAIR_FLOORS = {
    "companies": (DEV_PAIRS_COMPANIES, None, 0.93, 0.01, 0.22),
    "persons": (DEV_PAIRS_PERSONS, INDIVIDUAL, 0.95, 0.02, 0.22),
}


@pytest.mark.parametrize("kind", sorted(DEV_PAIR_FLOORS))
def test_development_pairs(kind: str) -> None:
    path, entity_type, min_recall, max_match, max_flag = DEV_PAIR_FLOORS[kind]
    pairs = load_dev_pairs(path)
    assert len({pair.family for pair in pairs}) >= 15
    measures = held_out_measures([pair.case for pair in pairs], entity_type=entity_type)
    print(
        f"dev pairs {kind}: recall {measures.recall.rate:.4f}, false match "
        f"{measures.false_match.rate:.4f}, false match or review {measures.false_flag.rate:.4f}"
    )
    assert measures.recall.rate >= min_recall, measures.recall.failures
    assert measures.false_match.rate <= max_match, measures.false_match.failures
    assert measures.false_flag.rate <= max_flag, measures.false_flag.failures

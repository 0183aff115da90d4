"""Bad input gets a clear `InvalidQueryError` or an empty result, never another exception."""

from __future__ import annotations

import pytest

from screening import (
    MAX_QUERY_CHARS,
    EmptyQueryError,
    InvalidQueryError,
    InvalidThresholdsError,
    QueryTooLongError,
    QueryTooVagueError,
    ScreeningIndex,
    Thresholds,
)

CASES: list[tuple[str, object, type[Exception] | None]] = [
    ("empty", "", EmptyQueryError),
    ("whitespace", " \t\n ", EmptyQueryError),
    ("punctuation only", "?!.,;:-()[]", EmptyQueryError),
    ("emoji only", "😀🚀🔥", EmptyQueryError),
    ("zero-width and control characters", "\u200b\u200d\x00\x07", EmptyQueryError),
    ("10 KB of text", "Hikvision " * 1024, QueryTooLongError),
    ("just over the limit", "x" * (MAX_QUERY_CHARS + 1), QueryTooLongError),
    ("legal form only", "CORP", QueryTooVagueError),
    ("legal forms only", "Co., Ltd.", QueryTooVagueError),
    ("filler words only", "The of and", QueryTooVagueError),
    ("not text", None, InvalidQueryError),
    ("bytes", b"Hikvision", InvalidQueryError),
    ("SQL-looking text", "'; DROP TABLE entries; --", None),
    ("SQL injection classic", "x' OR '1'='1", None),
    ("Arabic", "شركة هواوي", None),
    ("Hebrew", "חברת הייקוויז'ן בע\"מ", None),
    ("mixed right-to-left and Latin", "\u202eHikvision\u202c", None),
    ("one letter", "x", None),
    ("digits", "12345", None),
    ("lone surrogate", "\ud800abc", None),
]


@pytest.mark.parametrize(("label", "query", "error"), CASES, ids=[c[0] for c in CASES])
def test_bad_input(
    csl_index: ScreeningIndex, label: str, query: object, error: type[Exception] | None
) -> None:
    if error is None:
        results = csl_index.search(query, limit=5)  # type: ignore[arg-type]
        assert isinstance(results, list)
        assert all(0.0 <= r.score <= 1.0 for r in results)
        return
    with pytest.raises(error) as raised:
        csl_index.search(query, limit=5)  # type: ignore[arg-type]
    assert isinstance(raised.value, ValueError)
    assert str(raised.value)


@pytest.mark.parametrize(
    ("match", "review"), [(0.5, 0.6), (1.2, 0.5), (0.9, -0.1), (float("nan"), 0.5)]
)
def test_invalid_thresholds(match: float, review: float) -> None:
    with pytest.raises(InvalidThresholdsError):
        Thresholds(match=match, review=review)


def test_zero_limit_gives_empty_result(csl_index: ScreeningIndex) -> None:
    assert csl_index.search("Hikvision", limit=0) == []


def test_empty_index_gives_empty_result() -> None:
    assert ScreeningIndex.build([]).search("Hikvision") == []

"""The CSV rows `entitywatch screen-file` writes: the input's other cells, then the answer.

Every cell is safe to open in a spreadsheet: one that would run as a formula gets
a leading quote (the OWASP advice for CSV injection).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bot.services.answer_sources import source_note
from bot.services.screening import ScreeningOutcome
from screening import NO_MATCH

RESULT_COLUMNS = (
    "query",
    "rank",
    "name",
    "entry_name",
    "list",
    "score",
    "band",
    "country",
    "fr_citation",
    "why",
    # Added after the first release; kept at the end so that old readers keep their columns.
    "address",
    "verdict",
    "lists_state",
    "lists_as_of",
    "fr_newest",
    # Where the entry comes from when the CSL does not hold it ("from FR Doc ..., not yet on
    # the CSL"); empty for a CSL entry.
    "source_note",
)
# A spreadsheet runs a cell that starts with one of these as a formula: a name typed
# into a customer file must not become one on the compliance lead's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """`text` with a leading quote when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def output_header(kept: Sequence[str]) -> list[str]:
    """The input's other columns, then the result columns; a clash is renamed input_NAME."""
    names = [f"input_{n}" if n in RESULT_COLUMNS else n for n in kept] + list(RESULT_COLUMNS)
    return [safe_cell(name) for name in names]


def result_rows(outcome: ScreeningOutcome, *, keep: Sequence[str] = ()) -> Iterator[list[str]]:
    """The CSV rows of one screened query, at least one: the input's `keep` cells, then
    `RESULT_COLUMNS`. Every cell is safe to open in a spreadsheet."""
    lists = outcome.lists
    fr = lists.fr_newest
    answer = [
        outcome.verdict,
        lists.state,
        lists.csl_as_of.isoformat() if lists.csl_as_of else "",
        f"{fr.document_number} ({fr.publication_date.isoformat()})" if fr else "",
    ]
    if not outcome.results:
        why = outcome.error or ("" if lists.can_clear else lists.reason or "")
        found = [outcome.query, "", "", "", "", "", NO_MATCH, "", "", why, "", *answer, ""]
        yield [safe_cell(cell) for cell in [*keep, *found]]
        return
    for rank, result in enumerate(outcome.results, start=1):
        data = result.as_dict()
        found = [
            outcome.query,
            str(rank),
            *(_cell(data[key]) for key in RESULT_COLUMNS[2:10]),
            "; ".join(outcome.addresses_of(result)),
            *answer,
            source_note(result.entry.source) or "",
        ]
        yield [safe_cell(cell) for cell in [*keep, *found]]


def _cell(value: object) -> str:
    return "" if value is None else str(value)


NOT_SCREENED = "not screened"


def refused_row(kept: Sequence[str], *, line: int, reason: str) -> list[str]:
    """The row of an input line that could not be read: no query, no candidates, verdict
    "not screened" and the line and reason in `why`, so the output accounts for it."""
    found = ["", "", "", "", "", "", "", "", "", f"line {line}: {reason}", "", NOT_SCREENED]
    return [safe_cell(cell) for cell in ["" for _ in kept] + found + ["", "", ""]]

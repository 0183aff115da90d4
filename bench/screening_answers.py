"""Write every screening answer on the quality sets to a JSON file, to compare two engines.

A change meant only to make screening faster must not change one answer. Run from
each checkout (or with ENTITYWATCH_SCREENING_BUILD naming a compiled build, see
tests/compiled.py) and compare::

    .venv/bin/python -m bench.screening_answers /tmp/before.json    # in the old checkout
    .venv/bin/python -m bench.screening_answers /tmp/after.json     # in the new one
    cmp /tmp/before.json /tmp/after.json

The queries are the development set, the ordinary company names and people, and the
address queries (3,152 on the 2022 snapshot); each answer is written whole: every
result's entry, score, band, matched name and explanation, and the omitted counts. A
query the engine refuses is written as its error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from screening import InvalidQueryError, ScreeningIndex
from tests.compiled import engine_in_use
from tests.screening.quality import (
    TOP,
    load_address_queries,
    load_dev_queries,
    load_entries,
    load_ordinary_companies,
    load_ordinary_people,
)


def answers() -> list[object]:
    entries = load_entries()
    index = ScreeningIndex.build(entries)
    queries = [q.query for q in load_dev_queries()] + load_ordinary_companies()
    queries += [q.query for q in load_address_queries(entries)] + load_ordinary_people()
    written: list[object] = []
    for query in queries:
        try:
            answer = index.screen(query, limit=TOP * 2)
        except InvalidQueryError as error:
            written.append(repr(error))
            continue
        results = [
            [
                r.entry.entry_key,
                r.entry.list_code,
                r.score,
                r.band,
                r.matched_name,
                r.explanation.as_dict(),
            ]
            for r in answer.results
        ]
        written.append([query, results, answer.omitted])
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the JSON file to write")
    args = parser.parse_args()
    written = answers()
    args.out.write_text(json.dumps(written, sort_keys=True, indent=0), encoding="utf-8")
    print(f"{len(written)} answers written to {args.out} ({engine_in_use()})")


if __name__ == "__main__":
    main()

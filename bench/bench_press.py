"""Press extraction quality on the development set: precision and recall per field.

python -m bench.bench_press            # the table
python -m bench.bench_press --misses   # and every case/field that differs
"""

from __future__ import annotations

import argparse

from tests.watchers.press_dev_set import differences, load_cases, score, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list the differences too")
    args = parser.parse_args()
    cases = load_cases()
    print(f"press dev set: {len(cases)} texts (tests/fixtures/press/dev)")
    print(table(score(cases)))
    if args.misses:
        print("\n".join(differences(cases)) or "no differences")


if __name__ == "__main__":
    main()

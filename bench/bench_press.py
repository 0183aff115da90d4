"""Press extraction quality: precision and recall per field, on the development set (45 real
texts the extractor was built on) and on the check set (12 real texts found afterwards).

    python -m bench.bench_press            # the two tables
    python -m bench.bench_press --misses   # and every case and field that differs
"""

from __future__ import annotations

import argparse

from tests.watchers.press_dev_set import CHECK, DEV, differences, load_cases, score, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list the differences too")
    args = parser.parse_args()
    for label, folder in (("development set", DEV), ("check set", CHECK)):
        cases = load_cases(folder)
        print(f"\npress {label}: {len(cases)} texts (tests/fixtures/press/{folder.name})")
        print(table(score(cases)))
        if args.misses:
            print("\n".join(differences(cases)) or "no differences")


if __name__ == "__main__":
    main()

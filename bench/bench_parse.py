"""Time the pure parsers of the Federal Register and press watchers on recorded inputs.

Run: .venv/bin/python -m bench.bench_parse [--runs N]
Prints the median and the slowest of N runs per input. Target: the 2023 rule
(FR Doc 2023-03929, 13 entries) parses in under 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bench.common import ROOT
from watchers.federal_register.documents import parse_documents_page
from watchers.federal_register.inspection_json import parse_public_inspection
from watchers.federal_register.rule_xml import parse_rule_xml
from watchers.press.announcement import extract_announcement
from watchers.press.feed import parse_feed

FR = ROOT / "tests" / "fixtures" / "federal_register"
PRESS = ROOT / "tests" / "fixtures" / "press"
RULE_TARGET_MS = 100.0


def _cases() -> list[tuple[str, Callable[[], object]]]:
    rule = (FR / "2023-03929.xml").read_bytes()
    page = (FR / "documents-page-1.json").read_bytes()
    current = (FR / "public-inspection-current.json").read_bytes()
    rss = (PRESS / "press-feed.rss.xml").read_bytes()
    atom = (PRESS / "press-feed.atom.xml").read_bytes()
    seed = (PRESS / "2019-10-entity-list-28-chinese-organizations.txt").read_text("utf-8")
    return [
        ("rule_xml 2023-03929", lambda: parse_rule_xml(rule, citation="88 FR 12170")),
        ("documents.json page", lambda: parse_documents_page(page)),
        ("public-inspection current", lambda: parse_public_inspection(current)),
        ("feed rss (3 items)", lambda: parse_feed(rss)),
        ("feed atom (3 items)", lambda: parse_feed(atom)),
        ("announcement (seed text)", lambda: extract_announcement(seed)),
    ]


def _time_ms(run: Callable[[], object], runs: int) -> list[float]:
    run()  # warm-up: first-call regex compilation and imports are not steady state
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    rule_median = 0.0
    print(f"{'input':<28} {'median ms':>10} {'max ms':>10}   ({args.runs} runs)")
    for name, run in _cases():
        times = _time_ms(run, args.runs)
        median = statistics.median(times)
        rule_median = median if name.startswith("rule_xml") else rule_median
        print(f"{name:<28} {median:>10.3f} {max(times):>10.3f}")
    verdict = "OK" if rule_median < RULE_TARGET_MS else "OVER TARGET"
    print(f"rule_xml median {rule_median:.3f} ms vs target {RULE_TARGET_MS:.0f} ms: {verdict}")
    return 0 if rule_median < RULE_TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())

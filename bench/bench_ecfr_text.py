"""Reading part 744 out of a title-sized eCFR XML file (the `ecfr_text` source's parse).

Run: `.venv/bin/python -m bench.bench_ecfr_text [--megabytes N] [--runs N]`
The GPO's title 15 file runs to tens of megabytes; only part 744 is kept. The file is
synthetic: the reconstructed excerpt (tests/fixtures/ecfr/) with its part 743 section
repeated until the file has the size asked for, so that the parts before 744 are what
the reader must stream past, as in the real title.
Target: under 5 s of CPU and under 200 MB of peak Python memory for 40 MB.
Baseline in the same run: parsing the whole file into one tree (`ET.fromstring`).
"""

from __future__ import annotations

import argparse
import re
import time
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Callable

from bench.common import ROOT, median_of, report
from watchers.ecfr.regulation import read_regulation_lists

EXCERPT = ROOT / "tests" / "fixtures" / "ecfr" / "ECFR-title15-part744-excerpt.xml"
_SECTION = re.compile(rb'<DIV8 N="&#xA7; 743\.1".*?</DIV8>', re.S)


def title_of(megabytes: int) -> bytes:
    text = EXCERPT.read_bytes()
    section = _SECTION.search(text)
    assert section is not None
    copies = megabytes * 1_000_000 // len(section.group(0)) + 1
    return text.replace(section.group(0), section.group(0) * copies, 1)


def cpu(run: Callable[[], None]) -> float:
    """Seconds of this process's CPU: on a shared machine, wall time mostly measures the
    other processes."""
    start = time.process_time()
    run()
    return time.process_time() - start


def peak_mb(run: Callable[[], None]) -> float:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = title_of(args.megabytes)
    print(f"title: {len(data) / 1e6:.1f} MB")
    lists = read_regulation_lists(data)
    assert lists.count("MIEU") == 13

    def stream() -> None:
        read_regulation_lists(data)

    def whole() -> None:
        ET.fromstring(data)

    streamed = [cpu(stream) for _ in range(args.runs)]
    whole_tree = [cpu(whole) for _ in range(args.runs)]
    report("read part 744, streamed (CPU)", streamed, target=5.0)
    report("baseline: parse the whole title (CPU)", whole_tree)
    print(f"ratio streamed / whole: {median_of(streamed) / median_of(whole_tree):.2f}")
    report("peak memory, streamed", [peak_mb(stream)], target=200.0, unit="MB")
    report("peak memory, whole title", [peak_mb(whole)], unit="MB")


if __name__ == "__main__":
    main()

"""The press development set and its scoring: precision and recall per field.

`tests/fixtures/press/dev/expected.json` holds, per real announcement text, what
a careful reader takes from it (see that folder's PROVENANCE.md). A field's
values count only when the text is a list action (what would be alerted): a
predicted list action that is not one costs precision on every field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from watchers.press.announcement import Announcement, extract_announcement

PRESS = Path(__file__).parent.parent / "fixtures" / "press"
DEV = PRESS / "dev"
# Texts found after the extractor was first written, measured before changing it (PROVENANCE).
CHECK = PRESS / "check"
_NAME_FIELDS = ("names", "removed")
FIELDS = ("is_list_action", "lists", "action", "countries", "names", "removed")


@dataclass(frozen=True)
class Case:
    file: str
    url: str
    text: str
    expected: dict[str, object]


@dataclass
class Tally:
    true_positive: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.expected if self.expected else 1.0


def load_cases(folder: Path = DEV) -> list[Case]:
    rows = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return [
        Case(file=r["file"], url=r["url"], text=(folder / r["file"]).read_text("utf-8"), expected=r)
        for r in rows
    ]


def field_values(field: str, found: Announcement) -> set[str]:
    if not found.is_list_action:
        return set()
    if field == "is_list_action":
        return {"yes"}
    if field == "action":
        return {str(found.action)}
    values = {
        "lists": found.lists,
        "countries": found.countries,
        "names": found.organisations,
        "removed": found.removed,
    }
    return {_norm(v) if field in _NAME_FIELDS else v for v in values[field]}


def expected_values(field: str, case: Case) -> set[str]:
    row = case.expected
    if not row["is_list_action"]:
        return set()
    if field == "is_list_action":
        return {"yes"}
    if field == "action":
        return {str(row["action"])}
    values = row[field]
    assert isinstance(values, list)
    return {_norm(v) if field in _NAME_FIELDS else str(v) for v in values}


def score(cases: list[Case]) -> dict[str, Tally]:
    tallies = {field: Tally() for field in FIELDS}
    for case in cases:
        found = extract_announcement(case.text)
        for field in FIELDS:
            got, want = field_values(field, found), expected_values(field, case)
            tally = tallies[field]
            tally.predicted += len(got)
            tally.expected += len(want)
            tally.true_positive += len(got & want)
    return tallies


def differences(cases: list[Case]) -> list[str]:
    """One line per case and field where the extractor and the expectation differ."""
    lines: list[str] = []
    for case in cases:
        found = extract_announcement(case.text)
        for field in FIELDS:
            got, want = field_values(field, found), expected_values(field, case)
            if got != want:
                extra, missed = sorted(got - want), sorted(want - got)
                lines.append(f"{case.file} {field}: extra={extra} missed={missed}")
    return lines


def table(tallies: dict[str, Tally]) -> str:
    rows = [f"{'field':<16}{'precision':>10}{'recall':>8}{'tp':>5}{'pred':>6}{'exp':>6}"]
    for field, t in tallies.items():
        rows.append(
            f"{field:<16}{t.precision:>10.2f}{t.recall:>8.2f}"
            f"{t.true_positive:>5}{t.predicted:>6}{t.expected:>6}"
        )
    return "\n".join(rows)


def _norm(name: str) -> str:
    # "Huawei Technologies Co., Ltd." and "Huawei Technologies Co Ltd" are one name.
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())

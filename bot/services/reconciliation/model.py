"""What reconciliation finds, as frozen data: per rule and per source compared with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# The sources a rule's entries are compared with, and how people call them.
CSL = "csl"
ECFR = "ecfr_text"
SOURCE_NAMES = {CSL: "the CSL", ECFR: "the eCFR"}

# A comparison's state.
CONSISTENT = "consistent"  # the source lists what the rule added and not what it removed
LAGS = "lags"  # it does not, the allowance after the effective date has passed
PENDING = "pending"  # it does not yet, within the allowance
UNKNOWN = "unknown"  # the source was not refreshed since the allowance ended, or not loaded


@dataclass(frozen=True, slots=True)
class RuleComparison:
    """One rule's entries against one source."""

    document_number: str
    citation: str | None
    effective_date: date
    against: str  # CSL | ECFR
    list_codes: tuple[str, ...]
    expected: int  # entries the rule added or revised
    missing: tuple[str, ...]  # names of those the source lacks
    removed: int  # entries the rule removed
    still_listed: tuple[str, ...]  # names of those the source still lists
    state: str
    source_as_of: datetime | None  # when the compared copy of the source was refreshed

    @property
    def source_name(self) -> str:
        return SOURCE_NAMES.get(self.against, self.against)

    def lag_text(self) -> str:
        """'the CSL lacks 13 of the 13 entries FR Doc 2023-03929 added, in force since ...'"""
        parts = []
        if self.missing:
            parts.append(
                f"{self.source_name} lacks {len(self.missing)} of the {self.expected} entries "
                f"FR Doc {self.document_number} added"
            )
        if self.still_listed:
            verb = "still lists" if not parts else "and still lists"
            subject = "" if parts else f"{self.source_name} "
            parts.append(
                f"{subject}{verb} {len(self.still_listed)} of the {self.removed} parties "
                f"FR Doc {self.document_number} removed"
            )
        since = self.effective_date.isoformat()
        return " ".join(parts) + f", in force since {since}"

    def short_text(self) -> str:
        """'CSL lacks 13 entries of FR Doc 2023-03929, effective 2023-02-24'"""
        name = self.source_name.removeprefix("the ")
        bits = []
        if self.missing:
            bits.append(f"lacks {len(self.missing)} entries")
        if self.still_listed:
            bits.append(f"still lists {len(self.still_listed)} removed parties")
        return (
            f"{name} {' and '.join(bits)} of FR Doc {self.document_number}, "
            f"effective {self.effective_date.isoformat()}"
        )

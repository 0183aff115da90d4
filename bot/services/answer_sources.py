"""Where a screened entry comes from, as the entry carries it and as an answer says it. Pure.

The index holds the CSL's entries, the Federal Register's entries the CSL does not have
yet, and the lists the CSL does not carry at all (read from the regulation text). An
answer must make the last two visible: a hit that rests on a rule the CSL has not
caught up with, or on § 744.22(f)(2), is still a hit, and the compliance officer
needs to know why the CSL will not confirm it.
"""

from __future__ import annotations

CSL_LABEL = "CSL"
RULE_PREFIX = "FR "
REGULATION_LABEL = "eCFR"
# `list_entry.source` of the rows each label stands for.
RULE_SOURCE = "federal_register"
REGULATION_SOURCE = "ecfr_text"


def source_label(row_source: str, *, fr_document: str | None) -> str:
    """The `ScreeningEntry.source` of a stored row: "CSL", "FR 2023-03929" or "eCFR"."""
    if row_source == RULE_SOURCE:
        return f"{RULE_PREFIX}{fr_document}"
    if row_source == REGULATION_SOURCE:
        return REGULATION_LABEL
    return CSL_LABEL


def source_note(source: str) -> str | None:
    """What an answer says about an entry that is not (yet) on the CSL; None for CSL entries."""
    if source.startswith(RULE_PREFIX):
        return f"from FR Doc {source.removeprefix(RULE_PREFIX)}, not yet on the CSL"
    if source == REGULATION_LABEL:
        return "from the regulation text (eCFR): a list the CSL does not carry"
    return None

"""The raw text of a filing on Public Inspection -> its CFR parts, ACTION, SUMMARY and DATES.

Pure: bytes in, a frozen `FilingText` out, or `FilingTextError` saying what the
bytes were instead (a PDF, an HTML error page, nothing). The raw text is the
typescript as filed, headed like the published rule:

    15 CFR Parts 732, 734, 736, 744, and 748
    ...
    ACTION: Interim final rule.
    SUMMARY: ...
    DATES: This rule is effective September 29, 2025.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from watchers.federal_register.rule_dates import cfr_parts_in

# A preamble section runs until the next capitalised heading with a colon.
_SECTION = re.compile(
    r"^\s*(AGENCY|ACTION|SUMMARY|DATES|ADDRESSES|FOR FURTHER INFORMATION CONTACT|"
    r"SUPPLEMENTARY INFORMATION)\s*:",
    re.MULTILINE,
)
# Enough of a filing to find its preamble and the part 744 amendments.
MAX_CHARS = 400_000


class FilingTextError(ValueError):
    """The raw text is not a filing's text. `transient`: an error page or nothing yet,
    worth asking again; a PDF or text without a preamble is not."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True, slots=True)
class FilingText:
    cfr_parts: tuple[int, ...]  # title 15 parts the filing's heading names
    action: str
    summary: str
    dates: str
    mentions_part_744: bool  # "part 744" or a supplement of it appears in the body


def read_filing_text(data: bytes) -> FilingText:
    """Read the preamble of a raw-text filing; `FilingTextError` when it is not one."""
    head = data[:1024].lstrip().lower()
    if not head:
        raise FilingTextError("the raw text is empty", transient=True)
    if head.startswith(b"%pdf"):
        raise FilingTextError("the raw text is a PDF, not text")
    if head.startswith((b"<!doctype", b"<html", b"<head", b"<?xml")) or b"<body" in head:
        raise FilingTextError(
            "the raw text is an HTML or XML page (an error page?)", transient=True
        )
    text = data[:MAX_CHARS].decode("utf-8", errors="replace")
    sections = _sections(text)
    parts = cfr_parts_in(text[:5000])
    if not parts and not sections:
        raise FilingTextError("no CFR heading and no ACTION, SUMMARY or DATES section found")
    return FilingText(
        cfr_parts=parts,
        action=sections.get("ACTION", ""),
        summary=sections.get("SUMMARY", ""),
        dates=sections.get("DATES", ""),
        mentions_part_744=bool(re.search(r"\bpart\s+744\b", text, re.IGNORECASE)),
    )


def _sections(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    matches = list(_SECTION.finditer(text))
    ends: list[re.Match[str] | None] = [*matches[1:], None]
    for match, following in zip(matches, ends[: len(matches)], strict=True):
        end = following.start() if following else min(len(text), match.end() + 3000)
        name = match.group(1)
        if name not in found:
            found[name] = " ".join(text[match.end() : end].split())[:3000]
    return found

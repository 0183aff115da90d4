"""What kind of release a press text is, from its lead: enforcement, speech, event.

A penalty, a settlement, a conviction or a sentencing is news about a case, not
a list action, even when it says "Entity List" (the parties were listed before).
Speeches and conferences mention the lists all the time. These categories are
read from the lead (the headline and first sentences), where a release says
what it is.
"""

from __future__ import annotations

import re
from typing import Literal

Category = Literal["list_action", "enforcement", "speech", "event", "other"]

_ENFORCEMENT = re.compile(
    r"\b(?:civil\s+penalt\w+|penalt(?:y|ies)|to\s+pay\b|settle(?:s|d|ment)?\b|fined\b|"
    r"sentenced|plead(?:s|ed)?\s+guilty|pled\s+guilty|indict\w*|charged\s+(?:with|in)|"
    r"convicted|conviction|arrested|forfeiture|smuggl\w+|enforcement\s+actions?)",
    re.I,
)
_SPEECH = re.compile(
    r"^(?:remarks|keynote|testimony|prepared\s+remarks|statement\s+(?:by|from|of))\b|"
    r"\b(?:remarks\s+(?:by|of|at)|keynote|as\s+prepared\s+for\s+delivery|delivers\s+remarks|"
    r"testif(?:y|ies|ied)|op-ed|interview)\b",
    re.I,
)
_EVENT = re.compile(
    r"\b(?:conference|webinar|seminar|trade\s+mission|workshop|forum|summit|roundtable|"
    r"open\s+house|outreach\s+event)s?\b",
    re.I,
)


def headline_category(headline: str) -> Category | None:
    """A speech or an event says so in its headline, whatever it goes on to mention."""
    if _SPEECH.search(headline):
        return "speech"
    if _EVENT.search(headline):
        return "event"
    return None


def lead_category(lead: str) -> Category | None:
    """The category a release's lead announces, if it is not a list action."""
    if _ENFORCEMENT.search(lead):
        return "enforcement"
    if _SPEECH.search(lead):
        return "speech"
    if _EVENT.search(lead):
        return "event"
    return None

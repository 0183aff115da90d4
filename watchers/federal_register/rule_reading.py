"""A published rule's XML read for both its entries and its preamble, and the facts
the classifier (`meaning`) needs, gathered from the XML and the API's metadata.

Pure. A rule with no list entries is not a failure here: its preamble (ACTION,
SUMMARY, DATES, CFR heading) still says what it does.
"""

from __future__ import annotations

from dataclasses import dataclass

from watchers.federal_register.documents import FrDocument
from watchers.federal_register.errors import BrokenXmlError, NoEntriesError, RuleXmlError
from watchers.federal_register.meaning import RuleFacts
from watchers.federal_register.preamble import Preamble, read_preamble
from watchers.federal_register.rule_dates import cfr_parts_in
from watchers.federal_register.rule_xml import RuleDocument, parse_rule_xml
from watchers.federal_register.xml_text import load_rule_root


@dataclass(frozen=True, slots=True)
class RuleRead:
    rule: RuleDocument | None  # its entries, when it has entries and they could be read
    preamble: Preamble | None
    no_entries: bool  # well formed, and no entry at all: not a failure
    problem: str | None  # why the entries (or the whole rule) could not be read

    @property
    def cfr_parts(self) -> tuple[int, ...]:
        return cfr_parts_in(self.preamble.cfr) if self.preamble else ()


def read_rule(data: bytes, *, doc: FrDocument) -> RuleRead:
    """Read a rule's XML; `BrokenXmlError` (a bad download) is raised, to fetch it again."""
    root = load_rule_root(data)
    try:
        preamble: Preamble | None = read_preamble(root)
    except RuleXmlError as exc:
        return RuleRead(rule=None, preamble=None, no_entries=False, problem=str(exc))
    try:
        rule = parse_rule_xml(data, citation=doc.citation, document_number=doc.document_number)
    except BrokenXmlError:
        raise
    except NoEntriesError as exc:
        # A problem only if the rule was meant to list entries (`reported_problem`).
        return RuleRead(rule=None, preamble=preamble, no_entries=True, problem=str(exc))
    except RuleXmlError as exc:
        return RuleRead(rule=None, preamble=preamble, no_entries=False, problem=str(exc))
    return RuleRead(rule=rule, preamble=preamble, no_entries=False, problem=None)


def reported_problem(read: RuleRead | None, kind: str) -> str | None:
    """The reading problem an alert should show: none for a rule that has no entries by
    nature (a change of meaning, or part 744 only in passing)."""
    if read is None or read.problem is None:
        return None
    if read.no_entries and kind in ("meaning", "other"):
        return None
    return read.problem


def rule_facts(doc: FrDocument, read: RuleRead | None, *, metadata_only: bool = False) -> RuleFacts:
    """What the classifier sees. `read` None: the XML was not read; `metadata_only` says
    that was by choice (an old baseline rule), so the metadata counts as read."""
    preamble = read.preamble if read else None
    rule = read.rule if read else None
    if rule is not None:
        entries: int | None = len(rule.entries)
    elif read is not None and read.no_entries:
        entries = 0
    else:
        entries = None
    return RuleFacts(
        title=doc.title,
        abstract=doc.abstract or "",
        action=(preamble.action if preamble else "") or doc.action or "",
        dates_text=(preamble.dates if preamble else "") or doc.dates or "",
        summary=preamble.summary if preamble else "",
        effective_on=(rule.effective_on if rule else None)
        or (preamble.effective_on if preamble else None)
        or doc.effective_on,
        entry_count=entries,
        names_list=bool(doc.lists),
        readable=metadata_only or preamble is not None,
    )

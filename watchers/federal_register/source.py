"""Federal Register: BIS rules that amend 15 CFR part 744 (the Entity, Unverified and
Military End-User lists live in its supplements).

Rules are selected by regulation: the API's CFR conditions (title 15, part 744) and
each document's `cfr_references`; the list names in the title stay a second net.
Each poll reads the newest page of every query, then fetches and parses the
full-text XML of every rule it has not recorded yet, and classifies what it does
(`meaning`). Everything is fetched and
parsed before anything is written, and all of it is written in one transaction,
so a failure part-way leaves storage as it was. The first poll is a baseline:
rules are recorded as seen (those of the last `baseline_days` with their entries,
for screening) and nothing is alerted; it reads `HISTORY_DAYS` of part 744 rules, and
the preamble of each older one that is not a plain listing, so that the changes of
meaning in force (suspensions, reimpositions) are on record from the first day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key, record_event
from storage.fr_rules import SOURCE
from watchers.content_checks import reject_html, require_json
from watchers.errors import FetchError
from watchers.federal_register.documents import (
    CFR_PART,
    FrDocument,
    documents_request,
    list_rules,
    parse_documents_page,
)
from watchers.federal_register.errors import RuleXmlError
from watchers.federal_register.meaning import Classification, classify
from watchers.federal_register.recording import record_document, record_rule, seen_documents
from watchers.federal_register.rule_reading import (
    RuleRead,
    read_rule,
    reported_problem,
    rule_facts,
)
from watchers.federal_register.settings import FederalRegisterSettings
from watchers.registry import register
from watchers.source import PollContext, PollResult, Source, SourceSchedule

log = logging.getLogger(__name__)

# Pages of documents.json read per poll when many rules are new (each has 20 by default).
MAX_PAGES = 3
TERMS = ("Entity List", "Unverified List", "Military End-User List")
# The query by regulation; its key names its ETag in the cursor (the terms name theirs).
CFR_QUERY = f"cfr:15/{CFR_PART}"
# The first run reads this much history of part 744 rules, 100 a page, at most
# BASELINE_PAGES pages (BIS publishes a few dozen part 744 rules a year).
HISTORY_DAYS = 730
BASELINE_PAGES = 10
BASELINE_PER_PAGE = 100


@dataclass
class FederalRegisterSource:
    api_url: str
    schedule: SourceSchedule
    baseline_days: int = 30
    per_page: int = 20
    name: str = SOURCE

    def poll(self, ctx: PollContext) -> PollResult:
        with Session(ctx.engine) as session:
            seen = seen_documents(session)
        baseline = ctx.state.never_succeeded and not seen
        etags: dict[str, str] = dict(ctx.state.cursor.get("etags", {}))
        documents, fresh = self._new_rules(ctx, seen=seen, baseline=baseline, etags=etags)
        if not fresh:
            return PollResult(status="not_modified", cursor={"etags": etags})
        cutoff = ctx.now.date() - timedelta(days=self.baseline_days)
        reads = self._read_all(ctx, documents, baseline=baseline, cutoff=cutoff)
        with Session(ctx.engine) as session, session.begin():
            changes: list[str] = []
            for doc in sorted(documents, key=lambda d: (d.publication_date, d.document_number)):
                read = reads.get(doc.document_number)
                # Old baseline rules were read for their meaning only: their entries may
                # have been removed since, so they are not stored for screening.
                full = read is not None and (not baseline or doc.publication_date >= cutoff)
                classification = _classified(doc, read, metadata_only=baseline)
                if full and read is not None and read.rule is not None:
                    changes += record_rule(
                        session,
                        doc=doc,
                        rule=read.rule,
                        now=ctx.now,
                        alert=not baseline,
                        classification=classification,
                    )
                    continue
                kind = "rule_baseline" if baseline else "rule_published"
                if record_document(
                    session,
                    doc=doc,
                    kind=kind,
                    now=ctx.now,
                    problem=reported_problem(read, classification.kind),
                    classification=classification,
                    effective_on=_preamble_effective(read),
                ):
                    changes.append(f"{kind} {doc.document_number}: {doc.title}")
            if baseline:
                record_event(
                    session,
                    dedupe_key=change_dedupe_key(SOURCE, "baseline"),
                    source=SOURCE,
                    kind="baseline",
                    now=ctx.now,
                    summary=f"Federal Register baseline: {len(documents)} list rules on record",
                )
                parsed = sum(1 for r in reads.values() if r.rule is not None)
                changes = [f"baseline: {len(documents)} rules recorded, {parsed} parsed"]
        status = "baseline" if baseline else ("changed" if changes else "unchanged")
        return PollResult(status=status, changes=tuple(changes), cursor={"etags": etags})

    def _read_all(
        self, ctx: PollContext, documents: list[FrDocument], *, baseline: bool, cutoff: date
    ) -> dict[str, RuleRead]:
        """Every rule's XML, read before anything is written.

        A bad download of a rule to alert fails the poll (it is fetched again next
        time); an older baseline rule read only for its meaning is classified from its
        metadata instead, with a log line.
        """
        reads: dict[str, RuleRead] = {}
        for doc in documents:
            recent = not baseline or doc.publication_date >= cutoff
            metadata = classify(rule_facts(doc, None, metadata_only=True))
            if not recent and metadata.kind == "entries":
                continue
            try:
                read = self._read(ctx, doc)
            except (FetchError, RuleXmlError) as exc:
                if recent:
                    raise
                log.warning("fr.history_unread document=%s error=%s", doc.document_number, exc)
                continue
            if read is not None:
                if reported_problem(read, classify(rule_facts(doc, read)).kind):
                    # A well-formed rule we cannot read must not blind the source to every
                    # later rule: it is announced with its title and links, and logged.
                    log.error(
                        "fr.rule_unreadable document=%s error=%s", doc.document_number, read.problem
                    )
                reads[doc.document_number] = read
        return reads

    def _new_rules(
        self, ctx: PollContext, *, seen: set[str], baseline: bool, etags: dict[str, str]
    ) -> tuple[list[FrDocument], bool]:
        """Unseen part 744 and list rules, newest pages first, and whether any answer was
        not a 304. `etags` (per query, first page) is updated in place."""
        found: dict[str, FrDocument] = {}
        fresh = False
        since = ctx.now.date() - timedelta(days=HISTORY_DAYS)
        queries: list[tuple[str, str | None]] = [
            (
                CFR_QUERY,
                documents_request(
                    self.api_url,
                    term=None,
                    cfr_part=CFR_PART,
                    per_page=BASELINE_PER_PAGE if baseline else self.per_page,
                    published_since=since if baseline else None,
                ),
            ),
            *(
                (term, documents_request(self.api_url, term=term, per_page=self.per_page))
                for term in TERMS
            ),
        ]
        for key, first_url in queries:
            url: str | None = first_url
            pages = (BASELINE_PAGES if key == CFR_QUERY else 1) if baseline else MAX_PAGES
            for page_number in range(pages):
                if url is None:
                    break
                fetched = ctx.fetcher.get(
                    url,
                    source=self.name,
                    accept="application/json",
                    etag=etags.get(key) if page_number == 0 else None,
                )
                if fetched.not_modified:
                    break
                fresh = True
                if page_number == 0 and fetched.etag:
                    etags[key] = fetched.etag
                page = parse_documents_page(require_json(fetched, source=self.name))
                rules = list_rules(page.documents)
                found.update((d.document_number, d) for d in rules if d.document_number not in seen)
                # Newest first: once a page holds a rule we know, older pages hold no news.
                if any(d.document_number in seen for d in page.documents):
                    break
                url = page.next_page_url
        return list(found.values()), fresh

    def _read(self, ctx: PollContext, doc: FrDocument) -> RuleRead | None:
        if not doc.full_text_xml_url:
            return None
        fetched = ctx.fetcher.get(
            doc.full_text_xml_url, source=self.name, accept="application/xml, text/xml"
        )
        return read_rule(reject_html(fetched, source=self.name), doc=doc)


def _classified(doc: FrDocument, read: RuleRead | None, *, metadata_only: bool) -> Classification:
    classification = classify(rule_facts(doc, read, metadata_only=metadata_only))
    level = logging.INFO if classification.kind in ("entries", "meaning") else logging.WARNING
    log.log(
        level,
        "fr.rule_classified document=%s classification=%s reason=%r parts=%s",
        doc.document_number,
        classification.kind,
        classification.reason,
        ",".join(map(str, doc.cfr_parts)) or "-",
    )
    return classification


def _preamble_effective(read: RuleRead | None) -> date | None:
    return read.preamble.effective_on if read and read.preamble else None


@register("federal_register", settings=FederalRegisterSettings)
def _factory(settings: FederalRegisterSettings) -> list[Source]:
    return [
        FederalRegisterSource(
            api_url=settings.fr_api_url,
            baseline_days=settings.fr_baseline_days,
            schedule=SourceSchedule(interval_seconds=settings.fr_poll_seconds, jitter_seconds=60),
        )
    ]

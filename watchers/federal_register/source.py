"""Federal Register: BIS rules about the Entity, Unverified and Military End-User lists.

Each poll reads the newest page of `documents.json`, then fetches and parses the
full-text XML of every rule it has not recorded yet. Everything is fetched and
parsed before anything is written, and all of it is written in one transaction,
so a failure part-way leaves storage as it was. The first poll is a baseline:
rules are recorded as seen (those of the last `baseline_days` with their entries,
for screening) and nothing is alerted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key, record_event
from storage.fr_rules import SOURCE
from watchers.content_checks import reject_html, require_json
from watchers.federal_register.documents import (
    FrDocument,
    documents_request,
    list_rules,
    parse_documents_page,
)
from watchers.federal_register.errors import BrokenXmlError, RuleXmlError
from watchers.federal_register.recording import record_document, record_rule, seen_documents
from watchers.federal_register.rule_xml import RuleDocument, parse_rule_xml
from watchers.federal_register.settings import FederalRegisterSettings
from watchers.registry import register
from watchers.source import PollContext, PollResult, Source, SourceSchedule

log = logging.getLogger(__name__)

# Pages of documents.json read per poll when many rules are new (each has 20 by default).
MAX_PAGES = 3
TERMS = ("Entity List", "Unverified List", "Military End-User List")


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
        wanted = [d for d in documents if not baseline or d.publication_date >= cutoff]
        rules: dict[str, RuleDocument | None] = {}
        unreadable: dict[str, str] = {}
        for doc in wanted:
            try:
                rules[doc.document_number] = self._rule(ctx, doc)
            except BrokenXmlError:
                raise  # a bad download: fail this poll, fetch it again next time
            except RuleXmlError as exc:
                # A well-formed rule we cannot read must not blind the source to every
                # later rule: it is announced with its title and links, and logged.
                log.error("fr.rule_unreadable document=%s error=%s", doc.document_number, exc)
                unreadable[doc.document_number] = str(exc)
        with Session(ctx.engine) as session, session.begin():
            changes: list[str] = []
            for doc in sorted(documents, key=lambda d: (d.publication_date, d.document_number)):
                rule = rules.get(doc.document_number)
                if rule is not None:
                    changes += record_rule(
                        session, doc=doc, rule=rule, now=ctx.now, alert=not baseline
                    )
                else:
                    kind = "rule_baseline" if baseline else "rule_published"
                    problem = unreadable.get(doc.document_number)
                    if record_document(session, doc=doc, kind=kind, now=ctx.now, problem=problem):
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
                changes = [f"baseline: {len(documents)} rules recorded, {len(rules)} parsed"]
        status = "baseline" if baseline else ("changed" if changes else "unchanged")
        return PollResult(status=status, changes=tuple(changes), cursor={"etags": etags})

    def _new_rules(
        self, ctx: PollContext, *, seen: set[str], baseline: bool, etags: dict[str, str]
    ) -> tuple[list[FrDocument], bool]:
        """Unseen list rules, newest pages first, and whether any answer was not a 304.

        `etags` (per search term, first page) is updated in place.
        """
        found: dict[str, FrDocument] = {}
        fresh = False
        for term in TERMS:
            url: str | None = documents_request(self.api_url, term=term, per_page=self.per_page)
            for page_number in range(1 if baseline else MAX_PAGES):
                if url is None:
                    break
                fetched = ctx.fetcher.get(
                    url,
                    source=self.name,
                    accept="application/json",
                    etag=etags.get(term) if page_number == 0 else None,
                )
                if fetched.not_modified:
                    break
                fresh = True
                if page_number == 0 and fetched.etag:
                    etags[term] = fetched.etag
                page = parse_documents_page(require_json(fetched, source=self.name))
                rules = list_rules(page.documents)
                found.update((d.document_number, d) for d in rules if d.document_number not in seen)
                # Newest first: once a page holds a rule we know, older pages hold no news.
                if any(d.document_number in seen for d in page.documents):
                    break
                url = page.next_page_url
        return list(found.values()), fresh

    def _rule(self, ctx: PollContext, doc: FrDocument) -> RuleDocument | None:
        if not doc.full_text_xml_url:
            return None
        fetched = ctx.fetcher.get(
            doc.full_text_xml_url, source=self.name, accept="application/xml, text/xml"
        )
        return parse_rule_xml(
            reject_html(fetched, source=self.name),
            citation=doc.citation,
            document_number=doc.document_number,
        )


@register("federal_register", settings=FederalRegisterSettings)
def _factory(settings: FederalRegisterSettings) -> list[Source]:
    return [
        FederalRegisterSource(
            api_url=settings.fr_api_url,
            baseline_days=settings.fr_baseline_days,
            schedule=SourceSchedule(interval_seconds=settings.fr_poll_seconds, jitter_seconds=60),
        )
    ]

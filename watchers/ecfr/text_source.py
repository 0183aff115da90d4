"""The text of 15 CFR part 744 from the GPO's bulk eCFR XML (kind "ecfr_text").

ecfr.gov's robots.txt disallows its full-text endpoint (`/api/versioner/v1/full/`),
so the text comes from govinfo.gov's bulk data, which allows it: one file per
title, fetched with a conditional GET (it changes at most daily). Everything is
parsed before anything is written (`watchers.ecfr.regulation`), and written in
one transaction (`watchers.ecfr.recording`): a text that does not read leaves
stored state as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from watchers.content_checks import reject_html
from watchers.ecfr.recording import TEXT_SOURCE, store_regulation_lists
from watchers.ecfr.regulation import read_regulation_lists
from watchers.source import PollContext, PollResult, SourceSchedule


@dataclass
class EcfrTextSource:
    url: str
    schedule: SourceSchedule
    name: str = TEXT_SOURCE

    def poll(self, ctx: PollContext) -> PollResult:
        fetched = ctx.fetch_if_changed(
            self.url, source=self.name, accept="application/xml, text/xml"
        )
        if fetched.not_modified:
            return PollResult(status="not_modified")
        lists = read_regulation_lists(reject_html(fetched, source=self.name))
        with Session(ctx.engine) as session, session.begin():
            outcome = store_regulation_lists(session, lists, now=ctx.now, origin=self.url)
        amended = lists.amended_on.isoformat() if lists.amended_on else None
        return PollResult(
            status="changed" if outcome.status == "applied" else outcome.status,
            changes=outcome.changes,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            cursor={"amended_on": amended, "content_hash": lists.content_hash},
        )

"""The Federal Register API and Public Inspection desk of 2025's affiliates rules, served by the
local `SourceServer` from the reconstructed fixtures in `fixtures/federal_register/part744`.

Facts (numbers, dates, citations, CFR parts, filing times) are those of FR Docs 2025-19001
and 2025-19846; the texts are paraphrases (see the fixtures' PROVENANCE.md).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from tests.conftest import fixture_bytes
from tests.fakes.source_replies import Reply, strong_etag
from tests.fakes.source_server import SourceServer
from watchers.federal_register.settings import FederalRegisterSettings
from watchers.kind_settings import SourcesConfig

DOCUMENTS = "/api/v1/documents.json"
CURRENT = "/api/v1/public-inspection-documents/current.json"
LIVE = "https://www.federalregister.gov"
DESK = "https://public-inspection.federalregister.gov"
BIS_AGENCIES = [
    {
        "raw_name": "DEPARTMENT OF COMMERCE",
        "name": "Commerce Department",
        "slug": "commerce-department",
    },
    {
        "raw_name": "Bureau of Industry and Security",
        "name": "Industry and Security Bureau",
        "slug": "industry-and-security-bureau",
    },
]
# Filing facts of the desk: (filed_at, scheduled publication).
FILINGS = {
    "2025-19001": ("2025-09-29T08:45:00.000-04:00", "2025-09-30"),
    "2025-19846": ("2025-11-10T08:45:00.000-05:00", "2025-11-12"),
    "9999-07440": ("2025-10-17T08:45:00.000-04:00", "2025-10-20"),
    # Hand-made: a BIS rule on the desk that amends part 742 only.
    "9999-07420": ("2025-10-17T08:45:00.000-04:00", "2025-10-20"),
}
NOT_744_TEXT = (
    b"DEPARTMENT OF COMMERCE\n\nBureau of Industry and Security\n\n15 CFR Part 742\n\n"
    b"Hand-made fixture: Control Policy Changes\n\nACTION: Final rule.\n\n"
    b"SUMMARY: BIS revises a control policy in part 742 (hand-made fixture).\n\n"
    b"DATES: This rule is effective October 17, 2025.\n"
)


def _documents() -> dict[str, dict[str, Any]]:
    data = json.loads(fixture_bytes("federal_register", "part744", "documents.json"))
    return {r["document_number"]: r for r in data["results"]}


@dataclass
class Part744Sites:
    server: SourceServer

    def localize(self, payload: object) -> bytes:
        text = json.dumps(payload)
        for host in (LIVE, DESK):
            text = text.replace(host, self.server.base_url)
        return text.encode()

    def serve_documents(
        self, *numbers: str, overrides: dict[str, dict[str, Any]] | None = None
    ) -> None:
        """A documents.json answer holding `numbers` (fields replaced by `overrides`)."""
        known = _documents()
        results = [copy.deepcopy(known[n]) | (overrides or {}).get(n, {}) for n in numbers]
        body = self.localize({"count": len(results), "total_pages": 1, "results": results})
        reply = Reply(body=body, content_type="application/json", etag=strong_etag(body))
        self.server.route_reply(DOCUMENTS, reply)
        for number, result in zip(numbers, results, strict=True):
            if not result["full_text_xml_url"]:
                continue
            path = result["full_text_xml_url"].replace(LIVE, "")
            xml = fixture_bytes("federal_register", "part744", f"{number}.xml")
            self.server.route(path, body=xml, content_type="text/xml", etag=strong_etag(xml))

    def filing(self, number: str, *, raw_text: bool = True) -> dict[str, Any]:
        filed_at, publication = FILINGS[number]
        known = _documents().get(number)
        title = known["title"] if known else "Hand-made fixture: Control Policy Changes"
        return {
            "document_number": number,
            "title": title,
            "type": "Rule",
            "filing_type": "regular",
            "filed_at": filed_at,
            "publication_date": publication,
            "pdf_url": f"{DESK}/{number}.pdf",
            "html_url": f"{LIVE}/public-inspection/{number}/fixture",
            "raw_text_url": f"{DESK}/raw/{number}.txt" if raw_text else None,
            "agencies": BIS_AGENCIES,
            "editorial_note": None,
            "toc_subject": None,
            "toc_doc": None,
        }

    def serve_desk(self, *filings: dict[str, Any]) -> None:
        body = self.localize({"count": len(filings), "results": list(filings)})
        reply = Reply(body=body, content_type="application/json", etag=strong_etag(body))
        self.server.route_reply(CURRENT, reply)
        for filing in filings:
            number = filing["document_number"]
            if number == "9999-07420":
                text = NOT_744_TEXT
            else:
                text = fixture_bytes("federal_register", "part744", f"{number}.txt")
            self.serve_raw_text(number, Reply(body=text, content_type="text/plain"))

    def serve_raw_text(self, number: str, reply: Reply) -> None:
        self.server.route_reply(f"/raw/{number}.txt", reply)

    def config(self, *, baseline_days: int = 30) -> SourcesConfig:
        return SourcesConfig(
            FederalRegisterSettings(
                fr_api_url=self.server.url("/api/v1/"), fr_baseline_days=baseline_days
            )
        )

"""Recorded sources served by the local `SourceServer`, the way the live sites serve them.

The Federal Register JSON fixtures point at the live hosts; `RecordedSites` rewrites
those URLs to the local server so that the watcher follows them there.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from tests.conftest import fixture_bytes
from tests.fakes.source_replies import Reply, strong_etag
from tests.fakes.source_server import SourceServer
from watchers.csl.settings import CslSettings
from watchers.ecfr.settings import EcfrSettings
from watchers.federal_register.settings import FederalRegisterSettings
from watchers.kind_settings import SourcesConfig
from watchers.press.settings import PressSettings

LIVE_HOSTS = (
    "https://www.federalregister.gov",
    "https://public-inspection.federalregister.gov",
    "https://www.govinfo.gov",
)
DOCUMENTS = "/api/v1/documents.json"
PUBLIC_INSPECTION = "/api/v1/public-inspection-documents/current.json"
CSL = "/csl/consolidated.csv"
FEED = "/press/rss.xml"
LISTING = "/news-updates"
ECFR_API = "/api/versioner/v1/"
ECFR_VERSIONS = "/api/versioner/v1/versions/title-15.json"
ECFR_TEXT = "/bulkdata/ECFR/title-15/ECFR-title15.xml"


def _all_fr_results() -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for name in ("documents-page-1.json", "documents-page-2.json"):
        for item in json.loads(fixture_bytes("federal_register", name))["results"]:
            results[item["document_number"]] = item
    return results


@dataclass
class RecordedSites:
    server: SourceServer

    def localize(self, text: str) -> str:
        for host in LIVE_HOSTS:
            text = text.replace(host, self.server.base_url)
        return text

    def json_reply(self, payload: object, *, etag: bool = True) -> Reply:
        body = self.localize(json.dumps(payload)).encode()
        return Reply(
            body=body,
            content_type="application/json; charset=utf-8",
            etag=strong_etag(body) if etag else None,
        )

    def documents_payload(self, *numbers: str) -> dict[str, Any]:
        """A one-page documents.json answer holding the fixture documents `numbers`."""
        known = _all_fr_results()
        results = [copy.deepcopy(known[n]) for n in numbers]
        return {
            "count": len(results),
            "description": "Documents matching Entity List of type Rule from Industry and Security Bureau",
            "total_pages": 1,
            "results": results,
        }

    def serve_documents(self, *numbers: str) -> None:
        self.server.route_reply(DOCUMENTS, self.json_reply(self.documents_payload(*numbers)))

    def serve_rule_xml(self, number: str = "2023-03929") -> str:
        path = "/documents/full_text/xml/2023/02/27/2023-03929.xml"
        body = fixture_bytes("federal_register", f"{number}.xml")
        self.server.route(path, body=body, content_type="text/xml", etag=strong_etag(body))
        return path

    def public_inspection_payload(self, *, number: str = "2019-22210") -> dict[str, Any]:
        payload = json.loads(fixture_bytes("federal_register", "public-inspection-current.json"))
        if number != "2019-22210":
            for item in payload["results"]:
                if item["document_number"] == "2019-22210":
                    item["document_number"] = number
                    item["title"] = "Additions of Entities to the Entity List"
        return dict(payload)

    def serve_public_inspection(self, *, number: str = "2019-22210") -> None:
        reply = self.json_reply(self.public_inspection_payload(number=number))
        self.server.route_reply(PUBLIC_INSPECTION, reply)

    def serve_csl(self, body: bytes | None = None) -> None:
        data = body if body is not None else fixture_bytes("csl", "consolidated-2019-sample.csv")
        self.server.route(CSL, body=data, content_type="text/csv", etag=strong_etag(data))

    def serve_feed(self, body: bytes | None = None) -> None:
        data = body if body is not None else fixture_bytes("press", "press-feed.rss.xml")
        self.server.route(
            FEED, body=data, content_type="application/rss+xml", etag=strong_etag(data)
        )

    def serve_listing(self, name: str = "news-updates-before.html") -> None:
        """The BIS news listing page and the item pages it links to (recorded shape)."""
        data = fixture_bytes("press", f"site/{name}")
        self.server.route(
            LISTING, body=data, content_type="text/html; charset=utf-8", etag=strong_etag(data)
        )
        for slug, page in (
            (
                "haas-automation-pay-over-25-million-combined-civil-penalties-bis-and-ofac-"
                "prohibited-transactions",
                "press-release-haas.html",
            ),
            (
                "commerce-adds-11-entities-entity-list-supporting-prc-military-modernization-and",
                "press-release-eleven.html",
            ),
        ):
            body = fixture_bytes("press", f"site/{page}")
            self.server.route(
                f"/press-release/{slug}", body=body, content_type="text/html; charset=utf-8"
            )

    def serve_ecfr(self, versions: bytes | None = None, text: bytes | None = None) -> None:
        """The eCFR versions answer for part 744 and the title 15 XML (recorded shapes)."""
        answer = versions or fixture_bytes("ecfr", "versions-title-15-part-744.json")
        self.server.route(
            ECFR_VERSIONS, body=answer, content_type="application/json", etag=strong_etag(answer)
        )
        body = text or fixture_bytes("ecfr", "ECFR-title15-part744-excerpt.xml")
        self.server.route(ECFR_TEXT, body=body, content_type="text/xml", etag=strong_etag(body))

    def serve_everything(self) -> None:
        self.serve_documents("2023-03929")
        self.serve_rule_xml()
        self.serve_public_inspection()
        self.serve_csl()
        self.serve_feed()
        self.serve_listing()
        self.serve_ecfr()

    def config(self) -> SourcesConfig:
        return SourcesConfig(
            CslSettings(csl_url=self.server.url(CSL)),
            FederalRegisterSettings(fr_api_url=self.server.url("/api/v1/"), fr_baseline_days=36500),
            PressSettings(
                press_feeds=(self.server.url(FEED),), press_pages=(self.server.url(LISTING),)
            ),
            EcfrSettings(
                ecfr_api_url=self.server.url(ECFR_API), ecfr_text_url=self.server.url(ECFR_TEXT)
            ),
        )

    def environment(self) -> dict[str, str]:
        """The variables that point a process's sources here (the baseline window aside)."""
        return {
            "CSL_URL": self.server.url(CSL),
            "FR_API_URL": self.server.url("/api/v1/"),
            "PRESS_FEEDS": self.server.url(FEED),
            "PRESS_PAGES": self.server.url(LISTING),
            "ECFR_API_URL": self.server.url(ECFR_API),
            "ECFR_TEXT_URL": self.server.url(ECFR_TEXT),
        }

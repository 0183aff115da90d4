"""Stored state for reconciliation tests, written by the real watchers and importer.

FR Doc 2023-03929 (effective 2023-02-24, 13 additions) is recorded by the real
Federal Register watcher after a baseline on an older document, so that its
additions are per-entry changes, as a live rule's are. CSL snapshots go through
the real importer; the eCFR text through the real `ecfr_text` source.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from tests.conftest import fixture_bytes
from tests.fakes.source_replies import strong_etag
from tests.fakes.source_server import SourceServer
from tests.storage.helpers import rewrite_csv
from tests.watchers.recorded import RecordedSites
from watchers.csl.importer import ImportOutcome, import_csl
from watchers.ecfr.settings import EcfrSettings
from watchers.http import HttpFetcher
from watchers.kind_settings import SourcesConfig
from watchers.registry import build_sources
from watchers.runner import PollReport, poll_all

EFFECTIVE = datetime(2023, 2, 24, tzinfo=UTC)
# Eleven days after the rule took effect: the three-day allowance is long over.
LATER = datetime(2023, 3, 7, 9, 0, tzinfo=UTC)
TEXT_PATH = "/bulkdata/ECFR/title-15/ECFR-title15.xml"
VERSIONS_PATH = "/api/versioner/v1/versions/title-15.json"
# The nine parties (thirteen rows) the rule adds, as a later CSL lists them.
RULE_PARTIES = (
    "CPUNTO Inc.",
    "Electronic Network Inc.",
    "AOOK Technology Ltd.",
    "Beijing Ti-Tech Science and Technology Development Co.",
    "Beijing Yunze Technology Co., Ltd.",
    "China HEAD Aerospace Technology Co.",
    "Spacety Co., Ltd.",
    "Dexias Industrial Products and Trade Limited Company",
    "Innovation and Technologies LLC",
    "Promtekhkomplekt JSC",
)


def fetcher() -> HttpFetcher:
    return HttpFetcher(connect_timeout=2.0, read_timeout=5.0, retries=0, backoff=0.0)


def at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def record_rule_2023_03929(engine: Engine, server: SourceServer) -> None:
    sites = RecordedSites(server=server)
    sites.serve_rule_xml()
    (fr,) = build_sources(sites.config(), only="federal_register")
    for documents, moment in (
        (("9999-10002",), EFFECTIVE + timedelta(days=2)),
        (("2023-03929", "9999-10002"), EFFECTIVE + timedelta(days=3)),
    ):
        sites.serve_documents(*documents)
        (report,) = poll_all([fr], engine=engine, fetcher=fetcher(), clock=at(moment), down_after=3)
        assert report.ok, report.error


def sample_with(names: tuple[str, ...]) -> bytes:
    """The 2019 CSL sample with an Entity List row for each of `names`."""

    def add(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        el = next(r for r in rows if r["source"].startswith("Entity List"))
        extra = [dict(el, name=n, alt_names="", addresses="") for n in names]
        return [*rows, *extra]

    return rewrite_csv(fixture_bytes("csl", "consolidated-2019-sample.csv"), add)


def import_snapshot(engine: Engine, data: bytes, *, moment: datetime) -> ImportOutcome:
    return import_csl(engine, data, now=moment, origin="test", max_removed_share=0.5)


def serve_ecfr_text(server: SourceServer, body: bytes | None = None) -> None:
    data = body if body is not None else fixture_bytes("ecfr", "ECFR-title15-part744-excerpt.xml")
    server.route(TEXT_PATH, body=data, content_type="application/xml", etag=strong_etag(data))


def ecfr_config(server: SourceServer) -> SourcesConfig:
    return SourcesConfig(
        EcfrSettings(
            ecfr_api_url=server.url("/api/versioner/v1/"), ecfr_text_url=server.url(TEXT_PATH)
        )
    )


def poll_kind(engine: Engine, server: SourceServer, kind: str, *, moment: datetime) -> PollReport:
    (source,) = build_sources(ecfr_config(server), only=kind)
    (report,) = poll_all([source], engine=engine, fetcher=fetcher(), clock=at(moment), down_after=3)
    return report

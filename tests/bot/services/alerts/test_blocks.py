"""Alert rendering a compliance officer can act on, on real rules polled into a real database.

Each entry shows name (or the address of an address-only entry), aliases, addresses
and country in one style ("China", never "CHINA, PEOPLE'S REPUBLIC OF" or "CN");
license requirement and review policy are stated once per group of identical terms.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.services.alerts.model import ChangeView, Message
from bot.slack.blocks.alert_entries import address_in_words
from bot.slack.blocks.alerts import render_action
from storage.models import ChangeRow, ListEntryRow
from tests.conftest import fixture_bytes
from tests.watchers.recorded import DOCUMENTS, RecordedSites
from watchers.http import HttpFetcher
from watchers.registry import build_sources
from watchers.runner import poll_all

HK_XML = "/documents/full_text/xml/2024/06/18/2024-13148.xml"


def _poll_rules(engine: Engine, sites: RecordedSites, payload: dict[str, Any]) -> None:
    fr = build_sources(sites.config(), only="federal_register")[0]
    fetcher = HttpFetcher(connect_timeout=2.0, read_timeout=2.0, retries=0, backoff=0.0)
    clock_at = [datetime(2026, 11, 2, 9, 0, tzinfo=UTC)]

    def clock() -> datetime:
        clock_at[0] += timedelta(minutes=1)
        return clock_at[0]

    sites.serve_documents("9999-10002")
    (baseline,) = poll_all([fr], engine=engine, fetcher=fetcher, clock=clock, down_after=3)
    assert baseline.error is None
    sites.server.route_reply(DOCUMENTS, sites.json_reply(payload))
    (report,) = poll_all([fr], engine=engine, fetcher=fetcher, clock=clock, down_after=3)
    assert report.error is None, report.error


def _hong_kong_payload(sites: RecordedSites) -> dict[str, Any]:
    # The 2023 rule's API record with the 2024 rule's facts (see fixtures PROVENANCE).
    payload = sites.documents_payload("2023-03929", "9999-10002")
    record = copy.deepcopy(payload["results"][0])
    record.update(
        document_number="2024-13148",
        title="Implementation of Additional Sanctions Against Russia and Belarus Under the "
        "Export Administration Regulations (EAR) and Refinements to Existing Controls; "
        "Entity List additions",
        publication_date="2024-06-18",
        citation="89 FR 51644",
        full_text_xml_url=f"https://www.federalregister.gov{HK_XML}",
    )
    record.pop("effective_on", None)
    payload["results"] = [record, payload["results"][1]]
    sites.server.route(
        HK_XML,
        body=fixture_bytes("federal_register", "2024-13148-hong-kong-addresses.xml"),
        content_type="text/xml",
    )
    return payload


def _action(engine: Engine, number: str) -> list[Message]:
    with Session(engine) as session:
        rows = session.scalars(
            select(ChangeRow).where(ChangeRow.document_number == number).order_by(ChangeRow.id)
        ).all()
        return render_action([ChangeView.of(r) for r in rows])


def _text(messages: list[Message]) -> str:
    return "\n".join(str(b.get("text", {}).get("text", "")) for m in messages for b in m.blocks)


def test_address_only_entries_are_stored_and_alerted_as_addresses(
    engine: Engine, sites: RecordedSites
) -> None:
    _poll_rules(engine, sites, _hong_kong_payload(sites))
    with Session(engine) as session:
        stored = session.scalars(
            select(ListEntryRow).where(ListEntryRow.fr_document == "2024-13148")
        ).all()
    assert len(stored) == 8 and {r.entity_type for r in stored} == {"address"}
    unit_d = "Unit D, 16/F One Capital Place, 18 Luard Rd, Wan Chai, Hong Kong"
    assert any(r.name == unit_d and r.addresses == [unit_d] for r in stored)
    messages = _action(engine, "2024-13148")
    text = _text(messages)
    assert messages[0].text.startswith("Entity List: 8 addresses added (Hong Kong 8)")
    assert f"➕ Address added: *{unit_d}*" in text
    assert "*Unit D*" not in text
    assert text.count("*License requirement:*") == 1  # once for the group of eight
    assert "_applies to the 8 entries below_" in text
    assert "*Effective date:* 2024-06-12" in text  # DATES, not the 2024-06-18 publication


def test_one_country_style_and_terms_once_per_group(engine: Engine, sites: RecordedSites) -> None:
    _poll_rules(engine, sites, sites.documents_payload("2023-03929", "9999-10002"))
    messages = _action(engine, "2023-03929")
    text = _text(messages)
    assert "CHINA, PEOPLE'S REPUBLIC OF" not in text and "RUSSIA ·" not in text
    assert not re.search(r"\b(CN|RU|CA|LU|NL)\b", text)  # ("FR" is the Federal Register)
    assert "China · Entity List" in text and "Russia · Entity List" in text
    # Promtekhkomplekt's requirement cites the sections in another order: two groups.
    assert text.count("*License requirement:*") == 2
    assert "_applies to the 12 entries below_" in text and "_applies to the entry below_" in text
    # Every entity is there with its aliases and addresses.
    assert text.count("➕ *") == 13
    assert "_a.k.a._ CPUNTO" in text
    assert "Address: 5929 Route Transcanadienne Ste 130 St. Laurent, Quebec H4T 1Z6 Canada" in text
    assert "*FR citation:* 88 FR 12170" in text and "*Effective date:* 2023-02-24" in text


def _view(i: int, *, policy: str, list_code: str = "EL", **content: Any) -> ChangeView:
    return ChangeView(
        id=i, source="federal_register", kind="added", list_code=list_code,
        entry_key=f"{list_code}:{i}", entry_name=f"Company {i}",
        before=None, after={"name": f"Company {i}", "countries": ["CN"], "license_policy": policy, **content},
        fields=None, document_number="2026-00001", effective_date=None,
        detected_at=datetime(2026, 11, 2, tzinfo=UTC), summary=None, snapshot_id=None,
    )  # fmt: skip


@pytest.mark.parametrize("groups", [1, 7, 130])
def test_many_entries_and_policies_stay_within_slack_limits(groups: int) -> None:
    views = [_view(i, policy=f"Policy {i % groups}. " + "x" * 2900) for i in range(130)]
    messages = render_action(views)
    assert all(len(m.blocks) <= 50 for m in messages)
    texts = [b["text"]["text"] for m in messages for b in m.blocks if "text" in b]
    assert all(len(t) <= 3000 for t in texts)
    assert sum(t.count("➕ *Company") for t in texts) == 130
    # Every part that continues a group says whose terms its first entries fall under.
    for message in messages[1:]:
        first = message.blocks[1]["text"]["text"]
        assert first.startswith(("*License review policy:*", "➕"))


def test_lists_without_license_columns_name_the_ear_section() -> None:
    views = [
        _view(1, policy="", list_code="UVL", destination="ARMENIA"),
        _view(2, policy="", list_code="MEU"),
    ]
    text = _text(render_action(views))
    assert "as § 744.15 of the EAR sets them for the Unverified List" in text
    assert "as § 744.21 of the EAR sets them for the Military End-User List" in text
    assert "Armenia, China · Unverified List" in text  # the destination first


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("Rm 803 Chevalier Building 45-51 Chatham Rd S Tsim Sha Tsui Hong Kong, China, CN",
         "Rm 803 Chevalier Building 45-51 Chatham Rd S Tsim Sha Tsui Hong Kong, China"),
        ("4th Floor, 189 Marsh Wall, London, E14 9SH, GB", "4th Floor, 189 Marsh Wall, London, E14 9SH, United Kingdom"),
        ("Lot Number 155, Al Zaroni Yard, Al Wasl Road, Dubai, UAE, AE", "Lot Number 155, Al Zaroni Yard, Al Wasl Road, Dubai, UAE"),
        ("TR", "Türkiye"),
        ("12 Main Road, Springfield", "12 Main Road, Springfield"),
    ],
)  # fmt: skip
def test_csl_address_codes_are_written_as_country_names(address: str, shown: str) -> None:
    assert address_in_words(address) == shown

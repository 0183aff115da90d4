"""Press extraction, issue 18 item 6: the families real releases were misread in.

Every text here is written for this test, with invented party names: names holding full
stops, runs of countries, removals with their names, parties mentioned only as listed
before, and `/node/NNNN` links on a listing page. The real texts of each family are in the
development set (tests/fixtures/press/dev/35-45, `python -m bench.bench_press`).
"""

from __future__ import annotations

import pytest

from watchers.press.announcement import extract_announcement
from watchers.press.listing import parse_listing
from watchers.press.sentences import split_sentences

BASE = "https://www.bis.gov/news-updates"


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        (
            "Department of Commerce Announces the Addition of Quillfern Photonics Co. Ltd. to"
            " the Entity List",
            "Quillfern Photonics Co. Ltd.",
            None,
        ),
        (
            "BIS added Marrowgate Sensors Co., Ltd. of China to the Entity List on Tuesday.",
            "Marrowgate Sensors Co., Ltd.",
            "CN",
        ),
        (
            "Commerce placed Velmont Optics Pte. Ltd. of Singapore on the Entity List today.",
            "Velmont Optics Pte. Ltd.",
            "SG",
        ),
        (
            "The agency added Ostara Valve S.A. of Spain to the Entity List for diversion.",
            "Ostara Valve S.A.",
            "ES",
        ),
        (
            "Brackwater Instruments Inc. was placed on the Bureau of Industry and Security’s"
            " Entity List on Monday.",
            "Brackwater Instruments Inc.",
            None,
        ),
    ],
    ids=["co-ltd-headline", "co-comma-ltd-of-country", "pte-ltd", "s-a", "agency-possessive"],
)
def test_a_name_holding_full_stops_is_read_as_the_party_of_the_action(
    text: str, name: str, country: str | None
) -> None:
    found = extract_announcement(text)
    assert found.is_list_action
    assert (found.lists, found.action) == (("EL",), "add")
    assert found.organisations == (name,)
    assert found.countries == ((country,) if country else ())


def test_company_forms_do_not_end_a_sentence() -> None:
    text = "BIS added Tessaly Pvt. Ltd. and Corvane B.V. to the list. The rule is effective now."
    assert split_sentences(text) == [
        "BIS added Tessaly Pvt. Ltd. and Corvane B.V. to the list.",
        "The rule is effective now.",
    ]


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        (
            "BIS added 19 entities to the Entity List. These parties are located in the"
            " People’s Republic of China (PRC), as well as Armenia, Kazakhstan, Türkiye, the"
            " United Arab Emirates (UAE), and the United Kingdom (UK).",
            ("CN", "AM", "KZ", "TR", "AE", "GB"),
        ),
        (
            "Commerce adds 12 entities to the Entity List. Others from Egypt, Oman, Lebanon and"
            " Pakistan have also been added for diversion.",
            ("EG", "OM", "LB", "PK"),
        ),
        (
            "BIS added nine entities to the Entity List, based in Yerevan, Armenia, Almaty,"
            " Kazakhstan and Tashkent, Uzbekistan.",
            ("AM", "KZ", "UZ"),
        ),
        (
            "BIS added four entities to the Entity List (89 FR 12345), located in Georgia and"
            " Kyrgyzstan.",
            ("GE", "KG"),
        ),
    ],
    ids=["as-well-as", "prose-after-the-last", "cities-before-countries", "fr-citation"],
)
def test_a_run_of_countries_gives_every_country(text: str, countries: tuple[str, ...]) -> None:
    found = extract_announcement(text)
    assert found.is_list_action
    assert found.countries == countries


def test_the_names_a_revision_removes_are_extracted_as_removals() -> None:
    text = (
        "Commerce Makes Revisions to the Entity List\n"
        "BIS today added six entities under the destination of Iran to the Entity List. "
        "After a review of requests, BIS is also removing two entries under the destination "
        "of Malaysia. The removal of Malaysian entities Pelangi Harbour Logistics Sdn. Bhd. and "
        "Kemuning Avionics Berhad will allow ordinary trade to resume."
    )
    found = extract_announcement(text)
    assert (found.lists, found.action) == (("EL",), "add")
    assert found.removed == ("Pelangi Harbour Logistics Sdn. Bhd.", "Kemuning Avionics Berhad")
    assert set(found.removed) <= set(found.organisations)
    assert found.countries == ("IR", "MY")


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        (
            "BIS removed Tarnwick Logistics Ltd. and Ostrel Holdings Inc. from the Entity List.",
            ("Tarnwick Logistics Ltd.", "Ostrel Holdings Inc."),
        ),
        (
            "BIS removed two parties from its Unverified List. The notice removes Austria-based"
            " Felsbach Antriebe GmbH and Quorra Metrology GmbH from the list after checks.",
            ("Felsbach Antriebe GmbH", "Quorra Metrology GmbH"),
        ),
        (
            "BIS revised the Entity List. Lindqvist Marine AB and Rantala Optics Oy were removed"
            " from the Entity List after a review.",
            ("Lindqvist Marine AB", "Rantala Optics Oy"),
        ),
        (
            "BIS removed three entities from the Unverified List.\nRemoved from the UVL were:\n"
            "• Halvard Precision Tools Co., Ltd., Ningbo, China;\n"
            "• and Sorvik Test Labs Ltd., Lagos, Nigeria.",
            ("Halvard Precision Tools Co., Ltd.", "Sorvik Test Labs Ltd."),
        ),
    ],
    ids=["verb-object", "from-the-list", "passive", "bullets"],
)
def test_removals_with_their_names(text: str, removed: tuple[str, ...]) -> None:
    found = extract_announcement(text)
    assert found.is_list_action and found.action == "remove"
    assert found.removed == removed


def test_a_removal_of_barriers_names_nobody() -> None:
    text = (
        "BIS added Perrault Cryogenics SARL to the Entity List. The removal of barriers to"
        " trade with allies remains a goal."
    )
    found = extract_announcement(text)
    assert found.removed == ()
    assert found.organisations == ("Perrault Cryogenics SARL",)


@pytest.mark.parametrize(
    "text",
    [
        "BIS added Brindle Avionics LLC to the Entity List for supplying Kestrow Dynamics Co.,"
        " Ltd., which was added to the Entity List in 2021.",
        "BIS added Brindle Avionics LLC to the Entity List. It bought parts for affiliates of"
        " Taiyuan Kestrow Dynamics Co., Ltd. -- added to the Entity List in 2019 -- in Asia.",
        "BIS added Brindle Avionics LLC to the Entity List for supplying the Kestrow Dynamics"
        " Research Center, an entity on the BIS Entity List.",
        "BIS added Brindle Avionics LLC to the Entity List for diverting items to Entity Listed"
        " party Kestrow Dynamics Corp.",
        "BIS added Brindle Avionics LLC to the Entity List. Those listed parties include the"
        " maker Kestrow Dynamics Corporation and its unit Kestrow Northern Works Co., Ltd.",
        "BIS added Brindle Avionics LLC to the Entity List for supplying Kestrow Dynamics"
        " Corp., which is already on the Entity List.",
        "BIS added Brindle Avionics LLC to the Entity List for supplying Kestrow Dynamics"
        " Corp., who were on BIS's Entity List before.",
    ],
    ids=[
        "which-was-added",
        "dashes-with-year",
        "an-entity-on",
        "entity-listed-party",
        "subject",
        "which-is-on-the-list",
        "who-were-on-bis-list",
    ],
)
def test_a_party_only_mentioned_as_listed_is_not_reported(text: str) -> None:
    found = extract_announcement(text)
    assert found.is_list_action and found.action == "add"
    assert found.organisations == ("Brindle Avionics LLC",)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Commerce adds Hollowmere Avionics Ltd., which is focused on satellite navigation,"
            " to the Entity List.",
            "Hollowmere Avionics Ltd.",
        ),
        (
            "Commerce adds Dravenholt Systems GmbH, who are on record as suppliers to the"
            " navy, to the Entity List.",
            "Dravenholt Systems GmbH",
        ),
        (
            "BIS added Pellinor Microwave Co., which was founded on Jeju Island, to the Entity"
            " List.",
            "Pellinor Microwave Co.",
        ),
        (
            "BIS added Quarrendon Marine Co., which is on the front line of hull design, to"
            " the Entity List.",
            "Quarrendon Marine Co.",
        ),
        (
            "BIS added Sorrelby Optics Ltd., which is already on track to double output, to"
            " the Entity List.",
            "Sorrelby Optics Ltd.",
        ),
    ],
    ids=["focused-on", "on-record", "founded-on", "on-the-front-line", "already-on-track"],
)
def test_a_which_clause_with_on_but_no_list_keeps_the_party(text: str, name: str) -> None:
    found = extract_announcement(text)
    assert found.is_list_action and found.action == "add"
    assert found.organisations == (name,)


def test_a_listing_keeps_links_to_node_addresses() -> None:
    page = (
        b"<html><body><div class='news'>"
        b"<div><a href='/node/8123'>Commerce Adds Five Entities to the Entity List</a></div>"
        b"<div><a href='https://www.bis.gov/node/8120/'>Revisions to the Entity List</a></div>"
        b"<div><a href='/node/about'>About us</a></div>"
        b"<div><a href='/press-release/older-one'>An Older Release</a></div>"
        b"</div></body></html>"
    )
    items = parse_listing(page, base_url=BASE)
    assert [i.link for i in items] == [
        "https://www.bis.gov/node/8123",
        "https://www.bis.gov/node/8120/",
        "https://www.bis.gov/press-release/older-one",
    ]

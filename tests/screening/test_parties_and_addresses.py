"""One result per party, "N more" per list, and address screening (issue 9, items 4 and 5)."""

from __future__ import annotations

import pytest

from screening import MATCH, NO_MATCH, REVIEW, ScreeningEntry, ScreeningIndex
from screening.addresses import looks_like_address


def _entry(key: str, name: str, *, list_code: str = "DPL", **fields: object) -> ScreeningEntry:
    return ScreeningEntry(entry_key=key, list_code=list_code, name=name, **fields)  # type: ignore[arg-type]


def test_rows_of_one_party_are_one_result_with_every_country() -> None:
    index = ScreeningIndex.build(
        [
            _entry("DPL:a@1", "Orlov Marine Supply", countries=("AE",)),
            _entry("DPL:a@2", "ORLOV MARINE SUPPLY", countries=("TR",)),
            _entry("DPL:a@3", "Orlov  Marine Supply", countries=("AE", "CY")),
            _entry("EL:orlov", "Orlov Marine Supply", list_code="EL", countries=("RU",)),
            _entry("DPL:b", "Orlov Shipping Agency", countries=("GE",)),
        ]
    )
    answer = index.screen("Orlov Marine Supply", limit=5)
    dpl = [r for r in answer.results if r.entry.list_code == "DPL"]
    # Three rows of one party: one result, not three.
    assert len(dpl) == 1
    party = dpl[0]
    assert party.entry.name.casefold().split() == ["orlov", "marine", "supply"]
    assert party.countries == ("AE", "TR", "CY")
    assert set(party.entry_keys) == {"DPL:a@1", "DPL:a@2", "DPL:a@3"}
    assert party.as_dict()["countries"] == ["AE", "TR", "CY"]
    # The same name on another list is another result.
    assert [r.entry.list_code for r in answer.results].count("EL") == 1
    assert answer.omitted == {}


def test_left_out_candidates_are_counted_per_list() -> None:
    entries = [
        _entry(f"EL:{n}", f"Zentravia Avionics Branch {n}", list_code="EL") for n in range(9)
    ]
    entries += [
        _entry(f"SDN:{n}", f"Zentravia Avionics Office {n}", list_code="SDN") for n in range(3)
    ]
    answer = ScreeningIndex.build(entries).screen("Zentravia Avionics", limit=5)
    assert len(answer.results) == 5
    shown = {code: sum(r.entry.list_code == code for r in answer.results) for code in ("EL", "SDN")}
    assert answer.omitted == {
        code: total - shown[code] for code, total in (("EL", 9), ("SDN", 3)) if total > shown[code]
    }
    assert answer.omitted_total == 7
    assert answer.as_dict()["omitted"] == answer.omitted


def test_family_members_are_ranked_by_the_distinguishing_tail(csl_index: ScreeningIndex) -> None:
    (best, *_) = csl_index.search("Huawei Technologies De Mexico", limit=5)
    assert best.entry.name == "Huawei Technologies De Mexico S.A."
    assert best.band == MATCH


def test_search_keeps_returning_a_list(csl_index: ScreeningIndex) -> None:
    results = csl_index.search("Hikvision", limit=3)
    assert isinstance(results, list)
    assert [r.entry.entry_key for r in results] == [
        r.entry.entry_key for r in csl_index.screen("Hikvision", limit=3).results
    ]


ADDRESS_ONLY = "Unit 7, 21/F Harbourfront Tower, 33 Kestrel Road, Kwun Tong, Kowloon, Hong Kong"


@pytest.fixture(scope="module")
def address_index() -> ScreeningIndex:
    return ScreeningIndex.build(
        [
            _entry("EL:addr", ADDRESS_ONLY, list_code="EL", entity_type="address"),
            _entry(
                "EL:brightwave",
                "Brightwave Components Limited",
                list_code="EL",
                entity_type="Entity",
                addresses=(
                    "Room 1502, 15/F, Meridian Plaza, 8 Canal Street, Sheung Wan, Hong Kong",
                ),
            ),
            _entry("EL:unit", "Unit Seven Holdings", list_code="EL", entity_type="Entity"),
        ]
    )


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("Unit 7, 21/F, Harbourfront Tower, 33 Kestrel Rd, Kwun Tong, Kowloon", "EL:addr"),
        ("21/F Harbourfront Tower 33 Kestrel Road Hong Kong Unit 7", "EL:addr"),
        ("Rm 1502, 15/F Meridian Plaza, 8 Canal St, Sheung Wan", "EL:brightwave"),
    ],
)
def test_address_query_finds_address_entries(
    address_index: ScreeningIndex, query: str, key: str
) -> None:
    (best, *_) = address_index.search(query, limit=3)
    assert best.entry.entry_key == key
    assert best.band in (MATCH, REVIEW)
    assert best.matched_on == "address"
    assert best.as_dict()["matched_on"] == "address"
    assert best.why.startswith("matched on the address")


def test_another_house_number_is_not_a_match(address_index: ScreeningIndex) -> None:
    results = address_index.search("Unit 9, 12/F Harbourfront Tower, 35 Kestrel Road", limit=3)
    assert all(r.band != MATCH for r in results)


def test_address_only_entry_is_not_a_company_name(address_index: ScreeningIndex) -> None:
    # "Unit" and "Tower" are words of the address entry, not a company called "Unit D".
    assert all(r.entry.entry_key != "EL:addr" for r in address_index.search("Harbourfront Tower"))
    (best,) = address_index.search("Unit Seven Holdings", limit=3)
    assert best.entry.entry_key == "EL:unit"
    assert best.matched_on == "name"


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Unit D, 16/F One Capital Place, 18 Luard Rd, Wan Chai, Hong Kong", True),
        ("1600 Amphitheatre Parkway, Mountain View, CA 94043", True),
        ("Room 1203, Tower 2, 89 Queensway", True),
        ("ul. Tverskaya 7, Moscow 125009", True),
        ("3M Company", False),
        ("7-Eleven, Inc.", False),
        ("Brigade 44", False),
        ("Huawei Technologies Co., Ltd.", False),
        ("Fourth Street Holdings", False),
    ],
)
def test_looks_like_address(text: str, address: bool) -> None:
    assert looks_like_address(text) is address


def test_addresses_add_no_false_matches_for_company_names(csl_index: ScreeningIndex) -> None:
    for query in ("Pacific Coast Fasteners Inc.", "Westfield Manufacturing Company", "3M Company"):
        assert all(r.matched_on == "name" for r in csl_index.search(query, limit=10))
        assert all(r.band == NO_MATCH for r in csl_index.search(query, limit=10))


def test_csl_addresses_are_screened(csl_index: ScreeningIndex) -> None:
    assert csl_index.address_count > 10_000
    (best, *_) = csl_index.search("P.O. Box 3067, Holetown, St. James, Barbados", limit=3)
    assert best.matched_on == "address"
    assert best.band in (MATCH, REVIEW)

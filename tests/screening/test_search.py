from __future__ import annotations

import dataclasses
import json

import pytest

from screening import MATCH, NO_MATCH, REVIEW, ScreeningEntry, ScreeningIndex, Thresholds


def _top(index: ScreeningIndex, query: str) -> tuple[str, str, str]:
    (best, *_) = index.search(query, limit=5)
    return best.entry.list_code, best.entry.name, best.band


@pytest.mark.parametrize(
    ("query", "list_code", "name_part"),
    [
        ("Hikvision", "EL", "Hikvision"),
        ("hikvison", "EL", "Hikvision"),
        ("海康威视", "EL", "Hikvision"),
        ("Dahua", "EL", "Dahua"),
        ("Megvii", "EL", "Megvii"),
        ("Sugon", "EL", "Sugon"),
        ("华为", "EL", "Huawei"),
        ("BUAA", "EL", "BUAA"),
        ("Beihang University", "EL", "BUAA"),
        ("Peoples Liberation Army", "SDN", "PEOPLE'S LIBERATION ARMY"),
    ],
)
def test_well_known_names_are_matches(
    csl_index: ScreeningIndex, query: str, list_code: str, name_part: str
) -> None:
    results = csl_index.search(query, limit=5)
    assert any(
        r.entry.list_code == list_code
        and (name_part in r.entry.name or name_part in r.matched_name)
        and r.band == MATCH
        for r in results
    ), [(r.entry.name, r.band) for r in results]


@pytest.mark.parametrize(
    "query",
    ["Lockheed Martin Corporation", "SAP SE", "3M Company", "Apple Inc.", "Siemens AG"],
)
def test_ordinary_companies_are_not_matches(csl_index: ScreeningIndex, query: str) -> None:
    assert all(r.band != MATCH for r in csl_index.search(query, limit=10))


def test_surname_alias_does_not_flag_a_company(csl_index: ScreeningIndex) -> None:
    # A listed person's surname alias covers only part of a company's name.
    results = csl_index.search("Lockheed Martin Corporation", limit=10)
    assert all(r.band == NO_MATCH for r in results), [(r.matched_name, r.band) for r in results]


def test_company_query_against_a_person_is_marked() -> None:
    index = ScreeningIndex.build(
        [
            ScreeningEntry(
                entry_key="k", list_code="SDN", name="KESTRELOV, Arkady", entity_type="Individual"
            )
        ]
    )
    (result,) = index.search("Arkady Kestrelov Corporation")
    assert "person" in result.why
    assert result.explanation.notes == ("one name is a company's, the other a person's",)


def test_explanation_names_agreed_differed_and_ignored(csl_index: ScreeningIndex) -> None:
    (result,) = [
        r
        for r in csl_index.search("Chengdu Huawei Technologies Investment", limit=50)
        if r.entry.name.startswith("Chengdu Huawei Technologies")
    ]
    explanation = result.explanation
    assert {a.name for a in explanation.agreed} == {"chengdu", "huawei", "technology"}
    ignored = {(i.token, i.side, i.reason) for i in explanation.ignored}
    assert ("investment", "query", "generic word") in ignored
    assert ("ltd", "name", "legal form") in ignored
    assert ("sichuan", "name", "qualifier") in ignored
    assert "ignored: investment (generic word)" in result.why
    assert result.matched_name == "Chengdu Huawei Technologies Co., Ltd., Chengdu, Sichuan"


def test_explanation_as_dict_is_every_field(csl_index: ScreeningIndex) -> None:
    # as_dict is written out for speed; it must still carry every field, nested ones too.
    (result, *_) = csl_index.search("Chengdu Huawei Technology Co Ltd Germany")
    explanation = result.explanation
    assert explanation.agreed and explanation.ignored
    assert explanation.as_dict() == dataclasses.asdict(explanation) | {
        "agreed": [dataclasses.asdict(a) for a in explanation.agreed],
        "ignored": [dataclasses.asdict(i) for i in explanation.ignored],
        "query_only": list(explanation.query_only),
        "name_only": list(explanation.name_only),
        "notes": list(explanation.notes),
    }


def test_country_after_the_name_differs() -> None:
    entry = ScreeningEntry(entry_key="k", list_code="EL", name="Lanterna Optics Co., Ltd.")
    (result,) = ScreeningIndex.build([entry]).search("Lanterna Optics Germany GmbH")
    assert result.band == REVIEW
    assert result.explanation.query_only == ("germany",)


def test_city_prefix_left_out_is_ignored() -> None:
    entry = ScreeningEntry(
        entry_key="k", list_code="EL", name="Wuxi Lanterna Optics Co., Ltd.", entity_type="Entity"
    )
    (result,) = ScreeningIndex.build([entry]).search("Lanterna Optics")
    assert result.band == MATCH
    assert ("wuxi", "name", "place") in {
        (i.token, i.side, i.reason) for i in result.explanation.ignored
    }


def test_typo_is_shown_in_explanation(csl_index: ScreeningIndex) -> None:
    best = csl_index.search("Hikvison", limit=1)[0]
    assert best.explanation.agreed[0].query == "hikvison"
    assert best.explanation.agreed[0].name == "hikvision"
    assert "hikvison~hikvision" in best.why


def test_as_dict_has_the_cli_keys_and_is_json(csl_index: ScreeningIndex) -> None:
    result = csl_index.search("Hikvision", limit=1)[0]
    data = result.as_dict()
    keys = {
        "name",
        "entry_name",
        "list",
        "score",
        "band",
        "country",
        "fr_citation",
        "why",
        "entry_key",
        "source",
    }
    assert keys <= data.keys()
    assert data["list"] in ("EL", "CMIC")
    assert data["source"] == "CSL"
    json.dumps(data)


def test_thresholds_change_bands_not_ranking(csl_index: ScreeningIndex) -> None:
    default = csl_index.search("hikvison", limit=3)
    strict = csl_index.search("hikvison", limit=3, thresholds=Thresholds(match=0.99, review=0.95))
    assert [r.entry.entry_key for r in default] == [r.entry.entry_key for r in strict]
    assert default[0].band == MATCH
    assert strict[0].band == NO_MATCH


def test_results_are_one_per_entry_best_first(csl_index: ScreeningIndex) -> None:
    results = csl_index.search("Huawei Technologies", limit=10)
    keys = [r.entry.entry_key for r in results]
    assert len(keys) == len(set(keys))
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_len_counts_entries(csl_entries: list[ScreeningEntry], csl_index: ScreeningIndex) -> None:
    assert len(csl_index) == len(csl_entries) == 14160


def test_entry_not_yet_on_the_csl() -> None:
    entry = ScreeningEntry(
        entry_key="EL:example",
        list_code="EL",
        name="Shenzhen Example Microelectronics Co., Ltd.",
        source="FR 2023-03929",
        fr_citations=("88 FR 12345",),
        countries=("CN",),
    )
    index = ScreeningIndex.build([entry])
    (result,) = index.search("Example Microelectronics")
    assert result.band == MATCH
    assert result.as_dict()["source"] == "FR 2023-03929"
    assert result.as_dict()["fr_citation"] == "88 FR 12345"


@pytest.mark.parametrize(
    ("listed", "query", "band"),
    [
        ("D COMPANY", "3M Company", None),
        ("SE", "SAP SE", None),
        ("MARTIN, John", "Lockheed Martin Corporation", None),
        # Without the "Hikvision" alias the CSL carries, the brand alone is a review.
        ("Hangzhou Hikvision Digital Technology Co., Ltd.", "Hikvision", REVIEW),
        ("Hangzhou Hikvision Digital Technology Co., Ltd.", "Hikvision Digital Tech", MATCH),
        ("Hikvision", "Hikvision USA", REVIEW),
        ("Siemens AG", "SiemensAG", MATCH),
        ("Tactical Missiles Corporation JSC", "JSC Tactical Missiles Corp.", MATCH),
        # Two words written as one, the second indexed in its one spelling ("technology").
        ("Borealis Technologies Ltd.", "Borealistechnologies Ltd", MATCH),
        # A word written as two, its first half an abbreviation on its own ("Elec").
        ("Kestrel Electronic Systems", "Kestrel Elec tronic Systems", MATCH),
        # "кс" written "ks" on the list and "x" in the query, and the other way round.
        ("Maksimov Avionics JSC", "Maximov Avionics", MATCH),
        ("Alexov Shipyard", "Aleksov Shipyard", MATCH),
        # At the end of a word "ks" is a plural, not "x".
        ("Marks Electronics Ltd", "Marx Electronics", None),
        # A word of a legal phrase is not mended into another legal word ...
        ("Boreal Kestrel SARL", "Boreal Kestrel Societe a Responsabilite Limitee", MATCH),
        # ... and a word with another letter is another word, not a slip.
        ("Surge Limiter Technologies", "Surge Technologies", REVIEW),
        # The listed "Ltd." typed out in full, with a slip.
        ("Quillon Marine Ltd.", "Quillon Marine Limitted", MATCH),
        # A short half is not read as an abbreviation: "Infosys" is not "info systems".
        ("Information Systems Bureau", "Infosys Limited", None),
        # A query that gives two names, as counterparty files do, is screened as each:
        # the other name's words do not count against the one that is listed.
        ("Tarnwick Fasteners Ltd.", "Halloran Supply Co (f.k.a. Tarnwick Fasteners Ltd.)", MATCH),
        ("Tarnwick Fasteners Ltd.", "Halloran Supply Co d/b/a Tarnwick Fasteners", MATCH),
        ("Tarnwick Fasteners Ltd.", "Tarnwick Fasteners Ltd., a.k.a. Halloran Supply", MATCH),
        # "AKA" first is the name's own word, not a marker; a marker at the end names
        # nothing more.
        ("AKA Tarnwick Ltd.", "AKA Tarnwick", MATCH),
        ("Tarnwick Fasteners Ltd.", "Tarnwick Fasteners Ltd. a.k.a.", MATCH),
        # A bare "Aka" in title case is a word ("red" in Japanese), not a marker.
        ("Kogyo Co., Ltd.", "Tokyo Aka Kogyo Co., Ltd.", None),
        # A listed accented letter that the list's file garbled ("o" with diaeresis written
        # in code page 437, read as Windows-1252) is still found by the name as written.
        ("Veldhoven Co”peratief U.A.", "Veldhoven Coöperatief U.A.", MATCH),
        # A person's query with a middle name or patronymic the list lacks, in either order.
        ("SIDOROV, Ivan", "Ivan Petrovich Sidorov", REVIEW),
        ("SIDOROV, Ivan", "Sidorov Ivan Petrovich", REVIEW),
        # ... but one agreeing word is not enough to forgive the rest.
        ("SIDOROV, Ivan", "Petrovich Sidorov", None),
        # An initial stands for a given name that begins with it, and for no other.
        ("QUILLBY, Francesca", "F. Quillby", REVIEW),
        ("QUILLBY, Marta", "F. Quillby", None),
        # An initial is not a typo of the word after it ("lquillby" is one edit from it).
        ("Quillby Logistics GmbH", "L. Quillby", None),
        # Vowels that transliterations spell two ways, two edits apart in short words.
        ("KAREEM, Nadeem", "Nadim Karim", REVIEW),
        ("HAMDUN, Yousuf", "Yusuf Hamdoon", REVIEW),
        ("VOLKANOV, Dmitry", "Dmitrii Volkanov", MATCH),
        # The city of a branch after the name, as a vendor record writes it.
        ("Quillon Marine Ltd.", "Quillon Marine Ltd. - Moscow", REVIEW),
        ("Quillon Marine Ltd.", "Quillon Marine, Tehran", REVIEW),
        # A subsidiary named with its country's own name for itself.
        ("Quillon Marine AG", "Quillon Marine Schweiz AG", REVIEW),
        ("Quillon Marine Ltd.", "Quillon Marine Polska Sp. z o.o.", REVIEW),
        # Initials typed without dots are not joined: "Sp z o o" is a legal form, and each
        # initial of "F. M. Quillby" stands for a given name.
        ("Quillon Electronics Sp. z o.o.", "Quillon Electronics Sp z o o", MATCH),
        ("QUILLBY, Francesca Maria", "F. M. Quillby", REVIEW),
    ],
)
def test_single_entry_bands(listed: str, query: str, band: str | None) -> None:
    entity_type = "Individual" if "," in listed else "Entity"
    index = ScreeningIndex.build(
        [ScreeningEntry(entry_key="k", list_code="SDN", name=listed, entity_type=entity_type)]
    )
    results = index.search(query)
    got = results[0].band if results else None
    assert got == band or (band is None and got == NO_MATCH)


def test_a_joined_name_outranks_names_that_share_only_its_first_half() -> None:
    """Tried: "Engineeringsolutions" beside 70 two-word names with "Engineering"; without
    the credit for holding both halves, those fill the candidates and the one name with
    both is never aligned."""
    others = [
        ScreeningEntry(
            entry_key=f"k{n}", list_code="SDN", name=f"Engineering {chr(65 + n % 26)}x{n}"
        )
        for n in range(70)
    ]
    wanted = ScreeningEntry(
        entry_key="wanted", list_code="EL", name="Engineering Solutions Pvt. Ltd."
    )
    index = ScreeningIndex.build([*others, wanted])
    top = index.search("Engineeringsolutions Pvt. Ltd.")[0]
    assert (top.entry.entry_key, top.band) == ("wanted", MATCH)


def test_a_result_found_by_one_name_of_the_query_says_which() -> None:
    index = ScreeningIndex.build(
        [ScreeningEntry(entry_key="k", list_code="EL", name="Tarnwick Fasteners Ltd.")]
    )
    (result,) = index.search("Halloran Supply Co (f.k.a. Tarnwick Fasteners Ltd.)")
    assert result.explanation.screened_as == "Tarnwick Fasteners Ltd."
    assert "screened as 'Tarnwick Fasteners Ltd.', a name the query gives" in result.why
    (plain,) = index.search("Tarnwick Fasteners")
    assert plain.explanation.screened_as is None
    # A closing bracket or a space at the end is not a second name.
    (bracketed,) = index.search("Tarnwick Fasteners (Ltd.) ")
    assert bracketed.explanation.screened_as is None

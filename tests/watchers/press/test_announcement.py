"""Reading the list action out of press text, on the real 2019 seed and short cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchers.press.announcement import extract_announcement
from watchers.press.feed import parse_feed
from watchers.press.number_words import parse_count

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "press"
SEED = FIXTURES / "2019-10-entity-list-28-chinese-organizations.txt"


def test_the_2019_seed() -> None:
    announcement = extract_announcement(SEED.read_text(encoding="utf-8"))
    assert announcement.lists == ("EL",)
    assert announcement.action == "add"
    assert announcement.count == 28
    assert announcement.countries == ("CN",)
    assert {"Dahua", "Hikvision"} <= set(announcement.organisations)
    assert announcement.is_list_action


@pytest.mark.parametrize("feed", ["press-feed.rss.xml", "press-feed.atom.xml"])
def test_only_the_seed_item_of_a_feed_is_a_list_action(feed: str) -> None:
    items = parse_feed((FIXTURES / feed).read_bytes())
    actions = [extract_announcement(f"{i.title}\n{i.summary}").is_list_action for i in items]
    assert actions == [True, False, False]


@pytest.mark.parametrize(
    ("text", "lists", "action", "count", "countries", "organisations"),
    [
        (
            "Commerce Adds Twenty-Eight Russian and Belarusian Parties"
            " to the Military End-User List",
            ("MEU",),
            "add",
            28,
            ("RU", "BY"),
            (),
        ),
        (
            "BIS removes two Pakistani entities from the Entity List.",
            ("EL",),
            "remove",
            2,
            ("PK",),
            (),
        ),
        (
            "BIS revises three entries on the Unverified List under the UAE.",
            ("UVL",),
            "revise",
            3,
            ("AE",),
            (),
        ),
        (
            "BIS adds seven entities to the Entity List, including Zhuhai Orbita Control Systems"
            " Co., Ltd. and CASC 9th Academy 771 Research Institute.",
            ("EL",),
            "add",
            7,
            (),
            ("Zhuhai Orbita Control Systems Co., Ltd.", "CASC 9th Academy 771 Research Institute"),
        ),
        (
            "Secretary to lead trade mission to India.",
            (),
            None,
            None,
            ("IN",),
            (),
        ),
        (
            "Remarks on the role of the Entity List in export enforcement.",
            ("EL",),
            None,
            None,
            (),
            (),
        ),
    ],
)
def test_short_texts(
    text: str,
    lists: tuple[str, ...],
    action: str | None,
    count: int | None,
    countries: tuple[str, ...],
    organisations: tuple[str, ...],
) -> None:
    announcement = extract_announcement(text)
    assert announcement.lists == lists
    assert announcement.action == action
    assert announcement.count == count
    assert announcement.countries == countries
    assert announcement.organisations == organisations
    assert announcement.is_list_action is (action is not None)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("28", 28),
        ("twenty-eight", 28),
        ("Forty three", 43),
        ("one hundred and four", 104),
        ("1,200", 1200),
        ("several", None),
    ],
)
def test_counts_in_digits_and_words(text: str, value: int | None) -> None:
    assert parse_count(text) == value


# Hand-written sentences, one per rule of the extractor (the real texts are in
# tests/fixtures/press/dev and check, scored in test_press_dev_set.py).
@pytest.mark.parametrize(
    ("text", "is_action", "lists", "action", "countries"),
    [
        # a relative clause describes a past listing; the lead is a penalty
        ("Exporter to pay $1 million penalty. The shipments went to parties that were added "
         "to the Entity List in 2020.", False, (), None, ()),
        # "criteria for addition" is no addition
        ("BIS revises the criteria for addition to the Entity List.", False, (), None, ()),
        # news wording; the reason clause names no destination
        ("Commerce puts 12 Chinese firms on its trade blacklist for supporting Iran's drone "
         "program.", True, ("EL",), "add", ("CN",)),
        # a temporary denial order is the Denied Persons List; renewing one revises it
        ("BIS renews the temporary denial order against an airline based in Kazan, Russia.",
         True, ("DPL",), "revise", ("RU",)),
        ("BIS issued a temporary denial order for Iranian carrier Mahan Air.",
         True, ("DPL",), "add", ("IR",)),
        # every country of a destination run, not the first one only
        ("BIS added 9 entities to the Entity List: 7 in Russia, one in Armenia and one in "
         "Kyrgyzstan.", True, ("EL",), "add", ("RU", "AM", "KG")),
        # history in the passive, after the lead, is not the news
        ("Chipmaker opens a plant in Ohio. The plant will employ 500 people. Production starts "
         "next year. Its Chinese rival was placed on the Entity List in 2019.",
         False, (), None, ()),
        # a speech that names an action is still a speech
        ("Remarks by the Under Secretary at the BIS Update Conference. Last year we added 300 "
         "entities to the Entity List.", False, ("EL",), None, ()),
    ],
)  # fmt: skip
def test_extraction_rules(
    text: str,
    is_action: bool,
    lists: tuple[str, ...],
    action: str | None,
    countries: tuple[str, ...],
) -> None:
    found = extract_announcement(text)
    assert found.is_list_action is is_action
    if is_action:
        assert (found.lists, found.action, found.countries) == (lists, action, countries)
    else:
        assert found.action is None and found.organisations == ()


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Commerce adds Chinese company Skyrizon to the Military End-User List.", ("Skyrizon",)),
        ("BIS issued a temporary denial order for Russian airline Ural Airlines after it flew "
         "to Moscow.", ("Ural Airlines",)),
        ("BIS renewed the temporary denial order against an airline based in Kazan, Russia.", ()),
        ("The five entities added to the Entity List were computing group Sugon and "
         "semiconductor company Higon.", ("Sugon", "Higon")),
    ],
)  # fmt: skip
def test_names_in_the_announcement(text: str, names: tuple[str, ...]) -> None:
    assert extract_announcement(text).organisations == names


@pytest.mark.parametrize(
    ("title", "lists", "action"),
    [
        # Federal Register titles, which press feeds and listings repeat
        ("Entity List Additions; Corrections", ("EL",), "add"),
        ("Removal of Entities From the Entity List", ("EL",), "remove"),
        ("Revision to the Unverified List", ("UVL",), "revise"),
        ("Order Temporarily Denying Export Privileges", ("DPL",), "add"),
        ("Order Renewing Order Temporarily Denying Export Privileges", ("DPL",), "revise"),
        # describing the list is not acting on it
        ("The Entity List adds license requirements for listed parties.", ("EL",), None),
    ],
)
def test_titles(title: str, lists: tuple[str, ...], action: str | None) -> None:
    found = extract_announcement(title)
    assert found.lists == lists and found.action == action

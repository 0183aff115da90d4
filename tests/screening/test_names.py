from __future__ import annotations

import random
import re

import pytest

from screening import ScreeningEntry
from screening.names import _also_known, name_variants, query_names, without_note


def _shown(name: str) -> list[tuple[str, bool, str]]:
    return [
        (v.text, v.is_alias, " ".join(t.text for t in v.tokens if t.kind.name != "QUALIFIER"))
        for v in name_variants(name)
    ]


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        (
            "Beijing University of Aeronautics and Astronautics (BUAA)",
            [
                (
                    "Beijing University of Aeronautics and Astronautics (BUAA)",
                    False,
                    "beijing university of aeronautics and astronautics",
                ),
                ("BUAA", True, "buaa"),
            ],
        ),
        (
            "Far East Trading Company, Inc. (a.k.a. FETCO, Inc.)",
            [
                (
                    "Far East Trading Company, Inc. (a.k.a. FETCO, Inc.)",
                    False,
                    "far east trading company inc",
                ),
                ("FETCO, Inc.", True, "fetco inc"),
            ],
        ),
        (
            "Gazprom Promgaz, AO (f.k.a. Otkrytoe Aktsionernoe Obshchestvo Gazprom Promgaz)",
            [
                (
                    "Gazprom Promgaz, AO (f.k.a. Otkrytoe Aktsionernoe Obshchestvo Gazprom Promgaz)",
                    False,
                    "gazprom promgaz ao",
                ),
                (
                    "Otkrytoe Aktsionernoe Obshchestvo Gazprom Promgaz",
                    True,
                    "otkrytoe aktsionernoe obshchestvo gazprom promgaz",
                ),
            ],
        ),
        (
            "Chengdu Huawei Technologies Co., Ltd., Chengdu, Sichuan",
            [
                (
                    "Chengdu Huawei Technologies Co., Ltd., Chengdu, Sichuan",
                    False,
                    "chengdu huawei technology co ltd",
                ),
            ],
        ),
        (
            "Rostec (Russian Technologies State Corporation)",
            [
                ("Rostec (Russian Technologies State Corporation)", False, "rostec"),
                (
                    "Russian Technologies State Corporation",
                    True,
                    "russian technology state corporation",
                ),
            ],
        ),
        (
            "and Cheboksary Electrical Equipment Plant",
            [
                (
                    "Cheboksary Electrical Equipment Plant",
                    False,
                    "cheboksary electrical equipment plant",
                ),
            ],
        ),
    ],
)
def test_name_variants(listed: str, expected: list[tuple[str, bool, str]]) -> None:
    assert _shown(listed) == expected


def test_parenthesized_country_stays_a_qualifier() -> None:
    (variant,) = name_variants("Huawei Technologies (Thailand) Co.")
    assert [(t.text, t.kind.name) for t in variant.tokens][-1] == ("thailand", "QUALIFIER")


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("Halloran Supply Co", ["Halloran Supply Co"]),
        # Without a marker the query is its one name, brackets and spaces as typed.
        ("Halloran Supply (Shenzhen) ", ["Halloran Supply (Shenzhen) "]),
        ("Halloran (Shenzhen) d/b/a Tarnwick", ["Halloran (Shenzhen)", "Tarnwick"]),
        ("Halloran Supply Co (f.k.a. Tarnwick Ltd.)", ["Halloran Supply Co", "Tarnwick Ltd."]),
        ("Halloran Supply, d/b/a Tarnwick", ["Halloran Supply", "Tarnwick"]),
        ("Halloran Supply DBA Tarnwick aka Quill", ["Halloran Supply", "Tarnwick", "Quill"]),
        ("Halloran Supply doing business as Tarnwick", ["Halloran Supply", "Tarnwick"]),
        ("Quillon Sun a/k/a Frank Sun", ["Quillon Sun", "Frank Sun"]),
        # A marker with nothing after it, or at the start, gives no second name ...
        ("Halloran Supply a.k.a.", ["Halloran Supply"]),
        ("AKA Trading Ltd", ["AKA Trading Ltd"]),
        ("AKA Trading Ltd d/b/a Quillon Marine", ["AKA Trading Ltd", "Quillon Marine"]),
        # ... and a bare one in title case, or joined by a hyphen, is a word of the name.
        ("Tokyo Aka Kogyo Co., Ltd.", ["Tokyo Aka Kogyo Co., Ltd."]),
        ("Sino-DBA Technologies", ["Sino-DBA Technologies"]),
    ],
)
def test_query_names(query: str, names: list[str]) -> None:
    assert query_names(query) == names


@pytest.mark.parametrize(
    ("pasted", "name"),
    [
        (
            "Quillon Marine Ltd., a company organized under the laws of Cyprus",
            "Quillon Marine Ltd.",
        ),
        ("Quillon Marine Ltd. and its subsidiaries", "Quillon Marine Ltd."),
        ("Quillon Air, an airline designated in 2019", "Quillon Air"),
        ("Quillon Marine, including all its branches", "Quillon Marine"),
        # No note: a name's own words, an article inside a name, a short tail.
        ("Bank of the Republic", None),
        ("Smith and Sons", None),
        ("Quillon, the Marine", None),
        ("Acme, the Widget Company", None),  # "Acme" alone is too little to screen
    ],
)
def test_a_pasted_note_is_cut_from_the_name(pasted: str, name: str | None) -> None:
    assert without_note(pasted) == name


# What the a.k.a. marker was found as before `_also_known` walked back over the
# separators: one pattern that began with them.
_ONE_PASS_MARKER = re.compile(
    r"[\s,;(\[]*(?<![\w\-])"
    r"(?:a[./]?\s?k[./]?\s?a|f[./]?\s?k[./]?\s?a|d[./]?\s?b[./]?\s?a|also known as|"
    r"formerly known as|doing business as)\b\.?[\s,:]*",
    re.IGNORECASE,
)


def test_the_marker_is_found_where_one_pattern_found_it(
    csl_entries: list[ScreeningEntry],
) -> None:
    # Every name of the snapshot, and strings made of the marker's own pieces: the
    # separators, dots, slashes, hyphens, a no-break space and letters around them.
    pieces = [*"ak.fdb/ ,;([)]-_xAK:\t\u00a0", "aka", "a.k.a.", "f/k/a", "DBA", " also known as "]
    rng = random.Random(21)
    made = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(20_000)]
    for text in [n for e in csl_entries for n in e.all_names] + made:
        one_pass = _ONE_PASS_MARKER.search(text)
        assert _also_known(text) == (one_pass and one_pass.span()), text

"""Development queries for the failure families of issue 9, generated from the 2022 CSL.

Written as `tests/fixtures/screening/dev_queries_families.csv` by
`python -m tests.screening.dev_set` (seeded, deterministic). Each family is a
way people write a listed name that the first development set did not cover:

- "common word abbreviated": Engineering -> Eng., Research -> Res, University ->
  Univ. and a dozen more, every such word of the name at once;
- "abbreviation expanded": the reverse, for listed names that abbreviate;
- "two typos": two edits in the longest word (nine letters or more);
- "place word inside the name": the name without its leading word(s), so that a
  country or city word is most of what is left;
- "country subsidiary": the company with a country and a legal form appended, as
  its foreign subsidiary would be called ("... Deutschland GmbH");
- "words joined": two neighbouring words of the name written as one, as brands are
  ("Nova Star" -> "NovaStar"); a legal form is not glued to the name;
- "word split": a long word written as two ("Photonics" -> "Photo nics"), as a
  line break or a brand's capitals leave it;
- "ks or x": the other Latin spelling of a transliterated "кс" before a vowel
  ("Maksim" / "Maxim");
- "legal form written out, with a typo": a listed "Ltd." or "Corp." typed in full
  with one slip of the keyboard ("Limted", "Corporatoin");
- "two names in the query": the listed name beside another, invented one, as a
  counterparty file writes a trade name or a former name ("... d/b/a ...",
  "... (f.k.a. ...)");
- "city appended": the listed company with the city of its branch or office after
  it, as a ship-to or vendor record names it ("... - Moscow", "..., Tehran",
  "... (Istanbul branch)");
- "subsidiary named in its country's language": "... Schweiz AG", "... Polska
  Sp. z o.o.", "... Nederland B.V.";
- "vowel spelled otherwise" (persons): a transliterated vowel written another
  common way in one or two words of a listed person's name: "ee" or "i", "oo",
  "ou" or "u", a final "y", "ii" or "iy" ("Nadeem"/"Nadim", "Yusuf"/"Yousuf",
  "Vasiliy"/"Vasily");
- "middle name added" (persons): the name in reading order with a middle name or
  patronymic the list does not have ("Ivan Petrovich Sidorov" for "SIDOROV, Ivan");
- "given name as an initial" (persons): "I. Sidorov" for "SIDOROV, Ivan".

The rules are simple regexes, independent of the engine's vocabulary.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator

from watchers.records import ListEntry

SEED = 20261201
PER_FAMILY = 70

# (full word pattern, abbreviations a person writes for it)
_SHORT_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"engineering", ("Eng", "Eng.", "Engg")),
    (r"research", ("Res", "Res.")),
    (r"electronics?", ("Elec", "Elec.", "Electr.")),
    (r"technolog(?:y|ies)", ("Tech", "Tech.", "Techn.")),
    (r"scien(?:ce|ces|tific)", ("Sci", "Sci.")),
    (r"institute", ("Inst", "Inst.")),
    (r"university", ("Univ", "Univ.")),
    (r"international", ("Intl", "Int'l", "Intl.")),
    (r"manufacturing", ("Mfg", "Mfg.")),
    (r"development", ("Dev", "Dev.", "Devt")),
    (r"government", ("Govt", "Gov't")),
    (r"national", ("Natl", "Nat'l", "Nat.")),
    (r"company", ("Co", "Co.")),
    (r"corporation", ("Corp", "Corp.")),
    (r"industr(?:y|ies|ial)", ("Ind", "Ind.", "Indus")),
    (r"laborator(?:y|ies)", ("Lab", "Labs")),
    (r"association", ("Assn", "Assoc.")),
    (r"equipment", ("Equip", "Eqpt")),
    (r"department", ("Dept", "Dept.")),
    (r"aviation", ("Avn",)),
    (r"communications?", ("Comm", "Comms")),
)
_FULL_FORMS: tuple[tuple[str, str], ...] = (
    (r"tech\.?", "Technology"),
    (r"sci\.?", "Science"),
    (r"intl\.?|int'l", "International"),
    (r"dev\.?", "Development"),
    (r"ind\.?", "Industrial"),
    (r"eng\.?", "Engineering"),
    (r"inst\.?", "Institute"),
    (r"mfg\.?", "Manufacturing"),
    (r"natl\.?", "National"),
)
_PLACE_WORD = re.compile(
    r"^(china|chinese|iran|iranian|russia|russian|korea|korean|syria|syrian|pakistan|"
    r"hong|beijing|shanghai|moscow|tehran|sino|asia|euro|arab|siberian|ural|caspian|persian|"
    r"tianjin|shenzhen|sichuan|petersburg|damascus|karachi|lahore|dubai|minsk)$",
    re.IGNORECASE,
)
_NOT_NAMING = frozenset(
    {
        "kong",
        "bank",
        "branch",
        "holding",
        "investment",
        "investments",
        "trading",
        "group",
        "company",
        "industries",
        "international",
        "limited",
        "ltd",
    }
)
_SUBSIDIARY_TAILS = (
    "USA Inc.",
    "America LLC",
    "(Deutschland) GmbH",
    "UK Limited",
    "Japan K.K.",
    "India Pvt. Ltd.",
    "Europe B.V.",
    "Canada Inc.",
    "Singapore Pte Ltd",
    "Middle East FZE",
)
_LEGAL_TAIL = re.compile(
    r"[\s,]*\b(co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|llc|inc\.?|corp\.?|"
    r"corporation|company|co\.|jsc|ojsc|pjsc|cjsc|ooo|oao|zao|gmbh|fze|fzco)\s*$",
    re.IGNORECASE,
)


def _without_legal_tail(name: str) -> str:
    previous = None
    while previous != name:
        previous = name
        name = _LEGAL_TAIL.sub("", name).strip(" ,.")
    return name


def abbreviate_common_words(name: str, rng: random.Random) -> str:
    for pattern, short in _SHORT_FORMS:
        choices = list(short)
        name = re.sub(
            rf"\b{pattern}\b",
            lambda _, options=choices: rng.choice(options),  # type: ignore[misc]
            name,
            flags=re.IGNORECASE,
        )
    return name


def expand_abbreviations(name: str) -> str:
    for pattern, full in _FULL_FORMS:
        name = re.sub(rf"\b(?:{pattern})(?=\s|,|$)", full, name, flags=re.IGNORECASE)
    return name


def two_typos(name: str, rng: random.Random) -> str:
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 9 or not word.isalpha():
        return name
    first, second = sorted(rng.sample(range(1, len(word) - 2), 2))
    letters = list(word)
    letters[second] = rng.choice([c for c in "aeiourstnl" if c != letters[second].lower()])
    if rng.random() < 0.5:
        letters[first], letters[first + 1] = letters[first + 1], letters[first]
    else:
        del letters[first]
    words[longest] = "".join(letters)
    return " ".join(words)


def inner_place_name(name: str) -> str | None:
    """The name from its first inner place word on, without the legal form."""
    words = _without_legal_tail(re.sub(r"\([^)]*\)", " ", name)).split()
    for position in range(1, min(3, len(words) - 1)):
        if _PLACE_WORD.match(words[position].strip(",.")):
            # What follows the place word must name something; "Hong Kong" or
            # "Iranian Investment" alone is no party's name.
            naming = [
                w
                for w in words[position + 1 :]
                if not _PLACE_WORD.match(w) and w.lower() not in _NOT_NAMING
            ]
            return " ".join(words[position:]) if naming else None
    return None


def join_two_words(name: str, rng: random.Random) -> str:
    words = name.split()
    joinable = [
        i
        for i in range(len(words) - 1)
        if all(w.isalpha() and len(w) >= 3 and not _LEGAL_TAIL.search(w) for w in words[i : i + 2])
    ]
    if not joinable:
        return name
    at = rng.choice(joinable)
    second = words[at + 1].lower() if words[at].istitle() else words[at + 1]
    return " ".join([*words[:at], words[at] + second, *words[at + 2 :]])


def split_long_word(name: str, rng: random.Random) -> str:
    words = name.split()
    long_words = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= 8]
    if not long_words:
        return name
    at = rng.choice(long_words)
    word = words[at]
    cut = rng.randrange(3, len(word) - 2)
    return " ".join([*words[:at], word[:cut], word[cut:], *words[at + 1 :]])


def other_ks_spelling(name: str) -> str:
    # Before a vowel only: a word-final "ks" is an English plural ("Marks"), not "x".
    if re.search(r"ks(?=[aeiouy])", name, re.IGNORECASE):
        return re.sub(
            r"ks(?=[aeiouy])", lambda m: "X" if m.group(0).isupper() else "x", name, flags=re.I
        )
    return re.sub(
        r"(?<=[a-z])x(?=[aeiouy])",
        lambda m: "KS" if m.group(0).isupper() else "ks",
        name,
        flags=re.I,
    )


_WRITTEN_OUT = {
    "ltd": "Limited",
    "inc": "Incorporated",
    "corp": "Corporation",
    "co": "Company",
    "ag": "Aktiengesellschaft",
}
_ABBREVIATED_TAIL = re.compile(r"\b(ltd|inc|corp|co|ag)\.?\s*$", re.IGNORECASE)


def legal_form_typed_out(name: str, rng: random.Random) -> str:
    found = _ABBREVIATED_TAIL.search(name)
    if not found:
        return name
    letters = list(_WRITTEN_OUT[found.group(1).lower()])
    at = rng.randrange(2, len(letters) - 2)
    slip = rng.choice(("drop", "double", "swap"))
    if slip == "drop":
        del letters[at]
    elif slip == "double":
        letters.insert(at, letters[at])
    else:
        letters[at], letters[at + 1] = letters[at + 1], letters[at]
    return name[: found.start()] + "".join(letters)


# Invented names for the other name of a party: a trade name or a former name.
_OTHER_NAME_HEADS = (
    "Harrowgate",
    "Linden",
    "Marlowe",
    "Brightwater",
    "Pellham",
    "Oakhurst",
    "Tamsin",
    "Corvell",
    "Ashby",
    "Wrenfield",
)
_OTHER_NAME_TAILS = ("Supply", "Traders", "Holdings", "Partners", "Works")


_BRANCH_CITIES = (
    "Moscow",
    "Tehran",
    "Istanbul",
    "Minsk",
    "Karachi",
    "Damascus",
    "Tashkent",
    "London",
    "Frankfurt",
    "Yerevan",
)


_LOCAL_SUBSIDIARY_TAILS = (
    "Schweiz AG",
    "Österreich GmbH",
    "Polska Sp. z o.o.",
    "Nederland B.V.",
    "Sverige AB",
    "Belgique SA",
    "Česko s.r.o.",
    "Türkiye A.Ş.",
    "Rus OOO",
    "Suomi Oy",
)


def city_appended(name: str, rng: random.Random) -> str:
    city = rng.choice(_BRANCH_CITIES)
    return rng.choice((f"{name} - {city}", f"{name}, {city}", f"{name} ({city} branch)"))


def two_names(name: str, rng: random.Random) -> str:
    other = f"{rng.choice(_OTHER_NAME_HEADS)} {rng.choice(_OTHER_NAME_TAILS)}"
    return rng.choice(
        (
            f"{other} d/b/a {name}",
            f"{other} DBA {name}",
            f"{name} (f.k.a. {other})",
            f"{name}, a.k.a. {other}",
        )
    )


_CONSONANT = "bcdfghjklmnpqrstvwxz"
_VOWEL_SPELLINGS = (
    (re.compile("ee"), ("i",)),
    (re.compile(f"(?<=[{_CONSONANT}])i(?=[{_CONSONANT}])"), ("ee",)),
    (re.compile("oo|ou"), ("u",)),
    (re.compile(f"(?<=[{_CONSONANT}])u(?=[{_CONSONANT}])"), ("oo", "ou")),
    (re.compile(f"(?<=[{_CONSONANT}])(?:ii|iy)$"), ("y",)),
    (re.compile(f"(?<=[{_CONSONANT}])y$"), ("ii", "iy")),
)


def vowel_spelled_otherwise(name: str, rng: random.Random) -> str:
    words = name.split()
    usable = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= 4]
    for at in rng.sample(usable, min(len(usable), rng.choice((1, 2)))):
        word = words[at]
        places = [
            (found.start(), found.end(), spellings)
            for pattern, spellings in _VOWEL_SPELLINGS
            for found in pattern.finditer(word.lower())
        ]
        if not places:
            continue
        start, end, spellings = rng.choice(places)
        other = rng.choice(spellings)
        words[at] = word[:start] + (other.upper() if word.isupper() else other) + word[end:]
    return " ".join(words)


_MIDDLE_NAMES = (
    "Petrovich",
    "Ivanovna",
    "Ahmed",
    "Maria",
    "Jose",
    "Lee",
    "Hussain",
    "Nikolaevich",
    "Rahman",
    "Anne",
    "Karl",
    "Ibrahim",
)


def _surname_and_given(name: str) -> tuple[str, list[str]] | None:
    # "SURNAME, Given Names" with one surname word and one or two given names.
    surname, comma, given = name.partition(",")
    words = given.split()
    if not comma or " " in surname.strip() or not 1 <= len(words) <= 2:
        return None
    if not all(w.isalpha() and len(w) >= 3 for w in [surname.strip(), *words]):
        return None
    return surname.strip(), words


def middle_name_added(name: str, rng: random.Random) -> str:
    parts = _surname_and_given(name)
    if parts is None:
        return name
    surname, given = parts
    return " ".join([*given, rng.choice(_MIDDLE_NAMES), surname])


def given_name_initial(name: str) -> str:
    parts = _surname_and_given(name)
    if parts is None or len(parts[1]) != 1:
        return name
    surname, (given,) = parts
    return f"{given[0]}. {surname}"


def person_family_rows(people: list[ListEntry]) -> Iterator[dict[str, str]]:
    """Queries for listed persons (the caller picks them), in the persons' families."""
    rng = random.Random(SEED)
    families = {
        "vowel spelled otherwise": lambda n: vowel_spelled_otherwise(n, rng),
        "middle name added": lambda n: middle_name_added(n, rng),
        "given name as an initial": given_name_initial,
    }
    return _sampled_rows(families, people, rng)


def family_rows(companies: list[ListEntry]) -> Iterator[dict[str, str]]:
    """Queries for listed companies (the caller picks them) in each family."""
    rng = random.Random(SEED)
    companies = [e for e in companies if 4 < len(e.name) < 90]
    families = {
        "common word abbreviated": lambda n: abbreviate_common_words(n, rng),
        "abbreviation expanded": expand_abbreviations,
        "two typos": lambda n: two_typos(n, rng),
        "place word inside the name": lambda n: inner_place_name(n) or n,
        "country subsidiary": lambda n: f"{_without_legal_tail(n)} {rng.choice(_SUBSIDIARY_TAILS)}",
        "words joined": lambda n: join_two_words(n, rng),
        "word split": lambda n: split_long_word(n, rng),
        "ks or x": other_ks_spelling,
        "legal form written out, with a typo": lambda n: legal_form_typed_out(n, rng),
        "two names in the query": lambda n: two_names(n, rng),
        "city appended": lambda n: city_appended(n, rng),
        "subsidiary named in its country's language": (
            lambda n: f"{_without_legal_tail(n)} {rng.choice(_LOCAL_SUBSIDIARY_TAILS)}"
        ),
    }
    return _sampled_rows(families, companies, rng)


def _sampled_rows(
    families: dict[str, Callable[[str], str]], entries: list[ListEntry], rng: random.Random
) -> Iterator[dict[str, str]]:
    """`PER_FAMILY` queries of each family, from the entries its rule changes."""
    for variant, rule in families.items():
        changed = [(e, rule(e.name)) for e in entries]
        usable = [(e, q) for e, q in changed if q != e.name and len(q) >= 4]
        for entry, query in rng.sample(usable, min(PER_FAMILY, len(usable))):
            yield {"query": query, "list": entry.list_code, "name": entry.name, "variant": variant}

"""Build the development set of realistic queries from the 2022 CSL snapshot.

The set is generated once and committed as
`tests/fixtures/screening/dev_queries.csv`; regenerate it (deterministic,
seeded) with::

    .venv/bin/python -m tests.screening.dev_set

Each row is a query a person might type for one listed party and the party it
should find: the list name with its legal form dropped, its Chinese place
prefix dropped, one typo, common abbreviations, lower case without
punctuation, an added word, a person's name in reading order. The rewriting
rules here are deliberately simple regexes, independent of the engine's own
vocabulary. Hand-written cases (brand names, Chinese characters) are kept in
`dev_queries_handwritten.csv` next to it; the failure families of issue 9
(`tests.screening.dev_families`) go to `dev_queries_families.csv`.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.screening.dev_families import family_rows, person_family_rows
from watchers.csl.parse import parse_csl
from watchers.records import ListEntry

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "tests/fixtures/csl/consolidated-2022-05.csv.gz"
OUTPUT = ROOT / "tests/fixtures/screening/dev_queries.csv"
FAMILIES_OUTPUT = ROOT / "tests/fixtures/screening/dev_queries_families.csv"
SEED = 20220501
COMPANIES = 170
PEOPLE = 40
PLACE_PREFIXED = 50

_LEGAL_TAIL = re.compile(
    r"[\s,]*\b(co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|llc|l\.l\.c\.|inc\.?|corp\.?|"
    r"corporation|company|co\.|jsc|ojsc|pjsc|cjsc|ooo|oao|zao|gmbh|s\.a\.|fze|fzco|pvt\.?)\s*$",
    re.IGNORECASE,
)
_LEGAL_HEAD = re.compile(r"^(ooo|oao|zao|jsc|ojsc|pjsc|cjsc|ao|pao)\s+", re.IGNORECASE)
_COMPANY_WORD = re.compile(
    r"\b(co|ltd|llc|inc|corp|company|group|technolog\w*|institute|university|bureau|trading|"
    r"industr\w*|bank|cent(er|re)|enterprise|plant|factory|academy|ooo|jsc|gmbh|limited|"
    r"electronic\w*|research|systems?|international|s\.a)\b",
    re.IGNORECASE,
)
_PLACES = (
    "beijing",
    "shanghai",
    "shenzhen",
    "guangzhou",
    "hangzhou",
    "chengdu",
    "wuhan",
    "tianjin",
    "nanjing",
    "xian",
    "harbin",
    "changsha",
    "chongqing",
    "sichuan",
    "hunan",
)
_ABBREVIATIONS = (
    ("Technologies", "Tech"),
    ("Technology", "Tech"),
    ("International", "Intl"),
    ("Corporation", "Corp"),
    ("Group", "Grp"),
    ("Communications", "Comm"),
    ("Company", "Co"),
    ("Industrial", "Ind"),
    ("Limited", "Ltd"),
)


def drop_legal_form(name: str) -> str:
    previous = None
    while previous != name:
        previous = name
        name = _LEGAL_HEAD.sub("", _LEGAL_TAIL.sub("", name)).strip(" ,.")
    return name


def drop_place(name: str) -> str:
    first, _, rest = name.partition(" ")
    return rest if first.lower() in _PLACES else name


def one_typo(name: str, rng: random.Random) -> str:
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(re.sub(r"\W", "", words[i])))
    word = words[longest]
    if len(word) < 5 or not word.isalpha():
        return name
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "replace"))
    if kind == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif kind == "drop":
        word = word[:at] + word[at + 1 :]
    else:
        word = word[:at] + rng.choice("aeioustnr") + word[at + 1 :]
    words[longest] = word
    return " ".join(words)


def abbreviate(name: str) -> str:
    for long, short in _ABBREVIATIONS:
        name = re.sub(rf"\b{long}\b", short, name, flags=re.IGNORECASE)
    return name


def plain_lower(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name).lower().split())


def person_in_reading_order(name: str) -> str:
    last, _, first = name.partition(",")
    return f"{first.strip()} {last.strip()}".strip()


def company_variants(entry: ListEntry, rng: random.Random) -> Iterator[tuple[str, str]]:
    rules: dict[str, Callable[[str], str]] = {
        "legal form dropped": drop_legal_form,
        "place prefix dropped": lambda n: (
            drop_legal_form(drop_place(n)) if drop_place(n) != n else n
        ),
        "one typo": lambda n: one_typo(n, rng),
        "abbreviations": abbreviate,
        "lower case, no punctuation": plain_lower,
        "word added": lambda n: (
            f"{drop_legal_form(n)} {rng.choice(['Group', 'Holding', 'Trading'])}"
        ),
    }
    for variant, rule in rules.items():
        query = rule(entry.name)
        if query != entry.name and len(query) >= 4:
            yield variant, query


def _is_company(entry: ListEntry) -> bool:
    return entry.entity_type == "Entity" or (
        entry.entity_type is None and bool(_COMPANY_WORD.search(entry.name))
    )


def rows(entries: list[ListEntry]) -> Iterator[dict[str, str]]:
    rng = random.Random(SEED)
    companies = [e for e in entries if _is_company(e) and 2 < len(e.name) < 90]
    people = [e for e in entries if e.entity_type == "Individual" and "," in e.name]
    for entry in rng.sample(companies, COMPANIES):
        for variant, query in company_variants(entry, rng):
            yield {"query": query, "list": entry.list_code, "name": entry.name, "variant": variant}
    prefixed = [e for e in companies if drop_place(e.name) != e.name]
    for entry in rng.sample(prefixed, PLACE_PREFIXED):
        query = drop_legal_form(drop_place(entry.name))
        yield {
            "query": query,
            "list": entry.list_code,
            "name": entry.name,
            "variant": "place prefix and legal form dropped",
        }
    for entry in rng.sample(people, PEOPLE):
        query = person_in_reading_order(entry.name)
        yield {
            "query": query,
            "list": entry.list_code,
            "name": entry.name,
            "variant": "reading order",
        }
        yield {
            "query": one_typo(query, rng),
            "list": entry.list_code,
            "name": entry.name,
            "variant": "reading order, one typo",
        }


def main() -> None:
    entries = parse_csl(gzip.decompress(SNAPSHOT.read_bytes())).entries
    companies = [e for e in entries if _is_company(e)]
    people = [e for e in entries if e.entity_type == "Individual"]
    families = itertools.chain(family_rows(companies), person_family_rows(people))
    for path, generated in ((OUTPUT, rows(entries)), (FAMILIES_OUTPUT, families)):
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["query", "list", "name", "variant"])
            writer.writeheader()
            writer.writerows(generated)


if __name__ == "__main__":
    main()

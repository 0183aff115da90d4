"""Load the screening fixtures and measure recall and false matches.

Shared by the quality tests and `bench/bench_screening.py`, so that the bench
scores the engine and the naive baseline on exactly what the tests assert.
A searcher is any function from a query to ranked `Hit`s, so the same code
measures both.
"""

from __future__ import annotations

import csv
import gzip
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from screening import MATCH, REVIEW, ScreeningEntry, ScreeningIndex, Thresholds
from watchers.csl.parse import parse_csl
from watchers.records import keyed_entries

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "tests/fixtures/csl/consolidated-2022-05.csv.gz"
RECORDS_2026 = ROOT / "tests/fixtures/csl/csl-2026-json-records.json"
FIXTURES = ROOT / "tests/fixtures/screening"
HELD_OUT = FIXTURES / "heldout_nomenklatura_companies.csv"
HELD_OUT_PERSONS = FIXTURES / "heldout_nomenklatura_persons.csv"
HELD_OUT_UN_PERSONS = FIXTURES / "heldout_yente_un_persons.csv"
DEV_PAIRS_COMPANIES = FIXTURES / "dev_pairs_companies.csv"
DEV_PAIRS_PERSONS = FIXTURES / "dev_pairs_persons.csv"
TOP = 5
DEV_FILES = ("dev_queries.csv", "dev_queries_handwritten.csv", "dev_queries_families.csv")
ORDINARY_FILES = (
    "ordinary_companies.txt",
    "ordinary_companies_shared_words.txt",
    "ordinary_companies_lookalikes.txt",
)


@dataclass(frozen=True, slots=True)
class Hit:
    list_code: str
    name: str
    band: str


@dataclass(frozen=True, slots=True)
class DevQuery:
    query: str
    list_code: str
    name: str
    variant: str


@dataclass(frozen=True, slots=True)
class Measure:
    rate: float
    total: int
    failures: tuple[str, ...]


Searcher = Callable[[str], list[Hit]]


def load_entries(path: Path = SNAPSHOT) -> list[ScreeningEntry]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    keyed = keyed_entries(parse_csl(data).entries)
    return [
        ScreeningEntry(
            entry_key=key,
            list_code=entry.list_code,
            name=entry.name,
            aliases=entry.aliases,
            entity_type=entry.entity_type,
            countries=entry.countries,
            fr_citations=entry.fr_citations,
            source_urls=entry.source_urls,
            addresses=entry.addresses,
        )
        for key, entry in keyed.items()
    ]


def load_dev_queries() -> list[DevQuery]:
    queries: list[DevQuery] = []
    for name in DEV_FILES:
        with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                queries.append(DevQuery(row["query"], row["list"], row["name"], row["variant"]))
    return queries


_ADDRESS_SHORT = (
    (r"\bStreet\b", "St"),
    (r"\bRoad\b", "Rd"),
    (r"\bBuilding\b", "Bldg"),
    (r"\bRoom\b", "Rm"),
    (r"\bFloor\b", "Fl"),
    (r"\bAvenue\b", "Ave"),
)
_COUNTRY_TAIL = re.compile(r",\s*[A-Z]{2}\s*$")
ADDRESS_QUERY_EVERY = 60


def load_address_queries(entries: list[ScreeningEntry]) -> list[DevQuery]:
    """Ship-to addresses as a clerk types them: abbreviated, without the country code.

    Every `ADDRESS_QUERY_EVERY`-th entry with an address that has a house or unit
    number and three words or more; deterministic.
    """
    queries: list[DevQuery] = []
    with_address = [e for e in entries if e.addresses]
    for entry in with_address[::ADDRESS_QUERY_EVERY]:
        address = entry.addresses[0]
        if not re.search(r"\d", address) or len(address.split()) < 3:
            continue
        query = _COUNTRY_TAIL.sub("", address)
        for long, short in _ADDRESS_SHORT:
            query = re.sub(long, short, query, flags=re.IGNORECASE)
        queries.append(DevQuery(query, entry.list_code, entry.name, "address"))
    return queries


def load_ordinary_companies() -> list[str]:
    names: list[str] = []
    for name in ORDINARY_FILES:
        lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
        names.extend(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    return names


# Common given names and surnames of many countries, combined (seeded) into people who
# are on no list: the persons' counterpart of the ordinary company names.
COMMON_PERSON_NAMES = FIXTURES / "common_person_names.txt"
ORDINARY_PEOPLE = 600


def load_ordinary_people(count: int = ORDINARY_PEOPLE) -> list[str]:
    """People on no list, written as a counterparty file writes them: "Given Surname",
    with a middle name, with an initial, or "Surname, Given". Deterministic."""
    lists = dict(
        line.split(":", 1)
        for line in COMMON_PERSON_NAMES.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    given_names, surnames = lists["given"].split(), lists["surname"].split()
    rng = random.Random(20261201)
    names: dict[str, None] = {}
    while len(names) < count:
        given, surname, form = rng.choice(given_names), rng.choice(surnames), rng.random()
        if form < 0.4:
            name = f"{given} {surname}"
        elif form < 0.7:
            name = f"{given} {rng.choice(given_names)} {surname}"
        elif form < 0.85:
            name = f"{given[0]}. {surname}"
        else:
            name = f"{surname}, {given}"
        names[name] = None
    return list(names)


def engine_searcher(index: ScreeningIndex, thresholds: Thresholds | None = None) -> Searcher:
    def search(query: str) -> list[Hit]:
        results = index.search(query, limit=TOP, thresholds=thresholds)
        return [Hit(r.entry.list_code, r.entry.name, r.band) for r in results]

    return search


def recall(search: Searcher, queries: Iterable[DevQuery]) -> Measure:
    """Share of queries whose entry is in the top 5 with band match or review."""
    total = 0
    missed: list[str] = []
    for item in queries:
        total += 1
        hits = search(item.query)[:TOP]
        if not any(
            h.list_code == item.list_code and h.name == item.name and h.band in (MATCH, REVIEW)
            for h in hits
        ):
            missed.append(f"{item.variant}: {item.query!r} -> {item.list_code} {item.name!r}")
    return Measure(1.0 - len(missed) / max(total, 1), total, tuple(missed))


def false_match_rate(
    search: Searcher, names: Iterable[str], *, bands: tuple[str, ...] = (MATCH,)
) -> Measure:
    """Share of unlisted company names that get one of `bands` against anything.

    The default counts false "match" verdicts; `bands=(MATCH, REVIEW)` counts the
    names a person would have to look at.
    """
    total = 0
    flagged: list[str] = []
    for name in names:
        total += 1
        hits = [h for h in search(name) if h.band in bands]
        if hits:
            flagged.append(f"{name!r} -> {hits[0].list_code} {hits[0].name!r} ({hits[0].band})")
    return Measure(len(flagged) / max(total, 1), total, tuple(flagged))


@dataclass(frozen=True, slots=True)
class PairCase:
    query: str
    listed: str
    is_match: bool


def load_held_out_pairs(path: Path = HELD_OUT) -> list[PairCase]:
    """Pairs of the nomenklatura name benchmark (not ours): companies and organizations
    by default, persons from `HELD_OUT_PERSONS`."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            PairCase(row["name1"], row["name2"], row["is_match"].strip().lower() == "true")
            for row in csv.DictReader(handle)
            if row["schema"] in ("Company", "Organization", "Person")
        ]


@dataclass(frozen=True, slots=True)
class DevPair:
    family: str
    case: PairCase


def load_dev_pairs(path: Path) -> list[DevPair]:
    """Our own pairs (`dev_pairs_*.csv`), the development set the pair benchmark's
    failure families were calibrated on."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            DevPair(row["family"], PairCase(row["query"], row["listed"], row["is_match"] == "true"))
            for row in csv.DictReader(handle)
        ]


def load_un_person_queries(path: Path = HELD_OUT_UN_PERSONS) -> list[PairCase]:
    """yente's UN persons (not ours): a query with typos or in another order, and the
    listed name it stands for; every pair is a true one."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [PairCase(row["query"], row["listed"], True) for row in csv.DictReader(handle)]


def listed_person_recall(cases: list[PairCase]) -> Measure:
    """Every listed name in one index of individuals; the share of queries whose own
    listed name is in the top 5 at match or review."""
    index = ScreeningIndex.build(
        ScreeningEntry(entry_key=str(n), list_code="UN", name=c.listed, entity_type="Individual")
        for n, c in enumerate(cases)
    )
    missed: list[str] = []
    for number, case in enumerate(cases):
        found = index.search(case.query, limit=TOP)
        if not any(r.entry.entry_key == str(number) and r.band in (MATCH, REVIEW) for r in found):
            missed.append(f"{case.query!r} vs {case.listed!r}")
    return Measure(1.0 - len(missed) / max(len(cases), 1), len(cases), tuple(missed))


@dataclass(frozen=True, slots=True)
class PairMeasures:
    recall: Measure
    false_match: Measure
    false_flag: Measure


def held_out_measures(pairs: list[PairCase], *, entity_type: str | None = None) -> PairMeasures:
    """Recall on true pairs; false "match" and false "match or review" on false pairs.

    One listed name per index, as if it were the only party on a list.
    """
    missed: list[str] = []
    matched: list[str] = []
    flagged: list[str] = []
    for case in pairs:
        entry = ScreeningEntry(
            entry_key="X", list_code="X", name=case.listed, entity_type=entity_type
        )
        results = ScreeningIndex.build([entry]).search(case.query, limit=1)
        band = results[0].band if results else "no match"
        pair = f"{case.query!r} vs {case.listed!r}"
        if case.is_match and band not in (MATCH, REVIEW):
            missed.append(pair)
        if not case.is_match and band == MATCH:
            matched.append(pair)
        if not case.is_match and band in (MATCH, REVIEW):
            flagged.append(pair)
    true_total = sum(c.is_match for c in pairs)
    false_total = len(pairs) - true_total
    return PairMeasures(
        recall=Measure(1.0 - len(missed) / max(true_total, 1), true_total, tuple(missed)),
        false_match=Measure(len(matched) / max(false_total, 1), false_total, tuple(matched)),
        false_flag=Measure(len(flagged) / max(false_total, 1), false_total, tuple(flagged)),
    )

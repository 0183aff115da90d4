"""The CSL parser on every real vintage, and on broken downloads."""

from __future__ import annotations

import pytest

from tests.conftest import csl_2022_bytes, fixture_bytes
from watchers.csl.parse import MalformedSnapshot, list_code_for, parse_csl, split_multi
from watchers.records import keyed_entries

# Per-list counts of the 2022 snapshot, as PROVENANCE.md states them.
COUNTS_2022 = {
    "EL": 2001, "SDN": 10026, "DTC": 727, "DPL": 462, "SSI": 290, "UVL": 201, "ISN": 163,
    "PLC": 78, "MEU": 71, "CMIC": 68, "CAP": 53, "NS-MBS": 17, "FSE": 3,
}  # fmt: skip


def _counts(data: bytes, fmt: str | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in parse_csl(data, fmt=fmt).entries:
        counts[entry.list_code] = counts.get(entry.list_code, 0) + 1
    return counts


def test_2022_snapshot_counts_per_list() -> None:
    assert _counts(csl_2022_bytes()) == COUNTS_2022


def test_2022_keys_are_unique_and_cover_every_row() -> None:
    entries = parse_csl(csl_2022_bytes()).entries
    assert len(keyed_entries(entries)) == len(entries) == 14160


@pytest.mark.parametrize(
    ("name", "rows", "lists"),
    [
        ("consolidated-2019-sample.csv", 115, {"EL": 22, "SDN": 28, "SSI": 26}),
        ("consolidated-2025-sample.csv", 13, {"SSI": 3, "EL": 1, "MEU": 1, "PLC": 2}),
        ("consolidated-2025-sample.json", 13, {"SSI": 3, "EL": 1, "MEU": 1, "PLC": 2}),
    ],
)
def test_vintages_load_by_header_name(name: str, rows: int, lists: dict[str, int]) -> None:
    counts = _counts(fixture_bytes("csl", name))
    assert sum(counts.values()) == rows
    assert {code: counts[code] for code in lists} == lists


def test_csv_and_json_of_the_same_rows_agree() -> None:
    from_csv = parse_csl(fixture_bytes("csl", "consolidated-2025-sample.csv")).entries
    from_json = parse_csl(fixture_bytes("csl", "consolidated-2025-sample.json")).entries
    assert [(e.list_code, e.name, e.aliases, e.countries) for e in from_csv] == [
        (e.list_code, e.name, e.aliases, e.countries) for e in from_json
    ]


def test_entity_list_row_fields() -> None:
    entries = parse_csl(fixture_bytes("csl", "consolidated-2025-sample.csv")).entries
    (hebei,) = [e for e in entries if e.list_code == "EL"]
    assert hebei.aliases[:2] == ("Hebei Semiconductor Research Institute", "HSRI")
    assert hebei.addresses[1].startswith("21 Changsheng Street")  # "; and" split off
    assert hebei.source_id and hebei.entity_number is None


def test_2019_layout_without_id_column() -> None:
    entries = parse_csl(fixture_bytes("csl", "consolidated-2019-sample.csv")).entries
    assert all(e.source_id is None or e.entity_number for e in entries)


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("Entity List (EL) - Bureau of Industry and Security", "EL"),
        ("Military End User (MEU) List - Bureau of Industry and Security", "MEU"),
        ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "NS-MBS"),
        ("Specially Designated Nationals (SDN) - Treasury Department", "SDN"),
        ("Something New", "SOMETHING NEW"),
    ],
)
def test_list_codes(source: str, code: str) -> None:
    assert list_code_for(source) == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a; and b; b", ("a", "b")),
        ("", ()),
        (["x", "y"], ("x", "y")),
        ([{"address": "1 Main St", "city": "Town", "country": "CN"}], ("1 Main St, Town, CN",)),
    ],
)
def test_split_multi(value: object, expected: tuple[str, ...]) -> None:
    assert split_multi(value) == expected


_SAMPLE = fixture_bytes("csl", "consolidated-2025-sample.csv").rstrip(b"\n") + b"\n"
_HEADER = _SAMPLE.split(b"\n", 1)[0]
_UNQUOTED = fixture_bytes("csl", "consolidated-2019-sample.csv")
# The 2019 file is unquoted: cutting a row after its fifth comma leaves a short row.
_CUT_ROW = _UNQUOTED[: _UNQUOTED.index(b",", _UNQUOTED.index(b"\n", 3000) + 1) + 1]

# What a broken download looks like, and the message we expect for it.
BROKEN = [
    ("empty body", b"", "empty download"),
    ("only whitespace", b" \n\n", "empty download"),
    ("HTML error page", b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "HTML"),
    ("header only", _HEADER + b"\n", "no rows"),
    ("repeated header", _SAMPLE + _HEADER + b"\n", "repeated header"),
    ("missing name column", _SAMPLE.replace(b",name,", b",nom,", 1), "missing key column"),
    ("undecodable bytes", _SAMPLE[:400] + b"\xff\xfe\xfa" + _SAMPLE[400:], "undecodable"),
    ("cut mid-row", _CUT_ROW, "truncated"),
    ("cut inside quotes", _SAMPLE[: _SAMPLE.index(b"Atlas") + 3], "ends inside a quoted field"),
    ("JSON cut short", fixture_bytes("csl", "consolidated-2025-sample.json")[:500], "invalid JSON"),
    ("JSON wrong shape", b'{"results": {"name": "x"}}', "results"),
    ("JSON without names", b'{"results": [{"source": "Entity List (EL)"}]}', "missing key"),
]


@pytest.mark.parametrize(("label", "data", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_downloads_are_refused(label: str, data: bytes, message: str) -> None:
    with pytest.raises(MalformedSnapshot, match=message):
        parse_csl(data)


def test_real_2026_json_records_keep_ids_and_country() -> None:
    entries = parse_csl(fixture_bytes("csl", "csl-2026-json-records.json")).entries
    by_list = {e.list_code: e for e in entries}
    assert set(by_list) == {"SDN", "EL", "ISN"}
    sdn = by_list["SDN"]
    assert sdn.ids == ("Company Number: 01074897 (GB)", "SWIFT/BIC: HAVIGB2L")
    assert sdn.aliases == ("HAVANA INTERNATIONAL BANK, LTD",)  # a JSON list item is never split
    assert sdn.countries == ("GB", "CU")
    isn = by_list["ISN"]
    assert isn.name == "SPC Supachoke" and isn.countries == ("TH",)  # top-level `country`
    assert isn.aliases == ("Super Trade",)
    assert by_list["EL"].aliases == ()  # `alt_names: null`
    # ids stay out of the compared content (see watchers/records.py) but are kept in `raw`.
    assert "ids" not in sdn.content()
    assert "HAVIGB2L" in dict(sdn.raw)["ids"]


def _csv(*rows: str) -> bytes:
    header = "source,name,alt_names,addresses,ids"
    return ("\n".join((header, *rows)) + "\n").encode()


@pytest.mark.parametrize(
    ("row", "aliases"),
    [
        # A literal "[]" (an empty list written out as text) is no alias.
        ('"Entity List (EL) - Bureau of Industry and Security",Acme Ltd.,[],,', ()),
        ('"Entity List (EL) - Bureau of Industry and Security",Acme Ltd.,"[\'\']",,', ()),
        # ISN rows join aliases with commas; "Co., Ltd." and parentheses stay whole.
        (
            '"Nonproliferation Sanctions (ISN) - State Department",Defense Industries Organization,'
            '"DIO, Sasadja, Zibo Elim Trade Company, Ltd., Raybeam (Shanghai, branch)",,',
            ("DIO", "Sasadja", "Zibo Elim Trade Company, Ltd.", "Raybeam (Shanghai, branch)"),
        ),
        # Other lists keep commas: an Entity List alias can be "Name, Inc.".
        (
            '"Entity List (EL) - Bureau of Industry and Security",Acme Ltd.,"Acme, Beijing branch",,',
            ("Acme, Beijing branch",),
        ),
    ],
)
def test_alias_quirks(row: str, aliases: tuple[str, ...]) -> None:
    (entry,) = parse_csl(_csv(row)).entries
    assert entry.aliases == aliases


def test_csv_ids_are_read_as_type_number_country() -> None:
    entries = parse_csl(fixture_bytes("csl", "consolidated-2025-sample.csv")).entries
    rim = next(e for e in entries if e.name == "RIM, Ryong Nam")
    assert rim.ids[0] == "Passport: 836238033 (KP)"
    sme = next(e for e in entries if e.name == "SME BANK")
    assert "SWIFT/BIC: RUDVRUMM" in sme.ids


@pytest.mark.parametrize(
    ("name", "address", "expected_name"),
    [
        (
            "Unit D, 16/F One Capital Place, 18 Luard Rd, Wan Chai, Hong Kong",
            "Unit D, 16/F One Capital Place, 18 Luard Rd, Wan Chai, Hong Kong, HK",
            "Unit D, 16/F One Capital Place, 18 Luard Rd, Wan Chai, Hong Kong",
        ),
        ("Address 1", "Room 803, Chevalier House 45-51, Chatham Road South, Tsim Sha Tsui, Hong Kong, HK",
         "Room 803, Chevalier House 45-51, Chatham Road South, Tsim Sha Tsui, Hong Kong, HK"),
    ],
)  # fmt: skip
def test_address_only_rows_are_address_entries(name: str, address: str, expected_name: str) -> None:
    row = f'"Entity List (EL) - Bureau of Industry and Security","{name}",,"{address}",'
    (entry,) = parse_csl(_csv(row)).entries
    assert entry.entity_type == "address" and entry.name == expected_name
    assert entry.countries == ("HK",)


def test_a_company_row_is_not_an_address() -> None:
    row = '"Entity List (EL) - Bureau of Industry and Security","Acme Ltd.",,"Room 5, Kowloon, HK",'
    (entry,) = parse_csl(_csv(row)).entries
    assert entry.entity_type is None and entry.name == "Acme Ltd."

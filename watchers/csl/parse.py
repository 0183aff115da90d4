"""Consolidated Screening List (CSL) parser: CSV or JSON bytes -> `ListEntry` records.

Pure: no I/O. Columns are read by header name so that the 2019, 2022 and 2025
layouts (and future ones) all load; unknown columns are kept in `raw` only.
Anything that looks like a broken download (empty body, an HTML error page,
undecodable bytes, a repeated header line, missing key columns, a row cut
short) raises `MalformedSnapshot` instead of producing a partial snapshot,
because a partial snapshot would be diffed into mass removals.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from reference.countries import country_code
from watchers.errors import ParseError
from watchers.federal_register.entity_cell import looks_like_bare_address
from watchers.legal_forms import split_at_commas
from watchers.records import ListEntry

SOURCE = "csl"
KEY_COLUMNS = ("source", "name")

# The long `source` strings carry their short code in parentheses:
# "Entity List (EL) - Bureau of Industry and Security",
# "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department".
_SHORT_CODE = re.compile(r"\(([A-Z][A-Z0-9-]*)(?: List)?\)")
_ISO2 = re.compile(r"(?:^|,\s*)([A-Z]{2})\s*$")
_LEADING_AND = re.compile(r"^(?:and|or)\s+", re.IGNORECASE)


class MalformedSnapshot(ParseError):
    """The bytes are not a complete CSL snapshot."""


@dataclass(frozen=True, slots=True)
class CslSnapshot:
    entries: list[ListEntry]
    content_hash: str
    row_count: int
    fmt: str


def list_code_for(source: str) -> str:
    """Short list code ("EL", "SDN", "NS-MBS") for a CSL `source` string."""
    match = _SHORT_CODE.search(source)
    if match:
        return match.group(1)
    return source.strip().upper() or "UNKNOWN"


# What an empty list looks like when a list was written out as text.
_EMPTY_LIST_TEXT = frozenset({"[]", "['']", '[""]'})


def split_multi(value: object) -> tuple[str, ...]:
    """Split a CSL multi-valued field ("a; and b") or pass a JSON list through.

    A field written as the literal text "[]" is empty, not one item "[]".
    """
    if value is None:
        return ()
    if isinstance(value, list):
        items = [_flatten_item(v) for v in value]
    else:
        items = str(value).split(";")
    out: list[str] = []
    for item in items:
        cleaned = _LEADING_AND.sub("", item.strip()).strip()
        if cleaned and cleaned not in _EMPTY_LIST_TEXT and cleaned not in out:
            out.append(cleaned)
    return tuple(out)


def aliases_of(row: Mapping[str, object], *, list_code: str, name: str) -> tuple[str, ...]:
    """The row's alternative names, without the name itself.

    ISN (State Department) rows join several aliases in one item with commas;
    they are split there, but never inside a legal form ("Co., Ltd.").
    """
    aliases = split_multi(row.get("alt_names"))
    if list_code == "ISN":
        aliases = tuple(dict.fromkeys(a for alias in aliases for a in split_at_commas(alias)))
    return tuple(a for a in aliases if a != name)


def ids_of(value: object) -> tuple[str, ...]:
    """Identifiers as "Type: number (CC)".

    The JSON download gives objects (`type`, `number`, `country`); the CSV joins
    "type, number, CC" items with "; ".
    """
    found: list[str] = []
    items = value if isinstance(value, list) else split_multi(value)
    for item in items:
        if isinstance(item, dict):
            kind, number = str(item.get("type") or "").strip(), str(item.get("number") or "")
            country = str(item.get("country") or "").strip()
        else:
            kind, number, country = _id_parts(str(item))
        text = f"{kind.rstrip(':')}: {number.strip()}" if kind else number.strip()
        text += f" ({country})" if country else ""
        if number.strip() and text not in found:
            found.append(text)
    return tuple(found)


def _id_parts(item: str) -> tuple[str, str, str]:
    parts = [p.strip() for p in item.split(",")]
    if len(parts) >= 3 and re.fullmatch(r"[A-Z]{2}", parts[-1]):
        return parts[0], ", ".join(parts[1:-1]), parts[-1]
    if len(parts) >= 2:
        return parts[0], ", ".join(parts[1:]), ""
    return "", item, ""


def _flatten_item(value: object) -> str:
    # The JSON download gives addresses as objects; join their parts in reading order.
    if isinstance(value, dict):
        parts = ("address", "city", "state", "postal_code", "country")
        return ", ".join(str(value[p]) for p in parts if value.get(p))
    return str(value)


def countries_of(addresses: Iterable[str], *extra: Iterable[str]) -> tuple[str, ...]:
    """ISO alpha-2 codes from trailing address codes, citizenships, nationalities and
    a top-level `country` (ISN JSON); a country written out ("Thailand") is looked up."""
    found: list[str] = []
    for address in addresses:
        match = _ISO2.search(address)
        if match and match.group(1) not in found:
            found.append(match.group(1))
    for values in extra:
        for value in values:
            text = value.strip()
            code = text.upper() if len(text) == 2 and text.isalpha() else country_code(text)
            if code and code not in found:
                found.append(code)
    return tuple(found)


def _text(row: Mapping[str, object], column: str) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(row: Mapping[str, object], column: str) -> date | None:
    text = _text(row, column)
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def entry_from_row(row: Mapping[str, object]) -> ListEntry:
    """One CSL row (CSV or JSON object) as a `ListEntry`."""
    source = _text(row, "source") or ""
    name = _text(row, "name")
    if not name:
        raise MalformedSnapshot("row without a name", source=SOURCE, where=source)
    addresses = split_multi(row.get("addresses"))
    list_code = list_code_for(source)
    entity_number = _text(row, "entity_number")
    name, entity_type = _address_entry(name, addresses) or (name, _text(row, "type"))
    return ListEntry(
        list_code=list_code,
        name=name,
        aliases=aliases_of(row, list_code=list_code, name=name),
        entity_type=entity_type,
        countries=countries_of(
            addresses,
            split_multi(row.get("citizenships")),
            split_multi(row.get("nationalities")),
            split_multi(row.get("country")),
        ),
        addresses=addresses,
        programs=split_multi(row.get("programs")),
        fr_citations=split_multi(row.get("federal_register_notice")),
        start_date=_date(row, "start_date"),
        end_date=_date(row, "end_date"),
        license_requirement=_text(row, "license_requirement"),
        license_policy=_text(row, "license_policy"),
        remarks=_text(row, "remarks"),
        ids=ids_of(row.get("ids")),
        source_urls=split_multi(
            [u for u in (row.get("source_list_url"), row.get("source_information_url")) if u]
        ),
        source_id=_text(row, "_id") or entity_number,
        entity_number=entity_number,
        raw=tuple(sorted((k, _raw_value(v)) for k, v in row.items() if k)),
    )


_NUMBERED_ADDRESS = re.compile(r"^Address\s+\d+$", re.IGNORECASE)


def _address_entry(name: str, addresses: tuple[str, ...]) -> tuple[str, str] | None:
    """(name, "address") for an address-only entry (Entity List since FR Doc 2024-13148).

    The CSL names such a row with the address itself or with a placeholder like
    "Address 1" (a public importer of the live CSL treats `^Address \\d+` names as
    addresses); the placeholder is replaced by the row's one address.
    """
    if _NUMBERED_ADDRESS.match(name) and len(addresses) == 1:
        return addresses[0], "address"
    if looks_like_bare_address(name):
        return name, "address"
    return None


def _raw_value(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def parse_csl(data: bytes, *, fmt: str | None = None) -> CslSnapshot:
    """Parse a CSL download. `fmt` is "csv" or "json"; sniffed from the bytes when None."""
    text = _decode(data)
    kind = fmt or ("json" if text.lstrip().startswith(("{", "[")) else "csv")
    rows = _json_rows(text) if kind == "json" else _csv_rows(text)
    entries = [entry_from_row(row) for row in rows]
    if not entries:
        raise MalformedSnapshot("snapshot has a header but no rows", source=SOURCE, where=kind)
    digest = hashlib.sha256(data).hexdigest()
    return CslSnapshot(entries=entries, content_hash=digest, row_count=len(entries), fmt=kind)


def _decode(data: bytes) -> str:
    if not data.strip():
        raise MalformedSnapshot("empty download", source=SOURCE, where="body")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedSnapshot(
            f"undecodable bytes at offset {exc.start} (not UTF-8)", source=SOURCE, where="body"
        ) from None
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype", "<html", "<?xml", "<")):
        raise MalformedSnapshot(
            "got an HTML/XML page instead of a CSL file", source=SOURCE, where="body"
        )
    return text


def _csv_rows(text: str) -> list[dict[str, object]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
        _require_columns(header)
        rows: list[dict[str, object]] = []
        for raw in reader:
            if not raw:
                continue
            line = reader.line_num
            if [c.strip() for c in raw] == header:
                raise MalformedSnapshot("repeated header line", source=SOURCE, where=f"line {line}")
            if len(raw) != len(header):
                raise MalformedSnapshot(
                    f"row has {len(raw)} fields, header has {len(header)} (truncated?)",
                    source=SOURCE,
                    where=f"line {line}",
                )
            rows.append(dict(zip(header, raw, strict=True)))
    except csv.Error as exc:
        reason = str(exc)
        if "unexpected end of data" in reason:
            reason = "file ends inside a quoted field (truncated download?)"
        raise MalformedSnapshot(
            f"CSV error: {reason}", source=SOURCE, where=f"line {reader.line_num}"
        ) from None
    return rows


def _json_rows(text: str) -> list[dict[str, object]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedSnapshot(
            f"invalid JSON: {exc.msg}", source=SOURCE, where=f"line {exc.lineno}"
        ) from None
    results = document.get("results") if isinstance(document, dict) else document
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise MalformedSnapshot(
            'JSON is not {"results": [objects...]}', source=SOURCE, where="results"
        )
    if results:
        _require_columns(list(results[0].keys()))
    return results


def _require_columns(header: list[str]) -> None:
    missing = [c for c in KEY_COLUMNS if c not in header]
    if missing:
        raise MalformedSnapshot(
            f"missing key column(s): {', '.join(missing)}", source=SOURCE, where="header"
        )

"""`entitywatch parse FILE [--kind KIND] [--json]`: show what a parser extracts from a document.

Which kind a file is, is decided by `watchers.document_kinds.sniff_kind` (the
one sniffer); this module only renders each kind's parse for a terminal or as
JSON.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from bot.app import AppRoot
from bot.services.documents import read_document
from reference.countries import country_name
from watchers.csl.parse import parse_csl
from watchers.document_kinds import KINDS as KIND_NAMES
from watchers.document_kinds import sniff_kind
from watchers.federal_register.documents import list_rules, parse_documents_page
from watchers.federal_register.inspection_json import list_filings, parse_public_inspection
from watchers.federal_register.rule_xml import parse_rule_xml
from watchers.press.announcement import extract_announcement
from watchers.press.feed import parse_feed

# Returns (summary lines for a terminal, a JSON-friendly object).
Render = Callable[[bytes], tuple[list[str], object]]


def _csl_parse(data: bytes) -> tuple[list[str], object]:
    snapshot = parse_csl(data)
    counts: dict[str, int] = {}
    for entry in snapshot.entries:
        counts[entry.list_code] = counts.get(entry.list_code, 0) + 1
    lines = [f"CSL ({snapshot.fmt}): {snapshot.row_count} entries"]
    lines += [f"  {code:<7} {n}" for code, n in sorted(counts.items())]
    payload = {
        "kind": "csl",
        "rows": snapshot.row_count,
        "lists": counts,
        "entries": [
            e.content() | {"list_code": e.list_code, "ids": list(e.ids)} for e in snapshot.entries
        ],
    }
    return lines, payload


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser(
        "parse", help="print what a parser extracts from a saved document", parents=[common]
    )
    cmd.add_argument("location", metavar="FILE")
    cmd.add_argument("--kind", choices=KIND_NAMES, default=None, help="default: sniffed")
    cmd.add_argument("--json", action="store_true")
    cmd.set_defaults(handler=run_parse)


def run_parse(args: argparse.Namespace, ctx: AppRoot) -> int:
    data = read_document(args.location, fetcher=ctx.fetcher)
    kind = args.kind or sniff_kind(data)
    lines, payload = RENDERERS[kind](data)
    if args.json:
        print(json.dumps(payload, sort_keys=True, default=str))
    else:
        print("\n".join(lines))
    return 0


def _xml_rule_parse(data: bytes) -> tuple[list[str], object]:
    rule = parse_rule_xml(data, citation=None)
    lines = [
        f"Federal Register rule {rule.document_number}: {rule.title}",
        f"  effective {rule.effective_on or 'date not stated: see rule'}; "
        f"{len(rule.entries)} entries",
    ]
    lines += [
        f"  {r.action:<6} {r.entry.list_code:<4} {country_name(r.destination)[:24]:<24} "
        f"{'address ' if r.entry.entity_type == 'address' else ''}{r.entry.name}"
        for r in rule.entries
    ]
    payload = {
        "kind": "fr-rule",
        "document_number": rule.document_number,
        "title": rule.title,
        "effective_on": rule.effective_on,
        "entries": [
            {"action": r.action, "destination": r.destination, **r.entry.content()}
            for r in rule.entries
        ],
    }
    return lines, payload


def _documents_parse(data: bytes) -> tuple[list[str], object]:
    page = parse_documents_page(data)
    rules = list_rules(page.documents)
    lines = [f"documents.json: {len(page.documents)} documents, {len(rules)} list rules"]
    lines += [
        f"  {'*' if d in rules else ' '} {d.document_number} {d.publication_date} {d.title}"
        for d in page.documents
    ]
    return lines, {"kind": "fr-documents", "documents": [asdict(d) for d in page.documents]}


def _pi_parse(data: bytes) -> tuple[list[str], object]:
    page = parse_public_inspection(data)
    filings = list_filings(page.documents)
    lines = [f"public inspection: {len(page.documents)} documents, {len(filings)} list filings"]
    lines += [f"  * {d.document_number} {d.publication_date} {d.title}" for d in filings]
    return lines, {"kind": "public-inspection", "filings": [asdict(d) for d in filings]}


def _feed_parse(data: bytes) -> tuple[list[str], object]:
    items = parse_feed(data)
    found = [(item, extract_announcement(f"{item.title}. {item.summary}")) for item in items]
    lines = [f"feed: {len(items)} items"]
    lines += [f"  {'*' if a.is_list_action else ' '} {i.title}" for i, a in found]
    payload = {
        "kind": "press-feed",
        "items": [{"title": i.title, "link": i.link, **asdict(a)} for i, a in found],
    }
    return lines, payload


def _text_parse(data: bytes) -> tuple[list[str], object]:
    found = extract_announcement(data.decode("utf-8", errors="replace"))
    lines = [
        f"list action: {found.is_list_action}",
        f"  lists {', '.join(found.lists) or '-'}; action {found.action or '-'}; "
        f"count {found.count if found.count is not None else '-'}",
        f"  countries {', '.join(found.countries) or '-'}",
        f"  organisations {'; '.join(found.organisations) or '-'}",
        f"  removed {'; '.join(found.removed) or '-'}",
    ]
    return lines, {"kind": "press-text", **asdict(found)}


RENDERERS: dict[str, Render] = {
    "fr-rule": _xml_rule_parse,
    "fr-documents": _documents_parse,
    "public-inspection": _pi_parse,
    "csl": _csl_parse,
    "press-feed": _feed_parse,
    "press-text": _text_parse,
}

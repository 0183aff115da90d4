"""`entitywatch parse FILE [--kind KIND] [--json]`: show what a parser extracts from a document."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.context import CommandContext
from bot.documents import read_document
from bot.errors import UserError
from watchers.csl import parse_csl


@dataclass(frozen=True, slots=True)
class DocumentKind:
    name: str
    sniff: Callable[[bytes], bool]
    # Returns (summary lines for a terminal, a JSON-friendly object).
    parse: Callable[[bytes], tuple[list[str], object]]


def _csl_sniff(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lower()
    return head.startswith((b"_id,", b"source,")) or b'"results"' in head


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
        "entries": [e.content() | {"list_code": e.list_code} for e in snapshot.entries],
    }
    return lines, payload


KINDS: dict[str, DocumentKind] = {
    "csl": DocumentKind(name="csl", sniff=_csl_sniff, parse=_csl_parse),
}


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser(
        "parse", help="print what a parser extracts from a saved document", parents=[common]
    )
    cmd.add_argument("location", metavar="FILE")
    cmd.add_argument("--kind", choices=sorted(KINDS), default=None, help="default: sniffed")
    cmd.add_argument("--json", action="store_true")
    cmd.set_defaults(handler=run_parse)


def run_parse(args: argparse.Namespace, ctx: CommandContext) -> int:
    data = read_document(args.location, settings=ctx.settings)
    kind = KINDS[args.kind] if args.kind else _sniff(data)
    lines, payload = kind.parse(data)
    if args.json:
        print(json.dumps(payload, sort_keys=True, default=str))
    else:
        print("\n".join(lines))
    return 0


def _sniff(data: bytes) -> DocumentKind:
    for kind in KINDS.values():
        if kind.sniff(data):
            return kind
    raise UserError(f"cannot tell what kind of document this is; pass --kind ({', '.join(KINDS)})")

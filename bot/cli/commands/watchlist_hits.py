"""`entitywatch watchlist hits` and `watchlist resolve`: see and decide counterparty hits
from the terminal, with the meaning of `/watch hits` and of the decision buttons.

    hits [--confirmed] [--limit N] [--json]       undecided hits (or confirmed matches)
    resolve HIT confirm [--reason R]              *Confirm match*
    resolve HIT not-same-party --reason R [--days N]   *Not the same party…* (default 180 days)
    resolve HIT resolved --reason R               `/watch resolve`: ends a confirmed match

Who decides is the operating-system user ("cli:<user>"); WATCHLIST_EDITORS governs Slack
only: whoever can run the CLI can change the database anyway.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.app import AppRoot
from bot.cli.output.screening import cli_user
from bot.cli.output.terminal_text import visible
from bot.errors import UserError
from bot.services.monitoring.decisions import (
    DEFAULT_CLEAR_DAYS,
    DecisionError,
    clear_days,
    decide,
    hit_number,
)
from bot.services.monitoring.hit_list import HitListing, HitRow, confirmed_matches, undecided_hits
from reference.lists import list_name

# The words of the terminal, and the decision each records.
DECISIONS = {"confirm": "confirm", "not-same-party": "clear", "resolved": "resolve"}


def register(actions: Any, common: argparse.ArgumentParser) -> None:
    hits = actions.add_parser("hits", help="the hits that wait for a decision", parents=[common])
    hits.add_argument(
        "--confirmed", action="store_true", help="confirmed matches not resolved yet instead"
    )
    hits.add_argument("--limit", type=_positive, default=50, metavar="N")
    hits.add_argument("--json", action="store_true", help="one JSON object")
    hits.set_defaults(handler=run_hits)
    resolve = actions.add_parser("resolve", help="record a decision about a hit", parents=[common])
    resolve.add_argument("hit", metavar="HIT", help="the hit number, as `watchlist hits` shows")
    resolve.add_argument("decision", choices=tuple(DECISIONS), metavar="DECISION")
    resolve.add_argument("--reason", default=None, metavar="TEXT")
    resolve.add_argument(
        "--days",
        default=None,
        metavar="N",
        help=f"not-same-party: how long the clearance holds (default {DEFAULT_CLEAR_DAYS})",
    )
    resolve.set_defaults(handler=run_resolve)


def _positive(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 10_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to 10000")
    return int(text)


def run_hits(args: argparse.Namespace, ctx: AppRoot) -> int:
    engine = ctx.migrated_engine()
    listing = (
        confirmed_matches(engine, limit=args.limit)
        if args.confirmed
        else undecided_hits(engine, limit=args.limit)
    )
    if args.json:
        print(json.dumps(_as_json(listing)))
    else:
        print(render_hits(listing, confirmed=args.confirmed))
    return 0


def render_hits(listing: HitListing, *, confirmed: bool) -> str:
    kind = "confirmed matches not resolved yet" if confirmed else "undecided hits"
    shown = f" (the newest {len(listing.rows)})" if listing.total > len(listing.rows) else ""
    lines = [f"{listing.total:,} {kind}{shown}"]
    for row in listing.rows:
        lines += _hit_lines(row)
    if listing.rows:
        lines.append(
            "decide: entitywatch watchlist resolve HIT confirm | not-same-party --reason R "
            "[--days N] | resolved --reason R"
        )
    return "\n".join(lines)


def _hit_lines(row: HitRow) -> list[str]:
    where = list_name(row.list_code) + (
        f", FR Doc {row.document_number}" if row.document_number else ""
    )
    return [
        f"#{row.hit_id}  {row.detected_at.date().isoformat()}  {row.band} {row.score:.2f}  "
        f"{where}  [{row.status}]",
        f"    counterparty: {visible(row.counterparty)} (id {visible(row.external_id)})",
        f"    listed:       {visible(row.listed_name)}"
        + (f" -> {visible(row.entry_name)}" if row.entry_name != row.listed_name else ""),
        f"    why: {visible(row.why)}",
    ]


def _as_json(listing: HitListing) -> dict[str, Any]:
    return {
        "total": listing.total,
        "hits": [
            {
                "hit": row.hit_id,
                "counterparty": row.counterparty,
                "counterparty_id": row.external_id,
                "listed_name": row.listed_name,
                "entry_name": row.entry_name,
                "list": row.list_code,
                "band": row.band,
                "score": round(row.score, 4),
                "why": row.why,
                "detected_at": row.detected_at.isoformat(),
                "fr_document": row.document_number,
                "status": row.status,
            }
            for row in listing.rows
        ],
    }


def run_resolve(args: argparse.Namespace, ctx: AppRoot) -> int:
    decision = DECISIONS[args.decision]
    try:
        hit_id = hit_number(args.hit)
        days = _days(args, decision)
        said = decide(
            ctx.migrated_engine(),
            hit_id=hit_id,
            decision=decision,
            reason=_reason(args, decision),
            user_id=f"cli:{cli_user() or 'unknown'}",
            now=ctx.now(),
            days=days,
        )
    except DecisionError as exc:
        raise UserError(f"not recorded: {exc}") from None
    print(visible(said))
    return 0


def _reason(args: argparse.Namespace, decision: str) -> str:
    if args.reason is not None:
        return str(args.reason)
    if decision == "confirm":
        return "confirmed from the command line"
    raise DecisionError(f"a reason is required: --reason TEXT (for {args.decision})")


def _days(args: argparse.Namespace, decision: str) -> int | None:
    if decision != "clear":
        if args.days is not None:
            raise DecisionError("--days is for not-same-party only")
        return None
    return clear_days(args.days) if args.days is not None else DEFAULT_CLEAR_DAYS

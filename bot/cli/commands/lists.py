"""`entitywatch lists import PATH_OR_URL [--format csv|json] [--json] [--force]`.

A hand import counts as a refresh of the lists (even when it changes nothing: the
operator vouches for the file now). A snapshot whose newest entry is more than
`SNAPSHOT_MAX_AGE` old is imported, with a warning: it is fine for a test, not for
real screening, and every screening answer will say "cannot clear" until current
lists are loaded.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.commands.lists_status import register_status
from bot.services.documents import read_document
from bot.services.lists_status import SNAPSHOT_MAX_AGE
from storage.lists_facts import load_list_contents, record_unchanged_import
from storage.source_state import save_success
from watchers.csl.importer import ImportOutcome, import_csl
from watchers.csl.settings import CslSettings
from watchers.diff import EntryChange

SHOWN_PER_KIND = 10
# The source whose state a manual import updates (the CSL watcher's registered name).
CSL_SOURCE = "csl"


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    lists = commands.add_parser("lists", help="screening list snapshots", parents=[common])
    actions = lists.add_subparsers(dest="lists_command", required=True, metavar="ACTION")
    imp = actions.add_parser(
        "import", help="load a CSL snapshot and record its diff", parents=[common]
    )
    imp.add_argument("location", metavar="PATH_OR_URL")
    imp.add_argument("--format", choices=("csv", "json"), default=None, dest="fmt")
    imp.add_argument("--json", action="store_true", help="print the outcome as one JSON object")
    imp.add_argument(
        "--force", action="store_true", help="accept a snapshot the removal guard refuses"
    )
    imp.set_defaults(handler=run_import)
    register_status(actions, common)


def run_import(args: argparse.Namespace, ctx: AppRoot) -> int:
    data = read_document(args.location, fetcher=ctx.fetcher)
    engine = ctx.migrated_engine()
    now = ctx.now()
    outcome = import_csl(
        engine,
        data,
        now=now,
        origin=args.location,
        fmt=args.fmt,
        force=args.force,
        max_removed_share=ctx.sources_config.of(CslSettings).removal_guard_share,
    )
    with Session(engine) as session, session.begin():
        if outcome.status == "unchanged":
            record_unchanged_import(
                session,
                content_hash=outcome.content_hash,
                row_count=outcome.row_count,
                now=now,
                origin=args.location,
            )
        newest = load_list_contents(session, today=now.date()).csl_newest_entry
    warning = outdated_warning(newest, now=now)
    record_manual_success(ctx)
    if args.json:
        extra = {"newest_entry": newest.isoformat() if newest else None, "warning": warning}
        print(json.dumps(outcome.as_json() | extra, sort_keys=True))
    else:
        print(render_outcome(outcome))
    if warning:
        print(f"entitywatch: warning: {warning}", file=sys.stderr)
    return 0


def outdated_warning(newest: date | None, *, now: datetime) -> str | None:
    """Why the imported lists are not fit for real screening, if they are not."""
    if newest is None or now.date() - newest <= SNAPSHOT_MAX_AGE:
        return None
    days = (now.date() - newest).days
    return (
        f"the newest entry of these lists is from {newest.isoformat()} ({days} days ago): "
        "not fit for real screening, and every screening will answer 'cannot clear'. "
        "Current lists: `entitywatch poll --source csl --once` downloads "
        "the trade.gov Consolidated Screening List (CSL_URL)"
    )


def record_manual_success(ctx: AppRoot) -> None:
    """A snapshot imported by hand is the CSL arriving: the lists are as fresh as if the
    watcher had fetched them, so the digest and App Home must not call the source
    "never succeeded" or down. The watcher's HTTP validators (ETag, Last-Modified)
    belong to CSL_URL and are kept; the next poll still asks that URL."""
    with Session(ctx.migrated_engine()) as session, session.begin():
        save_success(
            session, CSL_SOURCE, now=ctx.now(), etag=None, last_modified=None, keep_validators=True
        )


def render_outcome(outcome: ImportOutcome) -> str:
    lines = [
        f"CSL snapshot: {outcome.row_count} rows, sha256 {outcome.content_hash[:12]}: "
        f"{outcome.status}"
    ]
    for code, o in sorted(outcome.lists.items()):
        if o.status == "baseline":
            lines.append(f"  {code:<7} baseline   {o.entries} entries recorded")
            continue
        lines.append(
            f"  {code:<7} {o.status:<10} +{o.added} added, -{o.removed} removed, "
            f"~{o.modified} modified ({o.entries} entries)"
        )
        diff = outcome.diffs[code]
        for group in (diff.added, diff.removed, diff.modified):
            lines.extend(f"      {describe_change(c)}" for c in group[:SHOWN_PER_KIND])
            if len(group) > SHOWN_PER_KIND:
                lines.append(f"      ... and {len(group) - SHOWN_PER_KIND} more")
    return "\n".join(lines)


def describe_change(change: EntryChange) -> str:
    mark = {"added": "+", "removed": "-", "modified": "~"}[change.kind]
    text = f"{mark} {change.name}"
    if change.fields:
        text += f"  [{', '.join(sorted(change.fields))}]"
    return text

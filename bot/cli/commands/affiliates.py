"""`entitywatch watchlist affiliates --out FILE.csv`: every counterparty covered or
possibly covered by the affiliates rule, its listed share and its listed owners."""

from __future__ import annotations

import argparse
import csv
from typing import Any

from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.output.screening import open_csv_output
from bot.services.monitoring.planning import neutralised
from bot.services.ownership.answer import pct
from bot.services.ownership.evaluation import CounterpartyOwnership
from bot.services.ownership.shares import LISTED

COLUMNS = (
    "external_id",
    "name",
    "country",
    "status",
    "listed_share",
    "possible_share",
    "listed_owners",
    "possible_owners",
    "terms_of",
    "license_requirement",
    "license_policy",
    "rule_today",
)


def register(actions: Any, common: argparse.ArgumentParser) -> None:
    aff = actions.add_parser(
        "affiliates",
        help="counterparties 50 %% or more owned by listed parties (CSV)",
        parents=[common],
    )
    aff.add_argument("--out", required=True, metavar="FILE.csv", help="'-' for standard output")
    aff.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    aff.set_defaults(handler=run_affiliates)


def run_affiliates(args: argparse.Namespace, ctx: AppRoot) -> int:
    service = ctx.ownership()
    covered = possible = 0
    with (
        open_csv_output(args.out, overwrite=args.force) as out,
        Session(ctx.migrated_engine()) as session,
    ):
        # Owners added while no list was loaded are screened first: none is left out.
        with session.begin():
            service.screen_new_owners(session)
        state = service.state_today(session) or "not known (no rules calendar answer)"
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for found in service.affiliates(session):
            row = _row(found, state=state)
            covered += row[3] == "covered"
            possible += row[3] != "covered"
            writer.writerow([neutralised(c) for c in row])
    if args.out != "-":
        print(
            f"wrote {covered:,} covered and {possible:,} possibly covered counterparties "
            f"to {args.out}"
        )
    return 0


def _row(found: CounterpartyOwnership, *, state: str) -> list[str]:
    coverage = found.coverage
    assert coverage is not None
    terms = found.terms

    def named(kind: str) -> str:
        return "; ".join(
            f"{found.owners[p.owner].name} ({found.owners[p.owner].list_code or 'covered'}) "
            f"{pct(p.share)} {'direct' if p.direct else 'indirect'}"
            for p in coverage.parts
            if p.kind == kind
        )

    return [
        found.party.external_id,
        found.party.name,
        found.party.country or "",
        "covered" if coverage.covered else "possibly covered",
        f"{coverage.listed * 100:.1f}",
        f"{coverage.possible * 100:.1f}",
        named(LISTED),
        named("possible"),
        terms.name if terms else "",
        (terms.requirement or "") if terms else "",
        (terms.policy or "") if terms else "",
        state,
    ]

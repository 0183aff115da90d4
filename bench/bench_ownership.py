"""Benchmark the affiliates rule's monitoring at scale, beside the naive baseline.

Run from the repository root::

    .venv/bin/python -m bench.bench_ownership
    .venv/bin/python -m bench.bench_ownership --counterparties 20000 --holdings 60000

On a SQLite file holding N synthetic counterparties and H holdings in chains up to six
deep (five layers of holding companies above the counterparties, then ultimate owners),
with cycles (some holding companies hold shares of companies above them), it measures
through the real code paths (`CrossingMonitor`, `OwnershipService`, storage):

1. one list change that lists one owner: the owner found by the reverse name index of
   owners, then every counterparty below it found through the reverse index owner ->
   owned, evaluated, its standing recorded and its crossing alerts planned into the
   outbox (`owners_touched` + `plan_crossings`; target <= 1 s);
2. a full recomputation: every holding read from the database, the graph built and the
   listed share of every counterparty computed (target <= 30 s);
3. the peak memory of the process (target <= 800 MB);
4. the naive baseline: a full recomputation for every change (what a monitor without
   the reverse indexes does), and the ratio.

The owner's forward screening against the lists (one `/screen` of its name) is not in
(1): it is measured by bench_screening. Times are wall seconds on a shared machine.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bench.common import report
from bench.company_names import company_names
from bot.routing import Routing
from bot.services.alerts.model import ChangeView
from bot.services.monitoring.listed import content_digest
from bot.services.ownership.crossings import CrossingMonitor
from bot.services.ownership.evaluation import graph_of
from bot.services.ownership.importer import owner_key
from bot.services.ownership.service import OwnershipService
from bot.services.ownership.shares import LISTED, ShareCalculator
from bot.services.screening import ScreeningService
from bot.slack.blocks.ownership import crossing_message
from screening import Thresholds
from storage.engine import create_db_engine
from storage.migrate import upgrade
from storage.models import OutboxRow, OwnershipOwnerRow
from storage.ownership import active_watched, counterparty_key, holding_edges, upsert_holdings
from storage.ownership_owners import add_owners, set_owner_screening
from storage.watchlist import Counterparty, upsert_counterparties

CHANGE_TARGET = 1.0
FULL_TARGET = 30.0
MEMORY_TARGET_MB = 800.0
# The largest corporate groups hold a few thousand companies.
GROUP_CAP = 5000
LAYERS = 5  # holding companies above the counterparties; owners above them: 6 deep
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def synthetic(
    counterparties: int, holdings: int, *, seed: int = 20
) -> tuple[list[str], list[str], list[tuple[str, str, float]]]:
    """(counterparty names, owner names, (owner, owned, percent) edges).

    Corporate groups, as ownership is: the counterparties of a group (sizes heavy-tailed,
    1 to 5,000) held by up to five layers of holding companies, each layer a
    third of the one below, each party held by 1-3 companies of the layer above, and 1-3
    ultimate owners at the top: chains up to six deep. About one group in eight holds a
    cycle (a subsidiary with a stake in a parent), and 2 % of parties also have a
    minority holder from another group. More holdings within groups up to `holdings`."""
    rnd = random.Random(seed)
    parties = company_names(counterparties, seed=seed)
    pool = company_names(holdings // 2, seed=seed + 1)
    owners: list[str] = []

    def new_owner() -> str:
        name = pool[len(owners)] if len(owners) < len(pool) else f"Holding {len(owners)} Ltd"
        owners.append(name)
        return owner_key(name)

    edges: dict[tuple[str, str], float] = {}
    groups: list[list[list[str]]] = []
    keys = [counterparty_key(f"C{i}") for i in range(counterparties)]
    done = 0
    while done < counterparties:
        size = min(counterparties - done, GROUP_CAP, max(1, int(rnd.paretovariate(1.1))))
        levels = [keys[done : done + size]]
        done += size
        for _ in range(rnd.randint(1, LAYERS)):
            above = [new_owner() for _ in range(max(1, len(levels[-1]) // 3))]
            for node in levels[-1]:
                for owner in rnd.sample(above, min(len(above), rnd.choice((1, 1, 2, 3)))):
                    edges[(owner, node)] = float(rnd.choice((20, 25, 30, 40, 51, 60, 75, 100)))
            levels.append(above)
        top = [new_owner() for _ in range(rnd.randint(1, 3))]
        for node in levels[-1]:
            for owner in top:
                edges[(owner, node)] = float(rnd.choice((20, 34, 51, 60)))
        levels.append(top)
        if len(levels) >= 4 and rnd.random() < 0.125:  # a subsidiary holds a stake in a parent
            edges[(rnd.choice(levels[1]), rnd.choice(levels[2]))] = 10.0
        groups.append(levels)
    every = [k for g in groups for level in g for k in level]
    for node in rnd.sample(every, len(every) // 50):
        edges.setdefault((owner_key(rnd.choice(owners)), node), 5.0)
    while len(edges) < holdings:
        levels = rnd.choice(groups)
        depth = rnd.randrange(len(levels) - 1)
        edges.setdefault((rnd.choice(levels[depth + 1]), rnd.choice(levels[depth])), 10.0)
    return parties, owners, [(o, d, p) for (o, d), p in edges.items()]


def build(
    engine: Engine, parties: list[str], owners: list[str], edges: list[tuple[str, str, float]]
) -> None:
    with Session(engine) as session, session.begin():
        batch = [Counterparty(external_id=f"C{i}", name=n) for i, n in enumerate(parties)]
        for start in range(0, len(batch), 5000):
            upsert_counterparties(session, batch[start : start + 5000], added_by="bench", now=NOW)
        add_owners(session, {owner_key(n): n for n in owners})
        names = {owner_key(n): n for n in owners}
        rows = [
            {
                "owned_key": d,
                "owned_ref": names.get(d, d),
                "owner_key": o,
                "owner_name": names[o],
                "owner_ref": None,
                "percent": p,
                "as_of": None,
                "source": "bench",
                "imported_by": "bench",
            }
            for o, d, p in edges
        ]
        for start in range(0, len(rows), 2000):
            upsert_holdings(session, rows[start : start + 2000], now=NOW)


def most_owning(engine: Engine, owners: list[str]) -> str:
    """The owner with the most counterparties below it: the worst case for one listing."""
    with Session(engine) as session:
        graph = graph_of(holding_edges(session))
    names = {owner_key(n): n for n in owners}
    tops = [k for k in names if k not in graph.owners_of]  # owned by nobody: at the top
    best = max(tops, key=lambda k: sum(1 for d in graph.dependents([k]) if d.startswith("cp:")))
    return names[best]


def change_listing(name: str, change_id: int) -> ChangeView:
    after = {"name": name, "aliases": [], "addresses": [], "countries": ["CN"]}
    return ChangeView(
        id=change_id,
        source="csl",
        kind="added",
        list_code="EL",
        entry_key=f"EL:bench:{change_id}",
        entry_name=name,
        before=None,
        after=after | {"digest": content_digest(after)},
        fields=None,
        document_number=None,
        effective_date=None,
        detected_at=NOW,
        summary=None,
        snapshot_id=None,
    )


def incremental(monitor: CrossingMonitor, name: str, change_id: int) -> tuple[int, int]:
    """The listing of `name`: owners found, standings set, crossings planned."""
    engine = monitor.ownership.engine
    with Session(engine) as session, session.begin():
        found = monitor.owners_touched(session, [change_listing(name, change_id)])
        rows = session.scalars(
            select(OwnershipOwnerRow).where(col(OwnershipOwnerRow.owner_key).in_(list(found)))
        )
        # What the forward re-screen records: the listed owner is listed; the look-alike
        # owners the reverse index also found are screened again and stay as they were,
        # and are evaluated all the same (as `changes_read` does with every owner it re-screens).
        for row in rows:
            values: dict[str, object] = {"screened_at": NOW}
            if row.owner_key == owner_key(name):
                values |= {"standing": LISTED, "list_code": "EL", "entry_name": name}
            set_owner_screening(row, values)
        crossed = monitor.plan_crossings(session, owners=found, touched=set(), now=NOW)
    return len(found), crossed


def full(engine: Engine, standings: dict[str, str]) -> int:
    """Everything from scratch: what a monitor without reverse indexes does per change."""
    with Session(engine) as session:
        graph = graph_of(holding_edges(session))
        calculator = ShareCalculator(graph, standings)
        return sum(
            calculator.coverage(counterparty_key(external_id)).covered
            for _, external_id, _, _ in active_watched(session)
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--counterparties", type=int, default=100_000)
    parser.add_argument("--holdings", type=int, default=300_000)
    parser.add_argument("--changes", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(engine)
        started = time.perf_counter()
        parties, owners, edges = synthetic(args.counterparties, args.holdings)
        build(engine, parties, owners, edges)
        print(
            f"built {len(parties):,} counterparties, {len(owners):,} owners, {len(edges):,} "
            f"holdings in {time.perf_counter() - started:.1f}s"
        )
        thresholds = Thresholds()
        service = OwnershipService(
            engine=engine,
            screening=ScreeningService(engine=engine, thresholds=thresholds),
            thresholds=thresholds,
            clock=lambda: NOW,
        )
        monitor = CrossingMonitor(
            ownership=service, routing=Routing(default_channel="C0BENCH"), render=crossing_message
        )
        with Session(engine) as session:  # warm: the indexes a running monitor keeps
            monitor.owner_index(session)
            service.book.graph(session)
        listed_owners = sorted(
            {most_owning(engine, owners)}
            | set(random.Random(7).sample(owners[-5000:], args.changes - 1))
        )
        samples, found_total, crossed_total = [], 0, 0
        graph = service.book.graph(Session(engine))
        for number, name in enumerate(listed_owners, start=1):
            below = [d for d in graph.dependents([owner_key(name)]) if d.startswith("cp:")]
            start = time.perf_counter()
            found, crossed = incremental(monitor, name, number)
            samples.append(time.perf_counter() - start)
            print(f"  listing {name!r}: {len(below):,} counterparties below it, {crossed} crossed")
            found_total += found
            crossed_total += crossed
        with Session(engine) as session:
            outbox = session.scalar(select(func.count()).select_from(OutboxRow)) or 0
            standings = {
                r.owner_key: LISTED
                for r in session.scalars(
                    select(OwnershipOwnerRow).where(col(OwnershipOwnerRow.standing).is_not(None))
                )
            }
        print(
            f"{len(listed_owners)} listings: {found_total} owners found, "
            f"{crossed_total} crossings, {outbox} outbox rows"
        )
        report("one owner listed: found and planned", samples, target=CHANGE_TARGET)
        worst = max(samples)
        verdict = "OK" if worst <= CHANGE_TARGET else "OVER TARGET"
        print(f"{'  the largest group (worst case)':<48} {worst:8.3f}s  {verdict}")
        full_samples = []
        covered = 0
        for _ in range(2):
            start = time.perf_counter()
            covered = full(engine, standings)
            full_samples.append(time.perf_counter() - start)
        print(f"full recomputation: {covered:,} counterparties covered")
        report("full recomputation (naive, per change)", full_samples, target=FULL_TARGET)
        ratio = min(full_samples) / max(min(samples), 1e-9)
        print(f"incremental vs naive recomputation per change: {ratio:,.0f}x faster")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        verdict = "OK" if peak <= MEMORY_TARGET_MB else "OVER TARGET"
        print(f"peak memory {peak:,.0f} MB (target <= {MEMORY_TARGET_MB:.0f} MB) {verdict}")
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The demo's sample watchlist: invented companies, one resembling an entity of the rule."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from bot.services.monitoring.csv_rows import Columns
from bot.services.monitoring.importer import import_watchlist
from bot.services.ownership.crossings import CrossingMonitor
from bot.services.ownership.csv_rows import OwnershipColumns
from bot.services.ownership.importer import import_ownership

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "demo" / "watchlist.csv"
OWNERSHIP = SAMPLE.with_name("ownership.csv")
OWNERSHIP_COLUMNS = OwnershipColumns(
    owned="owned", owner="owner", percent="percent", as_of="as_of", source="source"
)
COLUMNS = Columns(
    name="company",
    id="customer_id",
    country="country",
    address="address",
    tag="account_owner",
)


def load_sample_watchlist(engine: Engine) -> str:
    """Import the sample file through the real importer; returns what to tell the viewer."""
    with SAMPLE.open("rb") as stream:
        report = import_watchlist(
            engine, stream, columns=COLUMNS, added_by="demo", now=datetime.now(UTC)
        )
    return (
        f"The compliance team imports its watchlist ({report.added} invented counterparties, "
        "bot/data/demo/watchlist.csv): `entitywatch watchlist import watchlist.csv "
        "--name-column company --id-column customer_id`"
    )


def load_sample_ownership(engine: Engine, monitor: CrossingMonitor) -> str:
    """Import the sample holdings through the real importer and crossing check."""
    with OWNERSHIP.open("rb") as stream:
        report = import_ownership(
            engine,
            stream,
            columns=OWNERSHIP_COLUMNS,
            imported_by="demo",
            now=datetime.now(UTC),
            after=monitor.after_import,
        )
    return (
        f"It records what its due diligence found about owners ({report.added} holdings, "
        "bot/data/demo/ownership.csv): `entitywatch ownership import ownership.csv "
        "--owned-column owned --owner-column owner --percent-column percent`"
    )

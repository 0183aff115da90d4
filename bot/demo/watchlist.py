"""The demo's sample watchlist: invented companies, one resembling an entity of the rule."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from bot.services.monitoring.csv_rows import Columns
from bot.services.monitoring.importer import import_watchlist

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "demo" / "watchlist.csv"
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

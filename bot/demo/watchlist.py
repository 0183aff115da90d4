"""The demo's sample watchlist: invented companies, one resembling an entity of the rule."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.monitoring.csv_rows import Columns
from bot.monitoring.importer import import_watchlist
from bot.monitoring.service import CURSOR
from bot.runtime import Runtime
from storage.models import ChangeRow, WatchCursorRow

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


def settle_monitoring(runtime: Runtime, *, timeout: float = 60.0) -> None:
    """Until counterparty monitoring has read every recorded change: a poll thread's delivery
    round may still be screening when the stage's own round finds the lock taken."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runtime.deliver()
        with Session(runtime.engine) as session:
            newest = session.scalar(select(func.max(ChangeRow.id))) or 0
            read = session.scalar(
                select(col(WatchCursorRow.last_change_id)).where(col(WatchCursorRow.name) == CURSOR)
            )
        if (read or 0) >= newest:
            return
        time.sleep(0.25)

"""The database liveness check behind `/healthz`."""

from __future__ import annotations

from sqlalchemy import Engine, text


def ping(engine: Engine) -> None:
    """Run `SELECT 1` on a pooled connection; returns nothing, raises when the database is away."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))

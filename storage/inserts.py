"""INSERT ... ON CONFLICT DO NOTHING for both databases: how dedupe keys make writes idempotent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_duplicates(session: Session, table: Table) -> Any:
    """An INSERT that skips rows a unique key already has (either database)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing()


def insert_new(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert one row unless a unique key already has it; True when it was new.

    RETURNING tells on both databases (psycopg reports rowcount -1 here).
    """
    stmt = insert_ignoring_duplicates(session, table).values(values).returning(table.c.id)
    return session.execute(stmt).first() is not None


def insert_many_new(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows in one executemany, skipping those a unique key already has."""
    if rows:
        session.execute(insert_ignoring_duplicates(session, table), list(rows))

"""Tables. The Alembic migrations in `storage/migrations` create exactly these.

JSON columns hold lists and field-level diffs; they map to JSON on SQLite and
PostgreSQL alike. Timestamps are timezone-aware UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def _json(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(JSON, nullable=nullable))


def _ts(*, index: bool = False, nullable: bool = False) -> Any:
    return Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=nullable, index=index),
    )


class ListEntryRow(SQLModel, table=True):
    """One party on one list, as the source that maintains it last described it."""

    __tablename__ = "list_entry"
    __table_args__ = (
        UniqueConstraint("source", "entry_key", name="uq_list_entry_source_key"),
        Index("ix_list_entry_source_list", "source", "list_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # "csl" for the Consolidated Screening List, "federal_register" for rule tables.
    source: str = Field(max_length=40)
    entry_key: str = Field(sa_column=Column(Text, nullable=False))
    list_code: str = Field(max_length=20)
    name: str = Field(sa_column=Column(Text, nullable=False))
    aliases: list[str] | None = _json()
    entity_type: str | None = Field(default=None, max_length=40)
    countries: list[str] | None = _json()
    addresses: list[str] | None = _json()
    programs: list[str] | None = _json()
    fr_citations: list[str] | None = _json()
    start_date: date | None = None
    end_date: date | None = None
    license_requirement: str | None = Field(default=None, sa_column=Column(Text))
    license_policy: str | None = Field(default=None, sa_column=Column(Text))
    remarks: str | None = Field(default=None, sa_column=Column(Text))
    source_urls: list[str] | None = _json()
    source_id: str | None = Field(default=None, max_length=100)
    entity_number: str | None = Field(default=None, max_length=40)
    fr_document: str | None = Field(default=None, max_length=40, index=True)
    raw: dict[str, str] | None = _json()
    content_digest: str = Field(max_length=64)
    first_seen: datetime = _ts()
    last_changed: datetime = _ts()


class SnapshotRow(SQLModel, table=True):
    """One fetched document of a source and what was done with it."""

    __tablename__ = "snapshot"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=40, index=True)
    fetched_at: datetime = _ts(index=True)
    content_hash: str = Field(max_length=64)
    row_count: int
    # "baseline" | "applied" | "unchanged" | "refused"
    status: str = Field(max_length=20)
    origin: str | None = Field(default=None, sa_column=Column(Text))
    detail: str | None = Field(default=None, sa_column=Column(Text))


class ChangeRow(SQLModel, table=True):
    """One addition, removal or modification (or source event), recorded exactly once."""

    __tablename__ = "change"

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=64, unique=True)
    source: str = Field(max_length=40, index=True)
    # "added" | "removed" | "modified" | "baseline" | "announcement" | "source_down" | ...
    kind: str = Field(max_length=30)
    list_code: str | None = Field(default=None, max_length=20, index=True)
    entry_key: str | None = Field(default=None, sa_column=Column(Text))
    entry_name: str | None = Field(default=None, sa_column=Column(Text))
    before: dict[str, Any] | None = _json()
    after: dict[str, Any] | None = _json()
    fields: dict[str, Any] | None = _json()
    # Ties signals about one legal action together (a FR document number).
    document_number: str | None = Field(default=None, max_length=40, index=True)
    effective_date: date | None = None
    snapshot_id: int | None = Field(default=None, foreign_key="snapshot.id")
    detected_at: datetime = _ts(index=True)
    summary: str | None = Field(default=None, sa_column=Column(Text))


class SourceStateRow(SQLModel, table=True):
    """Per-source polling state: validators for conditional GET and failure counting."""

    __tablename__ = "source_state"

    source: str = Field(primary_key=True, max_length=40)
    etag: str | None = Field(default=None, sa_column=Column(Text))
    last_modified: str | None = Field(default=None, max_length=100)
    last_attempt_at: datetime | None = _ts(nullable=True)
    last_success_at: datetime | None = _ts(nullable=True)
    consecutive_failures: int = 0
    down: bool = False
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    cursor: dict[str, Any] | None = _json()

"""Tables. The Alembic migrations in `storage/migrations` create exactly these.

JSON columns hold lists and field-level diffs; they map to JSON on SQLite and
PostgreSQL alike. Timestamps are timezone-aware UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, false, text, true
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime


def _json(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(JSON, nullable=nullable))


def _ts(*, index: bool = False, nullable: bool = False) -> Any:
    return Field(
        default=None,
        sa_column=Column(UtcDateTime(), nullable=nullable, index=index),
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
    # Set once the alert planner has turned this change into outbox rows (or decided on none).
    alert_planned: bool = Field(
        default=False, index=True, sa_column_kwargs={"server_default": false()}
    )
    # Set once counterparty monitoring has screened this change. A flag, not a cursor:
    # ids are taken at insert and seen at commit, so they do not arrive in order.
    watch_read: bool = Field(
        default=False, index=True, sa_column_kwargs={"server_default": false()}
    )
    # Set once a scheduled digest has reported this change. One committed after the digest
    # of its detection window had read that window is reported by the next one.
    digested: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


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
    # The newest item the source showed (press feeds and listings), to tell a stale one.
    newest_item_on: date | None = None


class OutboxRow(SQLModel, table=True):
    """One Slack message to send (or that was sent), written in the same transaction that
    plans it. The sender claims due rows, posts them and records the Slack `ts`."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=64, unique=True)
    # Messages about one legal action share a key and a thread per channel.
    action_key: str = Field(max_length=200, index=True)
    channel: str = Field(max_length=100)
    # "parent" starts the thread; "reply" goes into it.
    role: str = Field(max_length=10)
    text: str = Field(sa_column=Column(Text, nullable=False))
    blocks: list[dict[str, Any]] | None = _json()
    # For replies: the parent message re-rendered with everything known so far.
    parent_update: dict[str, Any] | None = _json()
    change_ids: list[int] | None = _json()
    # "pending" | "sent" | "failed"
    status: str = Field(default="pending", max_length=10)
    attempts: int = 0
    next_attempt_at: datetime = _ts()
    claimed_until: datetime | None = _ts(nullable=True)
    # When the current (or last) claim was taken: a claim that lapsed may have posted.
    claimed_at: datetime | None = _ts(nullable=True)
    # Set while some attempt's outcome is unknown (its answer was lost, it timed out, or its
    # sender died): Slack may hold the message, so it must be looked up in this window of
    # Slack timestamps before any new post. Null: every earlier attempt is known not posted.
    outcome_unknown_since: datetime | None = _ts(nullable=True)
    outcome_unknown_until: datetime | None = _ts(nullable=True)
    created_at: datetime = _ts()
    sent_at: datetime | None = _ts(nullable=True)
    slack_ts: str | None = Field(default=None, max_length=40)
    last_error: str | None = Field(default=None, sa_column=Column(Text))


class AlertThreadRow(SQLModel, table=True):
    """Where the thread of an action lives in a channel."""

    __tablename__ = "alert_thread"
    __table_args__ = (UniqueConstraint("action_key", "channel", name="uq_alert_thread"),)

    id: int | None = Field(default=None, primary_key=True)
    action_key: str = Field(max_length=200)
    channel: str = Field(max_length=100)
    parent_ts: str = Field(max_length=40)
    created_at: datetime = _ts()


class ScreeningAuditRow(SQLModel, table=True):
    """One screening: who asked, what, against which list versions, and what came back."""

    __tablename__ = "screening_audit"

    id: int | None = Field(default=None, primary_key=True)
    screened_at: datetime = _ts(index=True)
    # "cli" | "slack" | "batch"
    origin: str = Field(max_length=20)
    user_id: str | None = Field(default=None, max_length=100)
    user_name: str | None = Field(default=None, max_length=200)
    channel_id: str | None = Field(default=None, max_length=100)
    query: str = Field(sa_column=Column(Text, nullable=False))
    # Source -> content hash (CSL snapshot) or newest document (Federal Register).
    list_versions: dict[str, Any] | None = _json()
    results: list[dict[str, Any]] | None = _json()
    # The engine's best band; with `lists_state` other than "fresh", a "no match" was
    # answered as "cannot clear".
    top_band: str = Field(max_length=20)
    # "fresh" | "stale" | "not_loaded" (None: screened before the state was recorded).
    lists_state: str | None = Field(default=None, max_length=20)
    result_count: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text))


class SlackPaceRow(SQLModel, table=True):
    """The earliest time the next call of one kind may go to Slack, shared by all replicas.

    Keys: "chat:<channel>" (about one message per second per channel) and "history"
    (the exactly-once lookups, which Slack may limit to one a minute).
    """

    __tablename__ = "slack_pace"

    key: str = Field(primary_key=True, max_length=120)
    next_allowed_at: datetime = _ts()


class LeaderRow(SQLModel, table=True):
    """Who runs the scheduler: one row per role, its epoch bumped at every takeover.

    `epoch` is unique so that bumping it is a key update in PostgreSQL: it waits for
    every transaction that checked the epoch (`FOR KEY SHARE`), while the heartbeat,
    which only touches `heartbeat_at`, does not.
    """

    __tablename__ = "leader"
    __table_args__ = (UniqueConstraint("epoch", name="uq_leader_epoch"),)

    role: str = Field(primary_key=True, max_length=40)
    epoch: int
    # Which process holds it: host, pid and a random suffix (for people reading the row).
    holder: str = Field(max_length=200)
    # Last renewal by the holder (its clock; replicas judge staleness by their own).
    heartbeat_at: datetime = _ts()


class WatchlistRow(SQLModel, table=True):
    """One counterparty of the company (customer, supplier), re-screened on every list change."""

    __tablename__ = "watchlist"

    id: int | None = Field(default=None, primary_key=True)
    # The company's own id (CRM, ERP), or one derived from the normalized name.
    external_id: str = Field(max_length=200, unique=True)
    name: str = Field(sa_column=Column(Text, nullable=False))
    country: str | None = Field(default=None, max_length=100)
    address: str | None = Field(default=None, sa_column=Column(Text))
    # Owner or tag: who in the company answers for this counterparty.
    tag: str | None = Field(default=None, max_length=200)
    added_by: str = Field(max_length=200)
    added_at: datetime = _ts()
    updated_at: datetime = _ts()
    # Set when the counterparty left the watchlist; retired rows are never screened.
    retired_at: datetime | None = _ts(nullable=True, index=True)
    # None until screened against every list (again after a change of name or address).
    screened_at: datetime | None = _ts(nullable=True, index=True)
    # Bumped by every write the counterparty index sees (name, country, address, retiring):
    # the sum over the table tells the leader its index is stale, whatever the clocks.
    revision: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})


class WatchHitRow(SQLModel, table=True):
    """A counterparty that may be a listed party, alerted exactly once per `alert_key`."""

    __tablename__ = "watch_hit"
    __table_args__ = (Index("ix_watch_hit_pair", "counterparty_id", "entry_key"),)

    id: int | None = Field(default=None, primary_key=True)
    # (counterparty, listed entry, content digest, the expired clearance it follows).
    alert_key: str = Field(max_length=64, unique=True)
    counterparty_id: int = Field(foreign_key="watchlist.id")
    entry_key: str = Field(sa_column=Column(Text, nullable=False))
    list_code: str = Field(max_length=20)
    entry_name: str = Field(sa_column=Column(Text, nullable=False))
    matched_name: str = Field(sa_column=Column(Text, nullable=False))
    score: float
    band: str = Field(max_length=20)
    why: str = Field(sa_column=Column(Text, nullable=False))
    # Digest of the listed entry's names, addresses, countries and policy when it hit.
    content_digest: str = Field(max_length=64)
    # "list_change" | "watch_added" | "import"
    origin: str = Field(max_length=20)
    change_id: int | None = Field(default=None, foreign_key="change.id")
    action_key: str | None = Field(default=None, max_length=200)
    document_number: str | None = Field(default=None, max_length=40)
    effective_date: date | None = None
    detected_at: datetime = _ts(index=True)
    # Set when the listed entry was removed from its list.
    delisted_at: datetime | None = _ts(nullable=True)
    # False while the hit waits for a channel to be alerted in (none was configured when
    # it was found); the leader plans it once one is. Hits stored before 0010 count as sent.
    alert_planned: bool = Field(
        default=False, index=True, sa_column_kwargs={"server_default": true()}
    )


class WatchDecisionRow(SQLModel, table=True):
    """What the team decided about a hit. Append-only: the newest row per pair stands."""

    __tablename__ = "watch_decision"
    __table_args__ = (Index("ix_watch_decision_pair", "counterparty_id", "entry_key"),)

    id: int | None = Field(default=None, primary_key=True)
    hit_id: int = Field(foreign_key="watch_hit.id", index=True)
    counterparty_id: int = Field(foreign_key="watchlist.id")
    entry_key: str = Field(sa_column=Column(Text, nullable=False))
    content_digest: str = Field(max_length=64)
    # "confirm" | "clear" | "resolve"
    decision: str = Field(max_length=10)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    decided_by: str = Field(max_length=200)
    decided_at: datetime = _ts(index=True)
    expires_at: datetime | None = _ts(nullable=True)


class WatchCursorRow(SQLModel, table=True):
    """How far counterparty monitoring has read the change table (exactly once, restarts)."""

    __tablename__ = "watch_cursor"

    name: str = Field(primary_key=True, max_length=40)
    last_change_id: int = 0
    updated_at: datetime = _ts()


class WatchReportRow(SQLModel, table=True):
    """The CSV of a summary alert, uploaded into the summary's thread once it is posted."""

    __tablename__ = "watch_report"

    id: int | None = Field(default=None, primary_key=True)
    # The outbox row of the summary message this file belongs to.
    outbox_key: str = Field(max_length=64, unique=True)
    filename: str = Field(max_length=200)
    content: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _ts()
    uploaded_at: datetime | None = _ts(nullable=True)
    last_error: str | None = Field(default=None, sa_column=Column(Text))


class WatchDecisionInteractionRow(SQLModel, table=True):
    """The Slack interaction (or other request) that recorded a decision: a replayed
    request finds its key here and records nothing again."""

    __tablename__ = "watch_decision_interaction"

    id: int | None = Field(default=None, primary_key=True)
    # e.g. "button:<trigger id>:<action ts>", "view:<view id>", "command:<trigger id>".
    interaction: str = Field(max_length=300, unique=True)
    decision_id: int = Field(foreign_key="watch_decision.id")
    recorded_at: datetime = _ts()


class OwnershipHoldingRow(SQLModel, table=True):
    """One holding from the company's due diligence: `owner` holds `percent` of `owned`.

    `owned_key` is "cp:<external id>" for a watched counterparty, else the derived key
    of a holding company's name (the same key its own rows carry as owner), so chains
    link by name. Replaced in place when a later import gives the same pair."""

    __tablename__ = "ownership_holding"
    __table_args__ = (UniqueConstraint("owned_key", "owner_key"),)

    id: int | None = Field(default=None, primary_key=True)
    owned_key: str = Field(max_length=250, index=True)
    owned_ref: str = Field(sa_column=Column(Text, nullable=False))  # as the file named it
    owner_key: str = Field(max_length=64, index=True)
    owner_name: str = Field(sa_column=Column(Text, nullable=False))
    owner_ref: str | None = Field(default=None, max_length=200)  # the file's owner id
    percent: float
    as_of: date | None = None
    source: str | None = Field(default=None, max_length=200)
    imported_by: str = Field(max_length=200)
    updated_at: datetime = _ts()


class OwnershipOwnerRow(SQLModel, table=True):
    """An owner screened against the lists, like a counterparty: its best listed entry
    (None: screened, nothing found; `screened_at` None: not screened yet)."""

    __tablename__ = "ownership_owner"

    id: int | None = Field(default=None, primary_key=True)
    owner_key: str = Field(max_length=64, unique=True)
    name: str = Field(sa_column=Column(Text, nullable=False))
    entry_key: str | None = Field(default=None, sa_column=Column(Text))
    list_code: str | None = Field(default=None, max_length=20)
    entry_name: str | None = Field(default=None, sa_column=Column(Text))
    band: str | None = Field(default=None, max_length=20)
    # "listed" (counts toward the 50 % share), "possible" (a review band), None
    standing: str | None = Field(default=None, max_length=10)
    license_requirement: str | None = Field(default=None, sa_column=Column(Text))
    license_policy: str | None = Field(default=None, sa_column=Column(Text))
    screened_at: datetime | None = _ts(nullable=True, index=True)


class OwnershipStandingRow(SQLModel, table=True):
    """The listed share of a counterparty as last alerted: a crossing of 50 % (either
    way) is an alert once, because this row changes in the alert's transaction."""

    __tablename__ = "ownership_standing"

    counterparty_id: int = Field(primary_key=True, foreign_key="watchlist.id")
    listed_share: float
    possible_share: float
    covered: bool
    updated_at: datetime = _ts()

"""What a CLI command needs: validated settings and, on demand, the database engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from bot.errors import UserError
from bot.settings import Settings, pool_size_of
from storage.engine import create_db_engine, is_sqlite
from storage.migrate import is_up_to_date, upgrade


@dataclass
class CommandContext:
    settings: Settings
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_db_engine(
                self.settings.database_url, pool_size=pool_size_of(self.settings)
            )
        return self._engine

    def migrated_engine(self) -> Engine:
        """The engine, after checking migrations.

        The embedded SQLite default migrates itself: it has one user and no other
        replica that could race it. PostgreSQL is migrated on purpose, by
        `entitywatch db upgrade` (the compose file runs it before the bot starts).
        """
        engine = self.engine
        if not is_up_to_date(engine):
            if not is_sqlite(engine):
                raise UserError(
                    "the database schema is not up to date: run `entitywatch db upgrade`"
                )
            upgrade(engine)
        return engine

    def now(self) -> datetime:
        return datetime.now(UTC)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

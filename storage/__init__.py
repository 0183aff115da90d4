"""SQLModel tables, repositories, the engine and Alembic migrations. No Slack here."""

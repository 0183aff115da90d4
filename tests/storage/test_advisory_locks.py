"""Advisory lock keys are per database and schema (PostgreSQL).

Tried: the leader's lock taken in one schema; a session in another schema of the same
database (another deployment, or another test worker) still gets its own, while a second
session in the first schema does not.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage.advisory_locks import key_in_schema, try_lock_for_session, unlock_for_session
from storage.engine import create_db_engine


@pytest.mark.postgres
def test_a_lock_in_one_schema_leaves_another_schema_free(postgres_url: str) -> None:
    engine = create_db_engine(postgres_url)
    with engine.connect() as first, engine.connect() as same, engine.connect() as other:
        other.execute(text("SET search_path TO public"))
        key = key_in_schema(first, "entitywatch.leader")
        assert key == key_in_schema(same, "entitywatch.leader")
        assert key != key_in_schema(other, "entitywatch.leader")
        assert key != key_in_schema(first, "another.lock")
        assert try_lock_for_session(first, key)
        assert not try_lock_for_session(same, key)
        assert try_lock_for_session(other, key_in_schema(other, "entitywatch.leader"))
        assert unlock_for_session(first, key)
        assert unlock_for_session(other, key_in_schema(other, "entitywatch.leader"))
    engine.dispose()

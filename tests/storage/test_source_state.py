"""Source state rows written by two processes at once (a CLI import beside the watcher)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.source_state import load_source_state, save_failure, save_success

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_two_writers_creating_the_same_source_row_both_succeed(engine: Engine) -> None:
    """Tried: two transactions that both find no row for a source and both write one, many
    times over. Before, the second insert failed on the primary key and its success or
    failure was lost (`lists import` beside the CSL watcher, or two imports)."""
    errors: list[BaseException] = []

    for round_ in range(15):
        source = f"race-{round_}"
        both_looked = threading.Barrier(2)

        def write(n: int, source: str = source, barrier: threading.Barrier = both_looked) -> None:
            try:
                with Session(engine) as session, session.begin():
                    load_source_state(session, source)  # neither sees a row yet ...
                    barrier.wait(timeout=10)  # ... and both go on to write one
                    if n == 0:
                        save_success(session, source, now=T0, etag="e", last_modified=None)
                    else:
                        save_failure(session, source, now=T0, error="boom", down_after=3)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with Session(engine) as session:
            state = load_source_state(session, source)
        # Both writes landed, in one order or the other.
        assert state.last_attempt_at == T0
        assert (state.last_success_at, state.consecutive_failures) in [(T0, 1), (T0, 0)]
    assert errors == []

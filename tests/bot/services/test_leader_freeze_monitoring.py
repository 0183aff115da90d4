"""A leader frozen inside its monitoring transaction (issue 23.2), as real processes.

Two `entitywatch run` replicas on PostgreSQL. The watchlist (thousands of
counterparties, some resembling listed parties) is imported before any list is
loaded, so the leader's first CSL poll is followed by one long screening
transaction. The test waits until the leader's backend sits inside that
transaction (it has read the unscreened counterparties), freezes the
process (SIGSTOP), and measures how long until the other replica delivers the
screening's alert. Then it wakes the old leader (SIGCONT): its transaction was ended
at the takeover, so it commits nothing, and every hit reaches Slack once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bench.company_names import company_names
from tests.bot.replicas import Replica, start_replica, wait_for, wait_healthy
from tests.bot.services.test_leader_takeover import STALE_AFTER, replica_env
from tests.fakes.slack_api import FakeSlackApi

__all__ = ["replica_env"]  # a fixture shared with the takeover tests

CHANNEL = "C0ALERTS"
COUNTERPARTIES = 4000
# A screening alert posted this long after the freeze: the frozen leader stalls nothing
# beyond the takeover (LEADER_STALE_AFTER, a few beats, the 3 s wait for its locks) and
# the new leader's own polls and screening (10-18 s measured on a busy 2-core machine).
# Before the fence, nothing was posted until the frozen leader woke.
DELIVERED_WITHIN = STALE_AFTER + 40

# The backend of a leader inside its screening transaction: its last statement read the
# unscreened counterparties or wrote a hit, and the transaction is still open.
IN_SCREENING = text(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
    "AND (query ILIKE '%watchlist.screened_at IS NULL%' OR query ILIKE '%watch_hit%')"
)


def screening_posts(slack_api: FakeSlackApi) -> list[str]:
    return [
        str(m["text"])
        for m in slack_api.messages(CHANNEL)
        if str(m["text"]).startswith(("Counterparty ", "Watchlist screening"))
    ]


def import_watchlist(env: dict[str, str], tmp_path: Path) -> None:
    names = company_names(COUNTERPARTIES, seed=23)
    names[:3] = [
        "32 Group China Limited",
        "Aero Engine Corporation of China",
        "Beijing Aeronautical",
    ]
    path = tmp_path / "watchlist.csv"
    lines = [f'W-{n:05d},"{name}"' for n, name in enumerate(names)]
    path.write_text("id,name\n" + "\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "watchlist", "import", str(path),
         "--name-column", "name", "--id-column", "id"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def freeze_inside_screening(leader: Replica, url: str, *, timeout: float) -> float:
    """SIGSTOP `leader` while its backend is inside the screening transaction."""
    engine = create_engine(url)
    deadline = time.monotonic() + timeout
    try:
        with engine.connect() as connection:
            while time.monotonic() < deadline:
                if connection.execute(IN_SCREENING).first() is not None:
                    leader.process.send_signal(signal.SIGSTOP)
                    at = time.monotonic()
                    if connection.execute(IN_SCREENING).first() is not None:
                        return at
                    leader.process.send_signal(signal.SIGCONT)  # it had just left: again
                connection.rollback()
                time.sleep(0.01)
    finally:
        engine.dispose()
    raise AssertionError(f"the leader never screened:\n{leader.output()[-3000:]}")


@pytest.mark.postgres
def test_a_leader_frozen_inside_its_screening_is_fenced_and_delivery_goes_on(
    replica_env: dict[str, str], slack_api: FakeSlackApi, tmp_path: Path
) -> None:
    import_watchlist(replica_env, tmp_path)
    from tests.bot.cli.test_run import free_port

    pair = [start_replica(f"r{i}", {**replica_env, "PORT": str(free_port())}) for i in range(2)]
    try:
        for replica in pair:
            wait_healthy(replica)
        leader = wait_for(pair, "leader.elected", after=0.0, timeout=30)
        (successor,) = [r for r in pair if r is not leader]
        url = replica_env["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
        frozen_at = freeze_inside_screening(leader, url, timeout=90)
        assert not screening_posts(slack_api)
        wait_for([successor], "monitoring.counterparties_screened", after=frozen_at, timeout=90)
        deadline = frozen_at + DELIVERED_WITHIN + 20
        while not screening_posts(slack_api) and time.monotonic() < deadline:
            time.sleep(0.1)
        delivered = time.monotonic() - frozen_at
        print(f"frozen leader: the new leader delivered {delivered:.1f} s after SIGSTOP")
        assert screening_posts(slack_api), successor.output()[-3000:]
        assert delivered <= DELIVERED_WITHIN
        woke_at = time.monotonic()
        leader.process.send_signal(signal.SIGCONT)
        wait_for([leader], "leader.lost", after=woke_at, timeout=15)
        time.sleep(3 * STALE_AFTER)
        writes = leader.count("monitoring.counterparties_screened", after=woke_at) + leader.count(
            "poll.ok", after=woke_at
        )
        print(f"frozen leader: {writes} write(s) by the deposed leader after SIGCONT")
        assert writes == 0, leader.output()[-3000:]
        posts = screening_posts(slack_api)
        assert len(posts) == len(set(posts)) == 1, posts
    finally:
        for replica in pair:
            replica.stop()


@pytest.mark.postgres
def test_delivery_transactions_wait_a_bounded_time_for_locks(postgres_url: str) -> None:
    """Planning and monitoring transactions give up on a lock after 10 s; polls (which a
    `lists import` may hold up for as long as it runs) wait as before."""
    from sqlalchemy.orm import Session

    from bot.services.leadership import Leadership
    from storage.engine import create_db_engine
    from storage.migrate import upgrade

    engine = create_db_engine(postgres_url)
    upgrade(engine)
    leader = Leadership(engine, stale_after=3.0, holder="t")
    try:
        leader.tick()
        assert leader.holds
        with Session(leader.delivery_engine) as session, session.begin():
            assert session.scalar(text("SHOW lock_timeout")) == "10s"
        with Session(leader.fenced_engine) as session, session.begin():
            assert session.scalar(text("SHOW lock_timeout")) == "0"
        # SET LOCAL: the pooled connection does not keep it for the next transaction.
        with Session(engine) as session, session.begin():
            assert session.scalar(text("SHOW lock_timeout")) == "0"
    finally:
        leader.release()
        engine.dispose()

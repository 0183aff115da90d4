"""The rules calendar on the App Home (a signed `app_home_opened` into the real bolt app, the
view read back from the fake Slack) and in the weekly digest, quiet weeks included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.digest.data import collect_digest
from bot.settings import Settings
from bot.slack.blocks.digest import digest_blocks, digest_text
from tests.bot.rules.meaning_rows import insert_affiliates_history
from tests.bot.slack.test_app import open_home, services_at, settings
from tests.fakes.bolt_apps import bolt_app
from tests.fakes.slack_api import FakeSlackApi

__all__ = ["settings"]  # the fixture, shared with test_app

LABEL = "Affiliates rule (owned 50 % or more by listed parties)"


def test_the_home_tab_shows_the_state_today(
    engine: Engine, settings: Settings, slack_api: FakeSlackApi, signing_secret: str
) -> None:
    insert_affiliates_history(engine)
    # 2026-11-10 at 03:00 UTC is still the 9th in Washington: suspended for one more day.
    services = services_at(engine, settings, now=datetime(2026, 11, 10, 3, tzinfo=UTC))
    with bolt_app(settings, services, workers=2) as app:
        home = open_home(app, slack_api, signing_secret, "U0RULES", timeout=30.0)
    assert "*Rules calendar*" in home
    assert (
        f"{LABEL}: suspended until 2026-11-09 (FR Doc 2025-19846); next: in force from 2026-11-10"
    ) in home


def test_the_home_tab_without_rules_has_no_calendar(
    engine: Engine, settings: Settings, slack_api: FakeSlackApi, signing_secret: str
) -> None:
    services = services_at(engine, settings, now=datetime(2026, 11, 10, 3, tzinfo=UTC))
    with bolt_app(settings, services, workers=2) as app:
        home = open_home(app, slack_api, signing_secret, "U0NORULES", timeout=30.0)
    assert "Rules calendar" not in home


def test_the_digest_shows_the_state_at_the_end_of_its_week(engine: Engine) -> None:
    insert_affiliates_history(engine)
    until = datetime(2026, 11, 16, 14, tzinfo=UTC)
    with Session(engine) as session:
        digest = collect_digest(session, since=until - timedelta(days=7), until=until)
    text = digest_text(digest)
    assert "Rules calendar\n" in text
    assert (
        f"  {LABEL}: in force since 2026-11-10 "
        "(FR Doc 2025-19001; suspension by FR Doc 2025-19846 ended 2026-11-09)"
    ) in text
    assert "Rules calendar" in str(digest_blocks(digest))


def test_a_quiet_week_still_shows_the_calendar(engine: Engine) -> None:
    insert_affiliates_history(engine)
    until = datetime(2027, 3, 1, 14, tzinfo=UTC)
    with Session(engine) as session:
        digest = collect_digest(session, since=until - timedelta(days=7), until=until)
    assert digest.is_quiet
    assert f"  {LABEL}: in force since 2026-11-10" in digest_text(digest)

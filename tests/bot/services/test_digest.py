"""The weekly digest from a real database (SQLite file and PostgreSQL), and its command.

The week is made the way production makes it: the real sources poll recorded
feeds on the local source server (a Federal Register rule with 13 entries, a
public inspection filing, a press announcement, a CSL snapshot that catches up
with one of the rule's entities), then the CSL goes down. Baselines come first,
outside the window, and must not count.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.commands import digest as digest_command
from bot.cli.dates import parse_since
from bot.errors import UserError
from bot.services.digest.data import collect_digest
from bot.services.digest.model import ActionTally, Digest, NewNames
from bot.settings import load_settings
from bot.slack.blocks.digest import digest_blocks, digest_text
from storage.changes import change_dedupe_key, record_event
from storage.engine import create_db_engine
from storage.migrate import upgrade
from tests.bot.slack.blocks.test_digest import assert_within_slack_limits
from tests.conftest import fixture_bytes
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.source_replies import server_error
from tests.fakes.source_server import SourceServer
from tests.storage.helpers import rewrite_csv
from tests.watchers.recorded import CSL, RecordedSites
from watchers.csl.importer import import_csl
from watchers.http import HttpFetcher
from watchers.registry import build_sources
from watchers.runner import poll_all

BASELINE_AT = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)
WEEK_AT = datetime(2026, 10, 28, 9, 0, tzinfo=UTC)
SINCE = datetime(2026, 10, 26, tzinfo=UTC)
UNTIL = datetime(2026, 11, 2, tzinfo=UTC)
SAMPLE_2019 = fixture_bytes("csl", "consolidated-2019-sample.csv")
EMPTY_FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"
RULE_NAMES = (
    "AOOK Technology Ltd.",
    "Beijing Ti-Tech Science and Technology Development Co.",
    "Beijing Yunze Technology Co., Ltd.",
    "China HEAD Aerospace Technology Co.",
    "CPUNTO Inc.",
    "Dexias Industrial Products and Trade Limited Company",
    "Electronic Network Inc.",
    "Innovation and Technologies LLC",
    "Promtekhkomplekt JSC",
    "Spacety Co., Ltd.",
)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def add_aook(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The CSL catching up with one entity of rule 2023-03929."""
    el = next(r for r in rows if r["source"].startswith("Entity List"))
    return [*rows, dict(el, name="AOOK Technology Ltd.", alt_names="", addresses="Beijing, CN")]


def record_week(engine: Engine, server: SourceServer) -> None:
    sites = RecordedSites(server=server)
    sites.serve_everything()
    sites.serve_documents("9999-10002")
    sites.serve_feed(EMPTY_FEED)
    sources = build_sources(sites.config())
    fetcher = HttpFetcher(connect_timeout=2.0, read_timeout=2.0, retries=0, sleep=lambda _s: None)
    baseline = poll_all(
        sources, engine=engine, fetcher=fetcher, clock=Clock(BASELINE_AT), down_after=3
    )
    assert all(r.ok for r in baseline)
    sites.serve_documents("2023-03929", "9999-10002")
    sites.serve_public_inspection(number="2023-03929")
    sites.serve_feed()
    sites.serve_csl(rewrite_csv(SAMPLE_2019, add_aook))
    clock = Clock(WEEK_AT)
    assert all(
        r.ok for r in poll_all(sources, engine=engine, fetcher=fetcher, clock=clock, down_after=3)
    )
    server.route_reply(CSL, server_error(503))
    csl = [s for s in sources if s.name == "csl"]
    for _ in range(3):
        poll_all(csl, engine=engine, fetcher=fetcher, clock=clock, down_after=3)


@pytest.fixture
def week(engine: Engine, source_server: SourceServer) -> Digest:
    record_week(engine, source_server)
    with Session(engine) as session:
        return collect_digest(session, since=SINCE, until=UNTIL)


def test_actions_are_counted_by_list_and_country_once_each(week: Digest) -> None:
    # 13 rule entries (one entity under three destinations, one under two); the
    # CSL's later AOOK row is the same action and is not counted again.
    assert week.by_list == (ActionTally(key="EL", added=13),)
    assert {t.key: t.added for t in week.by_country} == {
        "CN": 5, "RU": 3, "CA": 2, "FR": 1, "LU": 1, "NL": 1,
    }  # fmt: skip
    assert week.by_country[0].key == "CN"
    assert week.new_names == (NewNames(list_code="EL", names=RULE_NAMES),)


def test_documents_filings_and_press_carry_their_links(week: Digest) -> None:
    (rule,) = week.rules
    assert (rule.document_number, rule.citation, rule.entries) == ("2023-03929", "88 FR 12170", 13)
    assert rule.title == "Additions of Entities to the Entity List"
    assert rule.url and rule.url.endswith(
        "/documents/2023/02/27/2023-03929/additions-of-entities-to-the-entity-list"
    )
    assert rule.effective_on and rule.effective_on.isoformat() == "2023-02-24"
    (filing,) = week.filings
    assert (
        filing.document_number == "2023-03929"
        and filing.url
        and "/public-inspection/" in filing.url
    )
    (press,) = week.press
    assert press.title == "U.S. Commerce Dept. adds 28 Chinese organizations to its Entity List"
    assert (press.lists, press.action, press.count, press.countries) == (
        ("EL",),
        "add",
        28,
        ("CN",),
    )
    assert (
        press.link == "https://press.example.invalid/2019/10/entity-list-28-chinese-organizations"
    )


def test_source_health_shows_the_outage_and_freshness(week: Digest) -> None:
    health = {h.source: h for h in week.sources}
    assert set(health) == {
        "csl",
        "federal_register",
        "public_inspection",
        "press:127.0.0.1",
        "press_page:127.0.0.1",
        "ecfr",
        "ecfr_text",
    }
    csl = health["csl"]
    assert csl.down and csl.consecutive_failures == 3 and csl.went_down == 1
    assert csl.last_error and "503" in csl.last_error
    assert csl.last_success_at == WEEK_AT + timedelta(minutes=1)
    assert csl.age == UNTIL - csl.last_success_at
    fr = health["federal_register"]
    assert not fr.down and fr.consecutive_failures == 0 and fr.age and fr.age < timedelta(days=5)


def test_the_baseline_week_has_no_actions(engine: Engine, source_server: SourceServer) -> None:
    record_week(engine, source_server)
    with Session(engine) as session:
        digest = collect_digest(session, since=BASELINE_AT, until=SINCE)
    # Baselines are not actions; the first public inspection filing is news.
    assert digest.by_list == () and digest.new_names == () and digest.rules == ()
    assert [f.document_number for f in digest.filings] == ["2019-22210"]
    assert digest.press == ()


def test_text_render_of_a_real_week(week: Digest) -> None:
    text = digest_text(week)
    assert text.startswith("Entitywatch digest 2026-10-26 to 2026-11-02\n13 list actions, ")
    assert "; DOWN: csl" in text.splitlines()[1]
    assert "\nActions by list\n  EL: 13 added\n" in text
    assert "  China: 5 added\n  Russia: 3 added\n" in text
    assert "  EL (10): AOOK Technology Ltd.; Beijing Ti-Tech" in text
    assert (
        "  88 FR 12170 <http://" in text
        and "(document 2023-03929, effective 2023-02-24, 13 entries)" in text
    )
    assert (
        "  csl: DOWN, 3 failures in a row, last success 4d 14h ago; in this window went down once"
        in text
    )
    assert_within_slack_limits(digest_blocks(week))


def at(
    engine: Engine, moment: datetime, *, kind: str = "added", name: str = "X", **kw: object
) -> None:
    with Session(engine) as session, session.begin():
        record_event(
            session,
            dedupe_key=change_dedupe_key("test", kind, name, moment.isoformat()),
            source="csl",
            kind=kind,
            now=moment,
            summary=name,
            entry_name=name,
            **kw,  # type: ignore[arg-type]
        )


def test_the_window_includes_since_and_excludes_until(engine: Engine) -> None:
    at(engine, SINCE, name="At since", list_code="EL", after={"countries": ["IR"]})
    at(engine, SINCE + timedelta(hours=1), name="At until", list_code="EL")
    at(engine, SINCE, kind="removed", name="Gone", list_code="SDN")
    # SINCE + 1h given in New York time: compared as the instant it names.
    until = datetime(2026, 10, 25, 21, 0, tzinfo=timezone(timedelta(hours=-4)))
    assert until == SINCE + timedelta(hours=1)
    with Session(engine) as session:
        digest = collect_digest(session, since=SINCE, until=until)
    assert digest.by_list == (ActionTally(key="EL", added=1), ActionTally(key="SDN", removed=1))
    assert {t.key for t in digest.by_country} == {"IR", "??"}
    assert digest.new_names == (NewNames(list_code="EL", names=("At since",)),)


def test_500_added_names_fit_one_message(engine: Engine) -> None:
    moment = WEEK_AT
    with Session(engine) as session, session.begin():
        for n in range(500):
            record_event(
                session,
                dedupe_key=change_dedupe_key("test", str(n)),
                source="csl",
                kind="added",
                now=moment,
                summary="",
                list_code=f"L{n % 40:02d}",
                entry_name=f"Very Long Trading & Manufacturing <Name> Number {n:03d} " * 4,
                after={"countries": [f"{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}"]},
            )
    with Session(engine) as session:
        digest = collect_digest(session, since=SINCE, until=UNTIL)
    assert digest.total_actions == 500 and len(digest.by_country) == 500
    assert sum(g.total for g in digest.new_names) == 500
    blocks = digest_blocks(digest)
    assert_within_slack_limits(blocks)
    text = str(blocks)
    assert "&lt;Name&gt;" in text and "<Name>" not in text
    assert "more line" in text


# -- the command -----------------------------------------------------------------


def parse(*argv: str) -> argparse.Namespace:
    """The way `bot.cli` builds it, with only this command registered."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database-url", default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="entitywatch", parents=[common])
    commands = parser.add_subparsers(dest="command", required=True)
    digest_command.register(commands, common)
    return parser.parse_args(["digest", *argv])


def run(args: argparse.Namespace, ctx: AppRoot) -> int:
    handler: Callable[[argparse.Namespace, AppRoot], int] = args.handler
    try:
        return handler(args, ctx)
    finally:
        ctx.close()


def context(sqlite_url: str, **settings: object) -> AppRoot:
    return AppRoot(settings=load_settings(database_url=sqlite_url, **settings))


@pytest.fixture
def recent_import(sqlite_url: str) -> None:
    """A CSL baseline two hours ago and an added EL entry an hour ago (the real clock)."""
    engine = create_db_engine(sqlite_url)
    upgrade(engine)
    now = datetime.now(UTC)
    edited = rewrite_csv(SAMPLE_2019, add_aook)
    for data, when in ((SAMPLE_2019, now - timedelta(hours=2)), (edited, now - timedelta(hours=1))):
        import_csl(engine, data, now=when, origin="test", max_removed_share=0.1)
    engine.dispose()


@pytest.fixture(autouse=True)
def _no_slack_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "SLACK_BOT_TOKEN", "ALERT_CHANNEL", "DIGEST_CHANNEL", "SLACK_API_URL", "DIGEST_TIMEZONE",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


def test_print_is_the_default(
    recent_import: None, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = parse()
    assert args.post is False and args.handler is digest_command.run_digest
    assert run(args, context(sqlite_url)) == 0
    out = capsys.readouterr().out
    assert "\nActions by list\n  EL: 1 added\n" in out
    assert "  EL (1): AOOK Technology Ltd.\n" in out
    # `lists import` is not a poll: no source state yet.
    assert out.endswith("\nSources\n  no source has run yet\n")


def test_since_narrows_the_window(
    recent_import: None, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    today = datetime.now(UTC).date().isoformat()
    assert run(parse("--print", "--since", today), context(sqlite_url)) == 0
    assert f"Entitywatch digest {today} to {today}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-13-01", r"--since '2026-13-01' is not a date like 2024-06-03 \(YYYY-MM-DD\)"),
        ("last week", "is not a date"),
        ("20261101", "is not a date"),
        ("2999-01-01", "--since 2999-01-01 is in the future"),
    ],
)
def test_a_bad_since_is_a_one_line_error(sqlite_url: str, value: str, message: str) -> None:
    with pytest.raises(UserError, match=message) as caught:
        run(parse("--since", value), context(sqlite_url))
    assert "\n" not in str(caught.value)


def test_since_is_midnight_in_the_digest_timezone() -> None:
    now = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    berlin = ZoneInfo("Europe/Berlin")
    since = parse_since("2026-10-26", now=now, zone=berlin)
    assert since == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    with pytest.raises(UserError, match="in the future"):
        # Midnight of 2 November in New York is still 6 hours ahead.
        parse_since("2026-11-02", now=now - timedelta(hours=9), zone=ZoneInfo("America/New_York"))


def test_post_goes_to_the_digest_channel_when_set(
    recent_import: None, sqlite_url: str, slack_api: FakeSlackApi
) -> None:
    ctx = context(
        sqlite_url,
        slack_bot_token=SecretStr(slack_api.token),
        alert_channel="C0ALERTS",
        digest_channel="C0WEEKLY",
        slack_api_url=slack_api.base_url,
    )
    assert run(parse("--post", "--since", "2026-01-01"), ctx) == 0
    assert slack_api.messages("C0ALERTS") == []
    assert len(slack_api.messages("C0WEEKLY")) == 1


def test_print_and_post_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        parse("--print", "--post")
    assert caught.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("settings", "variable"),
    [
        ({"alert_channel": "C0DIGEST"}, "SLACK_BOT_TOKEN"),
        ({"slack_bot_token": "xoxb-1"}, "DIGEST_CHANNEL or ALERT_CHANNEL"),
    ],
)
def test_post_names_the_missing_setting(
    sqlite_url: str, settings: dict[str, object], variable: str
) -> None:
    with pytest.raises(UserError, match=variable):
        run(parse("--post"), context(sqlite_url, **settings))


def test_post_sends_the_digest_and_its_chart(
    recent_import: None,
    sqlite_url: str,
    slack_api: FakeSlackApi,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ctx = context(
        sqlite_url,
        slack_bot_token=SecretStr(slack_api.token),
        alert_channel="C0DIGEST",
        slack_api_url=slack_api.base_url,
    )
    assert run(parse("--post"), ctx) == 0
    (message,) = slack_api.messages("C0DIGEST")
    assert capsys.readouterr().out == f"digest posted to C0DIGEST (ts {message['ts']})\n"
    assert message["text"].startswith("Entitywatch digest ") and "1 list action," in message["text"]
    (chart,) = slack_api.files
    assert chart.thread_ts == message["ts"] and chart.content.startswith(b"\x89PNG")


def test_post_refused_by_slack_is_a_one_line_error(
    recent_import: None, sqlite_url: str, slack_api: FakeSlackApi
) -> None:
    slack_api.declare_unknown_channel("C0NOWHERE")
    ctx = context(
        sqlite_url,
        slack_bot_token=SecretStr(slack_api.token),
        alert_channel="C0NOWHERE",
        slack_api_url=slack_api.base_url,
    )
    with pytest.raises(UserError, match=r"^Slack refused the digest: channel_not_found$"):
        run(parse("--post"), ctx)
    assert slack_api.files == []

"""Rendering, charting and posting a digest built in memory.

Posting goes through the real `slack_sdk.WebClient` to the local fake Slack Web
API, the three-step `files_upload_v2` included.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.digest.chart import digest_chart_png
from bot.services.digest.model import (
    ActionTally,
    Digest,
    InspectionFiling,
    NewNames,
    PressAnnouncement,
    RuleNotice,
    SourceHealth,
)
from bot.services.digest.tally import actions_from, new_names, tally
from bot.slack.blocks.digest import digest_blocks, digest_text, format_age
from bot.slack.blocks.kit import HEADER_CHARS, MAX_BLOCKS, SECTION_CHARS
from bot.slack.blocks.pack import Part, pack
from bot.slack.digest_post import CHART_FILENAME, post_digest
from storage.models import ChangeRow
from tests.fakes.slack_api import FakeSlackApi

SINCE = datetime(2026, 10, 26, tzinfo=UTC)
UNTIL = datetime(2026, 11, 2, tzinfo=UTC)
CHANNEL = "C0DIGEST"


def assert_within_slack_limits(blocks: list[dict[str, Any]]) -> None:
    assert 0 < len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if block["type"] == "header":
            assert block["text"]["type"] == "plain_text"
            assert 0 < len(block["text"]["text"]) <= HEADER_CHARS
        elif block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= SECTION_CHARS
        elif block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10
            assert all(len(e["text"]) <= SECTION_CHARS for e in block["elements"])
        else:
            assert block == {"type": "divider"}


def health(source: str, **kw: Any) -> SourceHealth:
    values: dict[str, Any] = {
        "last_success_at": UNTIL - timedelta(hours=2),
        "age": timedelta(hours=2),
        "consecutive_failures": 0,
        "down": False,
        "last_error": None,
    }
    return SourceHealth(source=source, **(values | kw))


BUSY = Digest(
    since=SINCE,
    until=UNTIL,
    by_list=(ActionTally(key="EL", added=12, removed=1), ActionTally(key="SDN", modified=4)),
    by_country=(ActionTally(key="CN", added=12), ActionTally(key="??", removed=1, modified=4)),
    new_names=(NewNames(list_code="EL", names=("Acme & Sons <HK>", "Beta Ltd."), more=10),),
    rules=(
        RuleNotice(
            document_number="2023-03929",
            title="Additions of Entities to the Entity List",
            citation="88 FR 12170",
            url="https://www.federalregister.gov/d/2023-03929",
            publication_date=date(2023, 2, 27),
            effective_on=date(2023, 2, 24),
            entries=13,
        ),
    ),
    filings=(
        InspectionFiling(
            document_number="2024-00001",
            title="Entity List Additions",
            filing_type="regular",
            publication_date=date(2024, 1, 3),
            url=None,
        ),
    ),
    press=(
        PressAnnouncement(
            source="press:www.bis.gov",
            title="Commerce adds 28 Chinese organizations",
            link="https://www.bis.gov/press/1",
            lists=("EL",),
            action="add",
            count=28,
            countries=("CN",),
        ),
    ),
    sources=(
        health("csl", down=True, consecutive_failures=5, last_error="HTTP 503", went_down=1),
        health("federal_register"),
        health("press:www.bis.gov", last_success_at=None, age=None, consecutive_failures=2),
    ),
)
QUIET = Digest(since=SINCE, until=UNTIL, sources=(health("csl"),))


def test_text_has_every_section() -> None:
    assert digest_text(BUSY) == "\n".join(
        [
            "Entitywatch digest 2026-10-26 to 2026-11-02",
            "17 list actions, 1 Federal Register rule, 1 public inspection filing, "
            "1 press announcement; DOWN: csl",
            "",
            "Actions by list",
            "  EL: 12 added, 1 removed",
            "  SDN: 4 modified",
            "",
            "Actions by country",
            "  China: 12 added",
            "  ??: 1 removed, 4 modified",
            "",
            "New names",
            "  EL (12): Acme & Sons <HK>; Beta Ltd.; and 10 more",
            "",
            "Federal Register rules",
            "  88 FR 12170 <https://www.federalregister.gov/d/2023-03929>: Additions of Entities"
            " to the Entity List (document 2023-03929, effective 2023-02-24, 13 entries)",
            "",
            "Public inspection",
            "  2024-00001: Entity List Additions (regular, to be published 2024-01-03)",
            "",
            "Press announcements",
            "  Commerce adds 28 Chinese organizations <https://www.bis.gov/press/1>"
            " (add 28, EL, CN)",
            "",
            "Sources",
            "  csl: DOWN, 5 failures in a row, last success 2h 0m ago; in this window went down"
            " once; last error: HTTP 503",
            "  federal_register: ok, last success 2h 0m ago",
            "  press:www.bis.gov: failing, 2 failures in a row, never succeeded",
        ]
    )


def test_a_quiet_week_says_so() -> None:
    assert digest_text(QUIET).splitlines()[3:] == [
        "Lists",
        "  No list actions, rules, filings or announcements in this window.",
        "",
        "Sources",
        "  csl: ok, last success 2h 0m ago",
    ]


def test_blocks_link_bold_and_escape() -> None:
    blocks = digest_blocks(BUSY)
    assert_within_slack_limits(blocks)
    assert blocks[0]["text"]["text"] == "Entitywatch digest 2026-10-26 to 2026-11-02"
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert "*EL*: 12 added, 1 removed" in texts[0]
    assert "Acme &amp; Sons &lt;HK&gt;" in texts[2]
    assert "<https://www.federalregister.gov/d/2023-03929|88 FR 12170>: Additions" in texts[3]
    assert "<https://www.bis.gov/press/1|Commerce adds 28 Chinese organizations>" in texts[5]


def long_rule(n: int) -> RuleNotice:
    return RuleNotice(
        document_number=f"2026-{n:05d}",
        title="Revisions to the Entity List and Related Amendments " * 40,
        citation=f"91 FR {n}",
        url=f"https://www.federalregister.gov/d/2026-{n:05d}",
        publication_date=None,
        effective_on=None,
        entries=None,
    )


def test_blocks_stay_within_limits_when_everything_overflows() -> None:
    names = tuple(f"Name {n} " + "x" * 200 for n in range(500))
    huge = Digest(
        since=SINCE,
        until=UNTIL,
        by_list=tuple(ActionTally(key=f"L{n}", added=1) for n in range(300)),
        by_country=tuple(ActionTally(key=f"C{n}", added=1) for n in range(300)),
        new_names=tuple(NewNames(list_code=f"L{n}", names=names) for n in range(60)),
        rules=tuple(long_rule(n) for n in range(200)),
        sources=tuple(health(f"press:feed-{n}", last_error="e" * 5000) for n in range(100)),
    )
    blocks = digest_blocks(huge)
    assert_within_slack_limits(blocks)
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert any("more lines not shown" in s for s in sections)
    assert "and 285 more countries (285 actions)" in "\n".join(sections)


def test_header_and_one_huge_line_are_cut() -> None:
    blocks = pack(
        title="T" * 400, subtitle="s" * 5000, parts=[Part(title="*P*", lines=("y" * 9000,))]
    )
    assert_within_slack_limits(blocks)
    assert blocks[0]["text"]["text"].endswith("…")
    assert blocks[3]["text"]["text"].startswith("*P*\nyyy") and blocks[3]["text"]["text"].endswith(
        "…"
    )


def test_too_many_parts_are_cut_with_a_note() -> None:
    parts = [Part(title=f"*{n}*", lines=("line",)) for n in range(40)]
    blocks = pack(title="t", subtitle="s", parts=parts)
    assert len(blocks) == MAX_BLOCKS
    assert "cut to fit" in blocks[-1]["elements"][0]["text"]


@pytest.mark.parametrize(
    ("age", "shown"),
    [
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=45), "45m"),
        (timedelta(hours=3, minutes=12), "3h 12m"),
        (timedelta(days=2, hours=4, minutes=59), "2d 4h"),
    ],
)
def test_format_age(age: timedelta, shown: str) -> None:
    assert format_age(age) == shown


def change(kind: str, name: str, *, source: str = "csl", **kw: Any) -> ChangeRow:
    return ChangeRow(
        dedupe_key=f"{kind}{name}{kw}", source=source, kind=kind, list_code="EL",
        entry_name=name, detected_at=SINCE, **kw,
    )  # fmt: skip


def test_tally_reads_countries_and_skips_baselines() -> None:
    rows = [
        change("added", "A Co", after={"countries": ["cn", "HK"]}),
        change("added", "a  co", after={"countries": ["CN"]}, source="federal_register"),
        change("added", "A Co", after={"countries": ["HK"]}),
        change("removed", "B Co", before={"countries": ["RU"]}),
        change("modified", "C Co", before={"countries": ["IR"]}, after={"countries": []}),
        change("modified", "D Co", after={"countries": "XX"}),
        change("baseline", "EL"),
        change("press_seen", "x"),
        change("rule_baseline", "y"),
    ]
    actions = actions_from(rows)
    assert [(a.kind, a.name, a.country) for a in actions] == [
        ("added", "A Co", "CN"),
        ("added", "A Co", "HK"),
        ("removed", "B Co", "RU"),
        ("modified", "C Co", "IR"),
        ("modified", "D Co", "??"),
    ]
    assert tally(actions, lambda a: a.list_code) == (
        ActionTally(key="EL", added=2, removed=1, modified=2),
    )
    assert new_names(actions, per_list=1) == (NewNames(list_code="EL", names=("A Co",)),)


# -- chart and posting -------------------------------------------------------------


def test_chart_is_a_png_and_none_without_actions() -> None:
    png = digest_chart_png(BUSY)
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert digest_chart_png(BUSY) == png
    many = Digest(
        since=SINCE,
        until=UNTIL,
        by_list=tuple(ActionTally(key=f"L{n}", added=n + 1) for n in range(30)),
    )
    assert (digest_chart_png(many) or b"").startswith(b"\x89PNG")
    assert digest_chart_png(QUIET) is None
    assert digest_chart_png(Digest(since=SINCE, until=UNTIL, rules=BUSY.rules)) is None


@pytest.fixture
def client(slack_api: FakeSlackApi) -> WebClient:
    return WebClient(token=slack_api.token, base_url=slack_api.base_url)


def test_post_sends_one_message_and_the_chart_in_its_thread(
    client: WebClient, slack_api: FakeSlackApi
) -> None:
    ts = post_digest(client, channel=CHANNEL, digest=BUSY)
    (call,) = slack_api.calls("chat.postMessage")
    assert call.params["unfurl_links"] in (False, "false", "0", 0)
    (message,) = slack_api.messages(CHANNEL)
    assert message["ts"] == ts
    assert message["blocks"] == digest_blocks(BUSY)
    assert message["text"].startswith(
        "Entitywatch digest 2026-10-26 to 2026-11-02: 17 list actions"
    )
    (chart,) = slack_api.files
    assert chart.content == digest_chart_png(BUSY)
    assert (chart.channel, chart.thread_ts, chart.filename) == (CHANNEL, ts, CHART_FILENAME)
    assert chart.title == "Entitywatch digest 2026-10-26 to 2026-11-02"


def test_post_without_actions_uploads_nothing(client: WebClient, slack_api: FakeSlackApi) -> None:
    post_digest(client, channel=CHANNEL, digest=QUIET)
    assert len(slack_api.messages(CHANNEL)) == 1
    assert slack_api.files == [] and slack_api.calls("files.getUploadURLExternal") == []


def test_a_failed_upload_keeps_the_message_and_is_logged(
    client: WebClient, slack_api: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    slack_api.fail_next("files.getUploadURLExternal", error="missing_scope")
    with caplog.at_level(logging.WARNING, logger="bot.slack.digest_post"):
        ts = post_digest(client, channel=CHANNEL, digest=BUSY)
    assert [m["ts"] for m in slack_api.messages(CHANNEL)] == [ts]
    assert slack_api.files == []
    assert "digest.chart_upload_failed" in caplog.text and "error=missing_scope" in caplog.text


def test_a_refused_message_raises_and_uploads_nothing(
    client: WebClient, slack_api: FakeSlackApi
) -> None:
    slack_api.declare_not_joined(CHANNEL)
    with pytest.raises(SlackApiError, match="not_in_channel"):
        post_digest(client, channel=CHANNEL, digest=BUSY)
    assert slack_api.files == []

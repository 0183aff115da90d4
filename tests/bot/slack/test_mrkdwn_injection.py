"""No untrusted string can mention, ping or phish in Slack (issue 12, item 4).

Hostile titles, names, aliases, addresses, press text, counterparty names and
/screen queries go through every alert kind, counterparty alerts, the App Home,
the digest, /screen, Share and /watch. Every field Slack reads as mrkdwn (section
and context texts, and the message's fallback `text`) must hold them escaped:
no raw `<!channel>`, `<!here>`, `<@U123>` or `<https://evil.example|…>`, and a
literal `&lt;` stays literal (`&amp;lt;`). Plain-text fields (headers, buttons)
are not parsed by Slack and are left as they are; button values and ids are not
shown at all.

Tried: the fallback `text` of each alert kind (press and Federal Register titles
reached it raw), Share in channel (the query reached the in-channel `text` raw),
an unsafe link in a press item and a rule (no `<url|label>` for it), a failed
alert whose stored text is already escaped (escaped once on the App Home, not twice).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import Engine

from bot.services.alerts.model import ChangeView, Message
from bot.services.digest.model import (
    ActionTally,
    Digest,
    InspectionFiling,
    NewNames,
    PressAnnouncement,
    RuleNotice,
    SourceHealth,
)
from bot.services.lists_status import UNCHECKED
from bot.services.monitoring.views import HitView
from bot.services.screening import ScreeningService
from bot.settings import Settings, load_settings, thresholds_of
from bot.slack.app import Services
from bot.slack.blocks.alerts import render_action, render_ops_and_baseline, render_reply
from bot.slack.blocks.monitoring import (
    clear_modal,
    delisted_message,
    hit_message,
    summary_message,
)
from bot.slack.blocks.screen import screen_payload
from bot.slack.digest_post import post_digest
from bot.slack.home import HomeData, home_view
from tests.bot.slack.test_app import eventually
from tests.conftest import fixture_bytes
from tests.fakes.bolt_apps import bolt_app
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import (
    USER_ID,
    block_actions_body,
    bolt_request,
    sign,
    slash_command_body,
)
from watchers.csl.importer import import_csl

HOSTILE = "<!channel> <!here> <https://evil.example|Click to verify> AMP&lt;TOKEN <@U123> Acme & Co"
# The markers that must never reach a mrkdwn field unescaped.
RAW = ("<!", "<https://evil", "<http://evil", "<@U123", "AMP&lt;TOKEN")
UNSAFE_URL = "https://evil.example/x|<!channel>"
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
# Keys whose strings Slack never shows as mrkdwn.
_NOT_SHOWN = {"value", "action_id", "block_id", "callback_id", "private_metadata", "type"}


def mrkdwn_strings(node: Any, *, key: str = "") -> Iterator[str]:
    """Every string Slack renders as mrkdwn: everything but plain_text objects and ids."""
    if isinstance(node, dict):
        if node.get("type") == "plain_text":
            return
        for k, v in node.items():
            if k not in _NOT_SHOWN:
                yield from mrkdwn_strings(v, key=k)
    elif isinstance(node, list):
        for item in node:
            yield from mrkdwn_strings(item, key=key)
    elif isinstance(node, str):
        yield node


def assert_escaped(payload: Any, *, expect_hostile: bool = True) -> None:
    strings = list(mrkdwn_strings(payload))
    for s in strings:
        for raw in RAW:
            assert raw not in s, f"raw {raw!r} in {s!r}"
    if expect_hostile:
        # The hostile text is shown (escaped once), not dropped or escaped twice.
        joined = "\n".join(strings)
        assert "&lt;!channel&gt;" in joined
        assert "&amp;amp;" not in joined and "&amp;lt;!channel" not in joined


def view(kind: str, *, n: int = 1, **kw: Any) -> ChangeView:
    fields: dict[str, Any] = {
        "id": n,
        "source": "csl",
        "kind": kind,
        "list_code": "EL",
        "entry_key": f"k{n}",
        "entry_name": None,
        "before": None,
        "after": None,
        "fields": None,
        "document_number": None,
        "effective_date": None,
        "detected_at": NOW,
        "summary": None,
        "snapshot_id": None,
    }
    return ChangeView(**(fields | kw))


def hostile_entry(kind: str, n: int, *, address_only: bool = False) -> ChangeView:
    entry = {
        "name": HOSTILE,
        "aliases": [HOSTILE, "<!everyone>"],
        "addresses": [f"{HOSTILE}, Beijing, CN"],
        "countries": ["CN"],
        "license_requirement": HOSTILE,
        "license_policy": HOSTILE,
        "fr_citations": [HOSTILE],
        "entity_type": "address" if address_only else "entity",
    }
    return view(
        kind,
        n=n,
        entry_name=HOSTILE,
        after=entry if kind != "removed" else None,
        before=entry if kind == "removed" else None,
        fields={HOSTILE: [1, 2]} if kind == "modified" else None,
    )


def signals() -> list[ChangeView]:
    fr = {"source": "federal_register", "document_number": f"2026-{HOSTILE}"}
    return [
        view(
            "public_inspection",
            n=10,
            after={
                "title": HOSTILE,
                "publication_date": HOSTILE,
                "pdf_url": UNSAFE_URL,
            },
            **fr,
        ),
        view(
            "rule_published",
            n=11,
            after={
                "title": HOSTILE,
                "citation": HOSTILE,
                "html_url": UNSAFE_URL,
                "pdf_url": "https://www.govinfo.gov/rule.pdf",
                "parse_error": HOSTILE,
            },
            effective_date=date(2026, 11, 5),
            **fr,
        ),
        view(
            "announcement",
            n=12,
            source="bis_press",
            after={"title": HOSTILE, "link": UNSAFE_URL},
            summary=HOSTILE,
        ),
    ]


def messages_payloads(messages: list[Message]) -> list[dict[str, Any]]:
    assert messages
    return [m.as_payload() for m in messages]


@pytest.mark.parametrize("kind", ["public_inspection", "rule_published", "announcement"])
def test_a_document_or_press_alert_alone_escapes_its_title_in_text_and_blocks(kind: str) -> None:
    (signal,) = [s for s in signals() if s.kind == kind]
    for payload in messages_payloads(render_action([signal])):
        assert_escaped(payload)
        assert "&lt;!channel&gt;" in payload["text"]


def test_csl_changes_and_a_rule_with_entries_escape_every_field() -> None:
    entries = [
        hostile_entry("added", 1),
        hostile_entry("removed", 2),
        hostile_entry("modified", 3),
        hostile_entry("added", 4, address_only=True),
    ]
    fr_entries = [
        view("added", n=20 + i, source="federal_register", entry_name=HOSTILE, after=e.after)
        for i, e in enumerate(entries)
    ]
    for changes in (entries, signals() + fr_entries):
        for payload in messages_payloads(render_action(changes)):
            assert_escaped(payload)
        for payload in messages_payloads(render_reply(changes)):
            assert_escaped(payload)


def test_a_split_action_escapes_the_title_of_every_part() -> None:
    many = [hostile_entry("added", n) for n in range(1, 90)]
    parts = render_action([signals()[2], *many])
    assert len(parts) > 1
    for payload in messages_payloads(parts):
        assert_escaped(payload)


def test_unsafe_links_are_never_written_as_links() -> None:
    (message,) = render_action(signals())
    shown = "\n".join(mrkdwn_strings(message.as_payload()))
    assert "evil.example/x" not in shown.replace("&lt;https://evil.example|", "")
    assert "<https://www.govinfo.gov/rule.pdf|Rule PDF>" in shown


@pytest.mark.parametrize(
    "kind", ["source_down", "source_recovered", "source_never_succeeded", "baseline"]
)
def test_ops_and_baseline_alerts_escape_summaries(kind: str) -> None:
    change = view(kind, source="federal_register", summary=HOSTILE)
    for payload in messages_payloads(render_ops_and_baseline([change])):
        assert_escaped(payload)
    if kind == "source_never_succeeded":
        # Its title is the summary itself: the header keeps it as plain text.
        (message,) = render_ops_and_baseline([change])
        assert "&lt;!channel&gt;" in message.text


def test_counterparty_alerts_escape_names_and_the_modal() -> None:
    hit = HitView(
        hit_id=7,
        counterparty_name=HOSTILE,
        external_id=HOSTILE,
        entry_name=HOSTILE,
        list_code="EL",
        score=0.97,
        band="match",
        why=HOSTILE,
        matched_name=HOSTILE,
        newly_listed=True,
        citation=HOSTILE,
    )
    for message in (hit_message(hit), delisted_message(hit), summary_message([hit], screened=3)):
        assert_escaped(message.as_payload())
    assert_escaped(clear_modal(hit_id=7, counterparty=HOSTILE, entry=HOSTILE, channel="C1"))


def test_app_home_escapes_once_whether_the_stored_text_is_raw_or_escaped() -> None:
    (alert,) = render_action([signals()[2]])
    data = HomeData(
        recent=[(NOW - timedelta(minutes=5), "announcement", HOSTILE)],
        sources=[],
        # A failed alert as stored now (escaped) and as older rows stored it (raw: read back
        # as written, so a literal "&lt;" in an old raw row shows as "<", still inert).
        failed=[
            ("C1", alert.text, HOSTILE),
            ("C2", "Press: <!channel> <https://evil.example|Click> <@U123>", "channel_not_found"),
        ],
        screenings={"match": 1},
    )
    home = home_view(data, now=NOW, lists=UNCHECKED)
    assert_escaped(home)
    shown = json.dumps(home)
    assert "&amp;lt;!channel" not in shown


def test_digest_escapes_text_and_blocks_and_drops_unsafe_links(slack_api: FakeSlackApi) -> None:
    from slack_sdk import WebClient

    digest = Digest(
        since=NOW - timedelta(days=7),
        until=NOW,
        by_list=(ActionTally(key="<!here>", added=2),),
        by_country=(ActionTally(key="<@U123>", added=2),),
        new_names=(NewNames(list_code=HOSTILE, names=(HOSTILE, HOSTILE)),),
        rules=(
            RuleNotice(
                document_number=HOSTILE,
                title=HOSTILE,
                citation=HOSTILE,
                url=UNSAFE_URL,
                publication_date=None,
                effective_on=None,
                entries=2,
            ),
        ),
        filings=(
            InspectionFiling(
                document_number=HOSTILE,
                title=HOSTILE,
                filing_type=HOSTILE,
                publication_date=None,
                url=UNSAFE_URL,
            ),
        ),
        press=(
            PressAnnouncement(
                source="bis_press",
                title=HOSTILE,
                link=UNSAFE_URL,
                lists=(HOSTILE,),
                action=HOSTILE,
                count=2,
                countries=(HOSTILE,),
            ),
        ),
        sources=(
            SourceHealth(
                source=HOSTILE,
                last_success_at=None,
                age=None,
                consecutive_failures=4,
                down=True,
                last_error=HOSTILE,
            ),
        ),
        confirmed_matches=(HOSTILE,),
    )
    client = WebClient(token=slack_api.token, base_url=slack_api.base_url)
    post_digest(client, channel="C0DIGEST", digest=digest)
    (posted,) = slack_api.messages("C0DIGEST")
    assert_escaped({"text": posted["text"], "blocks": posted["blocks"]})
    assert "evil.example/x" not in json.dumps(posted["blocks"])


def test_screen_payload_escapes_the_query_in_text_on_error_and_result() -> None:
    for error in (None, f"cannot read {HOSTILE}"):
        payload = screen_payload(query=HOSTILE, results=[], error=error, lists=UNCHECKED)
        assert_escaped(payload)
    shared = screen_payload(query=HOSTILE, results=[], error=None, shared_by="<!channel>")
    assert_escaped(shared)


# Through the real bolt app: signed /screen, Share in channel and /watch.


@pytest.fixture
def settings(slack_api: FakeSlackApi, signing_secret: str, db_url: str) -> Settings:
    return load_settings(
        slack_bot_token=slack_api.token,
        slack_signing_secret=signing_secret,
        slack_api_url=slack_api.base_url,
        database_url=db_url,
        watchlist_editors=USER_ID,
    )


@pytest.fixture
def app(engine: Engine, settings: Settings) -> Iterator[App]:
    import_csl(
        engine,
        fixture_bytes("csl", "consolidated-2019-sample.csv"),
        now=NOW,
        origin="test",
        max_removed_share=0.1,
    )
    screening = ScreeningService(
        engine=engine, thresholds=thresholds_of(settings), clock=lambda: NOW
    )
    with bolt_app(settings, Services(engine=engine, screening=screening, clock=lambda: NOW)) as app:
        yield app


def command(app: App, slack_api: FakeSlackApi, secret: str, name: str, text: str) -> Any:
    body = slash_command_body(text=text, command=name, response_url=slack_api.response_url())
    response = app.dispatch(bolt_request(body, sign(body, secret)))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


@pytest.mark.parametrize("query", [HOSTILE, f"32 Group China Limited {HOSTILE}"])
def test_screen_and_share_in_channel_escape_the_query(
    app: App, slack_api: FakeSlackApi, signing_secret: str, query: str
) -> None:
    answer = command(app, slack_api, signing_secret, "/screen", query)
    assert_escaped(answer)
    share = next(
        e["value"]
        for b in answer["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "screen_share"
    )
    body = block_actions_body(
        action_id="screen_share", value=share, response_url=slack_api.response_url("share")
    )
    assert app.dispatch(bolt_request(body, sign(body, signing_secret))).status == 200
    (shared,) = eventually(lambda: slack_api.responses)
    assert shared.payload["response_type"] == "in_channel"
    assert_escaped(shared.payload)
    assert f"<@{USER_ID}>" in json.dumps(shared.payload["blocks"])


def test_watch_replies_escape_counterparty_names(
    app: App, slack_api: FakeSlackApi, signing_secret: str
) -> None:
    name = "32 Group China Limited <!channel> <@U123> <https://evil.example> AMP&lt;TOKEN"
    command(app, slack_api, signing_secret, "/watch", f"add {name} | C-<!here>")
    added = eventually(lambda: [r for r in slack_api.responses if "Added" in str(r.payload)])
    assert added, [r.payload for r in slack_api.responses]
    assert_escaped(added[0].payload)
    listing = command(app, slack_api, signing_secret, "/watch", "list")
    assert_escaped(listing)
    hits = command(app, slack_api, signing_secret, "/watch", "hits")
    assert_escaped(hits, expect_hostile=False)
    for reply in eventually(lambda: [r for r in slack_api.responses if "Counterparty" in str(r)]):
        assert_escaped(reply.payload)

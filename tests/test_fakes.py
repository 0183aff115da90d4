"""The fakes behave like the services they stand in for, as seen by the real clients."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.error import URLError

import pytest
import requests
from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RateLimitErrorRetryHandler
from slack_sdk.models.metadata import Metadata
from slack_sdk.signature import SignatureVerifier

from tests.fakes.slack_api import FakeSlackApi, PostedMessage, SimulatedCrash
from tests.fakes.slack_signing import (
    block_actions_body,
    bolt_request,
    sign,
    sign_stale,
    sign_with_wrong_secret,
    slash_command_body,
)
from tests.fakes.source_replies import (
    Reply,
    html_error_page,
    http_date,
    rate_limited,
    server_error,
    strong_etag,
)
from tests.fakes.source_server import SourceServer

CHANNEL = "C0ALERTS"


def client_for(fake: FakeSlackApi, *, token: str | None = None) -> WebClient:
    """A WebClient without retry handlers, so every failure surfaces."""
    return WebClient(base_url=fake.base_url, token=token or fake.token, retry_handlers=[])


# -- fake Slack Web API ---------------------------------------------------------------------


def test_post_message_returns_unique_increasing_ts(slack_api: FakeSlackApi) -> None:
    client = client_for(slack_api)
    first = client.chat_postMessage(channel=CHANNEL, text="Entity List: 28 added")
    second = client.chat_postMessage(channel=CHANNEL, text="details", thread_ts=first["ts"])

    assert first["ts"] == "1700000000.000100"
    assert float(second["ts"]) > float(first["ts"])
    assert first["channel"] == CHANNEL
    assert first["message"]["text"] == "Entity List: 28 added"
    assert second["message"]["thread_ts"] == first["ts"]
    call = slack_api.calls("chat.postMessage")[0]
    assert call.params["text"] == "Entity List: 28 added"
    assert call.headers["authorization"] == f"Bearer {slack_api.token}"


def test_token_is_checked(slack_api: FakeSlackApi) -> None:
    with pytest.raises(SlackApiError) as wrong:
        client_for(slack_api, token="xoxb-someone-else").chat_postMessage(channel=CHANNEL, text="x")
    anonymous = WebClient(base_url=slack_api.base_url, retry_handlers=[])
    with pytest.raises(SlackApiError) as missing:
        anonymous.auth_test()

    assert wrong.value.response["error"] == "invalid_auth"
    assert missing.value.response["error"] == "not_authed"
    assert slack_api.messages(CHANNEL) == []


def test_declared_channels_fail_like_slack(slack_api: FakeSlackApi) -> None:
    slack_api.declare_unknown_channel("C0GONE")
    slack_api.declare_not_joined("C0PRIVATE")
    client = client_for(slack_api)

    errors = []
    for channel in ("C0GONE", "C0PRIVATE"):
        with pytest.raises(SlackApiError) as failure:
            client.chat_postMessage(channel=channel, text="x")
        errors.append(failure.value.response["error"])

    assert errors == ["channel_not_found", "not_in_channel"]


def test_429_surfaces_with_retry_after_without_retry_handler(slack_api: FakeSlackApi) -> None:
    slack_api.fail_next("chat.postMessage", status=429, retry_after=7)
    client = client_for(slack_api)

    with pytest.raises(SlackApiError) as limited:
        client.chat_postMessage(channel=CHANNEL, text="x")
    retried = client.chat_postMessage(channel=CHANNEL, text="x")

    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"
    assert limited.value.response["error"] == "ratelimited"
    assert retried["ok"]
    assert [c.status for c in slack_api.calls("chat.postMessage")] == [429, 200]
    assert len(slack_api.messages(CHANNEL)) == 1


def test_builtin_rate_limit_handler_retries_after_the_header(slack_api: FakeSlackApi) -> None:
    slack_api.fail_next("chat.postMessage", status=429, retry_after=0)
    client = WebClient(
        base_url=slack_api.base_url,
        token=slack_api.token,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )

    assert client.chat_postMessage(channel=CHANNEL, text="x")["ok"]
    assert len(slack_api.calls("chat.postMessage")) == 2


def test_server_errors_and_api_errors(slack_api: FakeSlackApi) -> None:
    slack_api.fail_next("chat.postMessage", status=500)
    slack_api.fail_next("chat.postMessage", error="channel_not_found", times=2)
    client = client_for(slack_api)

    outcomes = []
    for _ in range(3):
        with pytest.raises(SlackApiError) as failure:
            client.chat_postMessage(channel=CHANNEL, text="x")
        outcomes.append((failure.value.response.status_code, failure.value.response["error"]))

    assert outcomes == [
        (500, "internal_error"),
        (200, "channel_not_found"),
        (200, "channel_not_found"),
    ]
    assert client.chat_postMessage(channel=CHANNEL, text="x")["ok"]


def test_history_returns_metadata_newest_first_without_replies(slack_api: FakeSlackApi) -> None:
    client = client_for(slack_api)
    metadata = Metadata(event_type="entitywatch_alert", event_payload={"dedupe_key": "k1"})
    parent = client.chat_postMessage(channel=CHANNEL, text="alert", metadata=metadata)
    client.chat_postMessage(channel=CHANNEL, text="reply", thread_ts=parent["ts"])
    latest = client.chat_postMessage(channel=CHANNEL, text="second alert")

    with_metadata = client.conversations_history(channel=CHANNEL, include_all_metadata=True)
    plain = client.conversations_history(channel=CHANNEL)
    page = client.conversations_history(channel=CHANNEL, oldest=parent["ts"], limit=1)
    thread = client.conversations_replies(channel=CHANNEL, ts=parent["ts"])

    assert [m["text"] for m in with_metadata["messages"]] == ["second alert", "alert"]
    assert with_metadata["messages"][1]["metadata"] == {
        "event_type": "entitywatch_alert",
        "event_payload": {"dedupe_key": "k1"},
    }
    assert all("metadata" not in m for m in plain["messages"])
    assert [m["ts"] for m in page["messages"]] == [latest["ts"]]
    assert [m["text"] for m in thread["messages"]] == ["alert", "reply"]
    assert thread["messages"][0]["reply_count"] == 1


def test_history_pages_with_cursor(slack_api: FakeSlackApi) -> None:
    client = client_for(slack_api)
    for number in range(3):
        client.chat_postMessage(channel=CHANNEL, text=f"m{number}")

    first = client.conversations_history(channel=CHANNEL, limit=2)
    cursor = first["response_metadata"]["next_cursor"]
    rest = client.conversations_history(channel=CHANNEL, limit=2, cursor=cursor)

    assert first["has_more"]
    assert [m["text"] for m in first["messages"] + rest["messages"]] == ["m2", "m1", "m0"]
    assert not rest["has_more"]


def test_update_ephemeral_and_home_view(slack_api: FakeSlackApi) -> None:
    client = client_for(slack_api)
    posted = client.chat_postMessage(channel=CHANNEL, text="pending")
    client.chat_update(channel=CHANNEL, ts=posted["ts"], text="sent")
    client.chat_postEphemeral(channel=CHANNEL, user="U1", text="only you")
    client.views_publish(user_id="U1", view={"type": "home", "blocks": []})

    assert slack_api.messages(CHANNEL)[0]["text"] == "sent"
    assert slack_api.ephemerals[0]["text"] == "only you"
    view = slack_api.view("U1")
    assert view is not None
    assert view["type"] == "home"
    with pytest.raises(SlackApiError) as missing:
        client.chat_update(channel=CHANNEL, ts="1.000000", text="x")
    assert missing.value.response["error"] == "message_not_found"


def test_files_upload_v2_records_the_bytes(slack_api: FakeSlackApi) -> None:
    client = client_for(slack_api)
    parent = client.chat_postMessage(channel=CHANNEL, text="audit export")
    content = b"name,list\nHikvision,EL\n"

    uploaded = client.files_upload_v2(
        channel=CHANNEL,
        content=content,
        filename="audit.csv",
        title="Audit trail",
        thread_ts=parent["ts"],
    )

    assert uploaded["file"]["title"] == "Audit trail"
    [stored] = slack_api.files
    assert (stored.content, stored.filename, stored.title) == (content, "audit.csv", "Audit trail")
    assert (stored.channel, stored.thread_ts) == (CHANNEL, parent["ts"])
    assert [c.method for c in slack_api.calls()][1:] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]


def test_crash_after_post_keeps_the_message_and_loses_the_answer(
    slack_api: FakeSlackApi,
) -> None:
    seen: list[PostedMessage] = []

    def crash(posted: PostedMessage) -> None:
        seen.append(posted)
        raise SimulatedCrash

    slack_api.on_post(crash)
    with pytest.raises((ConnectionError, URLError)):
        client_for(slack_api).chat_postMessage(channel=CHANNEL, text="alert")

    assert [m["ts"] for m in slack_api.messages(CHANNEL)] == [seen[0].ts]


def test_default_client_reposts_after_a_lost_answer(slack_api: FakeSlackApi) -> None:
    answered: list[str] = []

    def crash_once(posted: PostedMessage) -> None:
        answered.append(posted.ts)
        if len(answered) == 1:
            raise SimulatedCrash

    slack_api.on_post(crash_once)
    client = WebClient(base_url=slack_api.base_url, token=slack_api.token)

    second = client.chat_postMessage(channel=CHANNEL, text="alert")

    assert second["ts"] == answered[1]
    assert [m["text"] for m in slack_api.messages(CHANNEL)] == ["alert", "alert"]


def test_concurrent_posts_get_distinct_ts(slack_api: FakeSlackApi) -> None:
    client = client_for(slack_api)

    with ThreadPoolExecutor(max_workers=8) as pool:
        stamps = list(
            pool.map(
                lambda n: client.chat_postMessage(channel=CHANNEL, text=str(n))["ts"], range(40)
            )
        )

    assert len(set(stamps)) == 40
    assert len(slack_api.calls("chat.postMessage")) == 40


def test_reset_forgets_everything(slack_api: FakeSlackApi) -> None:
    client = client_for(slack_api)
    client.chat_postMessage(channel=CHANNEL, text="x")
    slack_api.fail_next("auth.test", error="fatal_error")
    slack_api.reset()

    assert client.auth_test()["ok"]
    assert slack_api.messages(CHANNEL) == []
    assert [c.method for c in slack_api.calls()] == ["auth.test"]


# -- signed requests to bolt -----------------------------------------------------------------


def test_signature_helpers_against_slack_verifier(signing_secret: str) -> None:
    verifier = SignatureVerifier(signing_secret=signing_secret)
    body = slash_command_body(text="Hikvision", response_url="http://127.0.0.1/response/x")

    assert verifier.is_valid_request(body, sign(body, signing_secret))
    assert not verifier.is_valid_request(body, sign_with_wrong_secret(body, signing_secret))
    assert not verifier.is_valid_request(body, sign_stale(body, signing_secret))


def bolt_app(slack_api: FakeSlackApi, signing_secret: str) -> App:
    app = App(
        signing_secret=signing_secret,
        client=client_for(slack_api),
        process_before_response=True,
    )

    @app.command("/screen")
    def screen(ack: Ack, respond: Respond, command: dict[str, str]) -> None:
        ack()
        respond(text=f"screened {command['text']}")

    @app.action("dismiss")
    def dismiss(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="dismissed", replace_original=True)

    return app


def test_bolt_accepts_signed_requests_and_responds_to_response_url(
    slack_api: FakeSlackApi, signing_secret: str
) -> None:
    app = bolt_app(slack_api, signing_secret)
    command = slash_command_body(text="Hikvision", response_url=slack_api.response_url("cmd"))
    action = block_actions_body(
        action_id="dismiss", value="k1", response_url=slack_api.response_url("act")
    )

    answers = [
        app.dispatch(bolt_request(body, sign(body, signing_secret))) for body in (command, action)
    ]

    assert [a.status for a in answers] == [200, 200]
    assert [(r.token, r.payload["text"]) for r in slack_api.responses] == [
        ("cmd", "screened Hikvision"),
        ("act", "dismissed"),
    ]


def test_bolt_rejects_bad_and_stale_signatures(
    slack_api: FakeSlackApi, signing_secret: str
) -> None:
    app = bolt_app(slack_api, signing_secret)
    body = slash_command_body(text="Hikvision", response_url=slack_api.response_url())

    bad = app.dispatch(bolt_request(body, sign_with_wrong_secret(body, signing_secret)))
    stale = app.dispatch(bolt_request(body, sign_stale(body, signing_secret)))

    assert (bad.status, stale.status) == (401, 401)
    assert slack_api.responses == []


# -- recorded-source server ------------------------------------------------------------------

CSV = b"name,source\nHikvision,Entity List (EL)\n"


def test_conditional_get_answers_304(source_server: SourceServer) -> None:
    modified = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    source_server.route(
        "/csl/consolidated.csv",
        body=CSV,
        content_type="text/csv",
        etag=strong_etag(CSV),
        last_modified=modified,
    )
    url = source_server.url("/csl/consolidated.csv")

    first = requests.get(url, timeout=5)
    by_etag = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=5)
    by_date = requests.get(url, headers={"If-Modified-Since": http_date(modified)}, timeout=5)
    older = http_date(modified - timedelta(days=1))
    changed = requests.get(url, headers={"If-Modified-Since": older}, timeout=5)

    assert (first.status_code, first.content) == (200, CSV)
    assert first.headers["Last-Modified"] == "Wed, 01 May 2024 12:00:00 GMT"
    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert by_date.status_code == 304
    assert changed.status_code == 200
    assert source_server.requests("/csl/consolidated.csv")[1].headers["if-none-match"] == (
        strong_etag(CSV)
    )


def test_sequence_scripts_failures_then_success(source_server: SourceServer) -> None:
    ok = Reply(body=b"{}", content_type="application/json")
    source_server.route_sequence("/api/v1/documents.json", [server_error(), rate_limited(60), ok])
    url = source_server.url("/api/v1/documents.json?conditions[type][]=RULE")

    answers = [requests.get(url, timeout=5) for _ in range(4)]

    assert [a.status_code for a in answers] == [500, 429, 200, 200]
    assert answers[1].headers["Retry-After"] == "60"
    assert source_server.requests()[0].params == {"conditions[type][]": ["RULE"]}
    assert source_server.hits("/api/v1/documents.json") == 4


def test_truncated_bodies(source_server: SourceServer) -> None:
    source_server.route("/cut", body=CSV * 50, truncate="connection")
    source_server.route("/short", body=CSV * 50, truncate="body")

    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(source_server.url("/cut"), timeout=5)
    short = requests.get(source_server.url("/short"), timeout=5)

    assert short.content == (CSV * 50)[: len(CSV) * 25]


def test_route_with_query_wins_over_path(source_server: SourceServer) -> None:
    source_server.route("/documents.json", body=b"all")
    source_server.route("/documents.json?page=2", body=b"second")

    second = requests.get(source_server.url("/documents.json"), params={"page": 2}, timeout=5)
    other = requests.get(source_server.url("/documents.json?page=3"), timeout=5)

    assert (second.content, other.content) == (b"second", b"all")


def test_html_error_page_with_200_and_unknown_paths(source_server: SourceServer) -> None:
    source_server.route_reply("/feed.json", html_error_page())

    page = requests.get(source_server.url("/feed.json"), timeout=5)
    missing = requests.get(source_server.url("/nowhere"), timeout=5)

    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert b"<html>" in page.content
    assert missing.status_code == 404


def test_delay_longer_than_client_timeout(source_server: SourceServer) -> None:
    source_server.route("/slow", body=b"late", delay=5.0)

    started = time.monotonic()
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(source_server.url("/slow"), timeout=0.2)

    assert time.monotonic() - started < 2


def test_stop_interrupts_a_slow_answer() -> None:
    server = SourceServer(max_delay=30)
    server.start()
    server.route("/slow", body=b"late", delay=30)
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(server.url("/slow"), timeout=0.1)

    started = time.monotonic()
    server.stop()

    assert time.monotonic() - started < 2


def test_serve_directory(source_server: SourceServer, tmp_path: Path) -> None:
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "bis.xml").write_bytes(b"<rss/>")
    (tmp_path / "consolidated.csv").write_bytes(CSV)

    routed = source_server.serve_directory(tmp_path, prefix="/recorded")
    feed = requests.get(source_server.url("/recorded/feeds/bis.xml"), timeout=5)

    assert routed == ["/recorded/consolidated.csv", "/recorded/feeds/bis.xml"]
    assert feed.content == b"<rss/>"
    assert feed.headers["Content-Type"] in {"application/xml", "text/xml"}
    assert feed.headers["ETag"] == strong_etag(b"<rss/>")

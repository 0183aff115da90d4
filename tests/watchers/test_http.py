"""The fetcher against a real local server: caps, conditional GET, retries, rate limits."""

from __future__ import annotations

import pytest

from tests.fakes.source_replies import Reply, server_error
from tests.fakes.source_server import SourceServer
from watchers.errors import BodyTooLarge, HttpStatusError, TransportError
from watchers.http import HttpFetcher
from watchers.http_pacing import RateLimiter, retry_after_seconds


def make(sleeps: list[float], **kw: object) -> HttpFetcher:
    options: dict[str, object] = {
        "connect_timeout": 2,
        "read_timeout": 0.5,
        "retries": 2,
        "backoff": 0.5,
    }
    return HttpFetcher(sleep=sleeps.append, **(options | kw))  # type: ignore[arg-type]


def test_conditional_get_round_trip(source_server: SourceServer) -> None:
    source_server.route("/x", body=b"data", content_type="text/plain", etag='"v1"')
    fetcher = make([])
    first = fetcher.get(source_server.url("/x"))
    assert first.body == b"data" and first.etag == '"v1"'
    again = fetcher.get(source_server.url("/x"), etag=first.etag)
    assert again.not_modified and again.body is None
    assert source_server.requests("/x")[-1].headers.get("if-none-match") == '"v1"'


def test_size_cap(source_server: SourceServer) -> None:
    source_server.route("/big", body=b"x" * 5000, content_type="text/plain")
    with pytest.raises(BodyTooLarge):
        make([], max_bytes=1000).get(source_server.url("/big"))


def test_server_errors_are_retried_with_growing_jittered_backoff(
    source_server: SourceServer,
) -> None:
    source_server.route_reply("/flaky", server_error(503))
    sleeps: list[float] = []
    with pytest.raises(HttpStatusError) as info:
        make(sleeps).get(source_server.url("/flaky"))
    assert info.value.status == 503
    assert source_server.hits("/flaky") == 3
    assert len(sleeps) == 2 and 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0


def test_client_errors_are_not_retried(source_server: SourceServer) -> None:
    source_server.route("/gone", status=404, body=b"no", content_type="text/plain")
    with pytest.raises(HttpStatusError):
        make([]).get(source_server.url("/gone"))
    assert source_server.hits("/gone") == 1


def test_slow_answer_times_out(source_server: SourceServer) -> None:
    source_server.route_reply("/slow", Reply(body=b"late", content_type="text/plain", delay=2.0))
    with pytest.raises(TransportError, match="timed out"):
        make([], retries=0).get(source_server.url("/slow"))


def test_rate_limiter_spaces_requests() -> None:
    ticks = iter([0.0, 0.0, 0.0, 0.0])
    limiter = RateLimiter(per_second=5, clock=lambda: next(ticks))
    assert [round(limiter.wait_time(), 3) for _ in range(4)] == [0.0, 0.2, 0.4, 0.6]


def test_federal_register_host_is_limited_to_five_per_second(source_server: SourceServer) -> None:
    source_server.route("/api", body=b"{}", content_type="application/json")
    sleeps: list[float] = []
    fetcher = make(sleeps, rate_limits={"127.0.0.1": 5.0})
    for _ in range(6):
        fetcher.get(source_server.url("/api"))
    # Six requests at once at 5/s: each waits 0.2 s more than the one before (sleep is recorded,
    # not slept, so the waits add up from the first request's start).
    assert sleeps == pytest.approx([0.2, 0.4, 0.6, 0.8, 1.0], abs=0.05)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), (None, None), ("soon", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)
def test_retry_after_forms(header: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header, now=1_800_000_000) == seconds

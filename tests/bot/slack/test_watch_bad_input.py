"""`/watch`, the decision buttons and the modal given what a person (or a replay) can send,
as signed requests into the real bolt app, on both databases.

Tried: a NUL in the *Not the same party* reason and in `/watch resolve` (stored as
U+FFFD, no HTTP 500); `/watch add` with a NUL (answered at once); "²" days; hit ids
"abc", "²" and 2^70 in a button, in the modal's metadata and in `/watch resolve` (a
clear answer, never an error page or silence); `/watch resolve` of a hit nobody
confirmed (refused, nothing recorded); a replayed signed *Confirm*, a replayed modal
submission and a replayed `/watch resolve` (one decision each, the replay told "Already
recorded"); a 10 kB reason (refused with its length); a name over
500 characters (`/watch add` says it was not added and why); `/screen` beside an
expired clearance (says "(expired)", as *Share* does).
"""

from __future__ import annotations

import json
from datetime import timedelta

from slack_bolt import App
from sqlalchemy import Engine

from bot.services.monitoring.decisions import decide
from tests.bot.slack import test_watch
from tests.bot.slack.test_app import eventually
from tests.bot.slack.test_watch import NOW, click, decisions, submit, the_hit, watch
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import (
    USER_ID,
    block_actions_body,
    bolt_request,
    sign,
    slash_command_body,
)

BIG = str(2**70)
# The bolt app on a database holding the 2019 sample, as `/watch`'s own tests use it.
settings = test_watch.settings
app = test_watch.app


def added_hit(app: App, slack_api: FakeSlackApi, secret: str, engine: Engine) -> int:
    watch(app, slack_api, secret, "add 32 Group China Limited | C-32")
    return the_hit(engine)


def test_nul_in_reasons_and_names_is_answered_not_a_500(
    app: App, slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    hit = added_hit(app, slack_api, signing_secret, engine)
    click(app, slack_api, signing_secret, "watch_confirm", hit, USER_ID)
    eventually(lambda: decisions(engine))
    done = watch(app, slack_api, signing_secret, f"resolve {hit} closed\x00 for good")
    assert done["text"].startswith("Recorded: 32 Group China Limited (id C-32)")
    ok = submit(
        app, signing_secret, metadata=f"{hit}|", reason="other\x00party", days="30", user=USER_ID
    )
    assert ok == {}
    assert [d.reason for d in decisions(engine)][1:] == [
        "closed\ufffd for good",
        "other\ufffdparty",
    ]
    added = watch(app, slack_api, signing_secret, "add Nul\x00 Trading Ltd | N-1")
    assert added["text"] == (
        "the name holds a control character (U+0000); type it again without it\n"
        + added["text"].split("\n", 1)[1]
    )


def test_numbers_that_are_not_hit_numbers_or_days_get_a_clear_answer(
    app: App, slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    hit = added_hit(app, slack_api, signing_secret, engine)
    for text in (f"resolve {BIG} closed", "resolve ² closed", "resolve abc closed"):
        answer = watch(app, slack_api, signing_secret, text)
        assert answer["response_type"] == "ephemeral"
        assert (
            "not a hit number" in answer["text"] or f"no counterparty hit #{BIG}" in answer["text"]
        )
    for value in ("abc", "²", BIG):
        click(app, slack_api, signing_secret, "watch_confirm", value, USER_ID)  # type: ignore[arg-type]

    def not_recorded() -> list[str]:
        return [str(r.payload) for r in slack_api.responses if "Not recorded" in str(r.payload)]

    assert eventually(lambda: len(not_recorded()) == 3)
    assert sum("is not a hit number" in r for r in not_recorded()) == 2
    assert sum(f"no counterparty hit #{BIG}" in r for r in not_recorded()) == 1
    for metadata in ("abc|", f"{BIG}|", "²|"):
        refused = submit(
            app, signing_secret, metadata=metadata, reason="different city", days="30", user=USER_ID
        )
        assert refused["response_action"] == "errors"
    superscript = submit(
        app, signing_secret, metadata=f"{hit}|", reason="different city", days="²", user=USER_ID
    )
    assert superscript == {
        "response_action": "errors",
        "errors": {"expiry": "the expiry must be a whole number of days from 1 to 3650"},
    }
    assert decisions(engine) == []


def test_resolve_needs_a_confirmed_match_and_a_short_enough_reason(
    app: App, slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    hit = added_hit(app, slack_api, signing_secret, engine)
    unconfirmed = watch(app, slack_api, signing_secret, f"resolve {hit} account closed")
    assert unconfirmed["text"] == (
        f"Not recorded: hit #{hit} is not a confirmed match (undecided); only a confirmed match "
        "is resolved: confirm it first, or clear it as not the same party"
    )
    assert decisions(engine) == []
    click(app, slack_api, signing_secret, "watch_confirm", hit, USER_ID)
    eventually(lambda: decisions(engine))
    essay = "word " * 2_000
    long = watch(app, slack_api, signing_secret, f"resolve {hit} {essay}")
    assert long["text"] == (
        "Not recorded: the reason is 9,999 characters; at most 2,000: shorten it"
    )
    modal = submit(app, signing_secret, metadata=f"{hit}|", reason=essay, days="30", user=USER_ID)
    assert modal["errors"]["reason"].startswith("the reason is 9,999 characters")
    assert [d.decision for d in decisions(engine)] == ["confirm"]


def test_a_replayed_confirm_or_submission_records_one_decision(
    app: App, slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    hit = added_hit(app, slack_api, signing_secret, engine)
    body = block_actions_body(
        action_id="watch_confirm", value=str(hit), response_url=slack_api.response_url()
    )
    headers = sign(body, signing_secret)
    for _ in range(2):  # the same signed request, twice (within Slack's five minutes)
        assert app.dispatch(bolt_request(body, headers)).status == 200

    def replies() -> list[str]:
        return [str(r.payload) for r in slack_api.responses if "ecorded" in str(r.payload)]

    # Both are answered (the listeners run after the ack, possibly at the same time).
    assert eventually(lambda: len(replies()) == 2, timeout=15)
    assert sum("Already recorded (this request arrived twice)" in r for r in replies()) == 1
    assert sum("Recorded: 32 Group China Limited" in r for r in replies()) == 1
    assert [d.decision for d in decisions(engine)] == ["confirm"]
    for _ in range(2):
        submit(
            app, signing_secret, metadata=f"{hit}|", reason="other city", days="30", user=USER_ID
        )
    assert [d.decision for d in decisions(engine)] == ["confirm", "clear"]


def test_a_replayed_resolve_is_already_recorded(
    app: App, slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    hit = added_hit(app, slack_api, signing_secret, engine)
    click(app, slack_api, signing_secret, "watch_confirm", hit, USER_ID)
    eventually(lambda: decisions(engine))
    body = slash_command_body(
        text=f"resolve {hit} account closed",
        command="/watch",
        user_id=USER_ID,
        response_url=slack_api.response_url(),
        trigger_id="13345224609.738474920.replayed",
    )
    headers = sign(body, signing_secret)
    # The same signed request twice: the second finds the match resolved by the first.
    answers = [json.loads(app.dispatch(bolt_request(body, headers)).body) for _ in range(2)]
    said = "32 Group China Limited (id C-32) vs "
    assert answers[0]["text"].startswith(f"Recorded: {said}")
    assert answers[1]["text"].startswith(f"Already recorded (this request arrived twice): {said}")
    assert answers[1]["text"].endswith(" resolved.")
    assert [d.decision for d in decisions(engine)] == ["confirm", "resolve"]


def test_watch_add_says_why_a_long_name_is_not_added(
    app: App, slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    name = "Very Long Name " * 35  # 525 characters
    answer = watch(app, slack_api, signing_secret, f"add {name}| L-1")
    assert answer["text"].startswith(
        "Not added: name is 524 characters (at most 500, as for /screen)."
    )
    assert "Screened against every list" not in json.dumps(slack_api.responses)


def test_screen_shows_an_expired_clearance_as_expired(
    app: App, slack_api: FakeSlackApi, signing_secret: str, engine: Engine
) -> None:
    hit = added_hit(app, slack_api, signing_secret, engine)
    decide(
        engine,
        hit_id=hit,
        decision="clear",
        reason="other city",
        user_id=USER_ID,
        now=NOW - timedelta(days=40),
        days=30,
    )
    body = slash_command_body(text="32 Group China", response_url=slack_api.response_url())
    answer = json.dumps(
        json.loads(app.dispatch(bolt_request(body, sign(body, signing_secret))).body)
    )
    expiry = (NOW - timedelta(days=10)).date().isoformat()
    assert f"until {expiry} (expired)" in answer

"""/watch with a name stored with a right-to-left override, signed into the real bolt app:
it is screened as it displays (a possible match) and listed with its control made visible."""

from __future__ import annotations

from slack_bolt import App
from sqlalchemy import Engine

from tests.bot.slack.test_app import eventually
from tests.bot.slack.test_watch import app, settings, watch  # noqa: F401  (fixtures)
from tests.fakes.slack_api import FakeSlackApi

SHOWN = "32 Group China Limited"


def test_a_name_that_displays_as_a_listed_one_is_screened_and_shown_as_such(
    app: App,  # noqa: F811
    slack_api: FakeSlackApi,
    signing_secret: str,
    engine: Engine,
) -> None:
    stored = "\u202e" + SHOWN[::-1]
    adding = watch(app, slack_api, signing_secret, f"add {stored} | C-32")
    marked = f"\\u202e{SHOWN[::-1]} (displays as “{SHOWN}”)"
    assert marked in adding["text"]
    answer = eventually(lambda: [r for r in slack_api.responses if "Added" in str(r.payload)])
    said = answer[0].payload["text"]
    assert f"Added {marked} (id C-32)" in said and "1 possible match" in said
    listing = watch(app, slack_api, signing_secret, "list")
    assert f"• {marked} (id C-32)" in listing["text"]
    assert "\u202e" not in listing["text"]

"""The App Home shows the same list lines as `entitywatch lists status`, through a signed
`app_home_opened` event into the real bolt app and the fake Slack Web API."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from bot.settings import Settings
from tests.bot.reconcile_setup import (
    LATER,
    import_snapshot,
    poll_kind,
    record_rule_2023_03929,
    serve_ecfr_text,
)
from tests.bot.services.test_reconciliation import csl_2022_bis_lists
from tests.bot.slack.test_app import open_home, services_at, settings
from tests.conftest import fixture_bytes
from tests.fakes.bolt_apps import bolt_app
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import ECFR_VERSIONS

__all__ = ["settings"]  # the fixture, shared with test_app


def test_the_home_tab_lists_each_list_and_its_lag(
    engine: Engine,
    settings: Settings,
    slack_api: FakeSlackApi,
    signing_secret: str,
    source_server: SourceServer,
) -> None:
    record_rule_2023_03929(engine, source_server)
    import_snapshot(engine, csl_2022_bis_lists(), moment=LATER)
    serve_ecfr_text(source_server)
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER).ok
    source_server.route(
        ECFR_VERSIONS, body=fixture_bytes("ecfr", "versions-title-15-part-744.json")
    )
    assert poll_kind(engine, source_server, "ecfr", moment=LATER).ok
    services = services_at(engine, settings, now=LATER + timedelta(hours=1))
    services.screening.refresh()  # the index over 2,000 entries, built before the event
    with bolt_app(settings, services, workers=2) as app:
        home = open_home(app, slack_api, signing_secret, "U0LISTS", timeout=30.0)
    assert "*Lists*" in home
    assert "⚠️ *EL* Entity List | from CSL, Federal Register rules, eCFR Supplement" in home
    assert "lags: CSL lacks 13 entries of FR Doc 2023-03929, effective 2023-02-24" in home
    assert "*MIEU* Military-Intelligence End-User list" in home
    assert "eCFR text through 2023-03-01" in home
    # The eCFR's history is bookkeeping, not a list action: not among the recent actions.
    assert "amended with effect from" not in home

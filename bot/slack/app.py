"""`create_app(settings, services)`: the composition root of the Slack side.

Listeners are thin: they ack, call one service function and render. Every HTTP
request's signature is verified by bolt's RequestVerification middleware (401
for a bad signature or a timestamp older than five minutes); in Socket Mode the
connection itself is authenticated and no signing secret is needed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.app import monitoring_of
from bot.errors import UserError
from bot.services.monitoring.decisions import StandingNotes
from bot.services.monitoring.watch_command import WatchCommands
from bot.services.ownership.service import OwnershipService
from bot.services.screening import Asker, ScreeningOutcome, ScreeningService
from bot.settings import Settings
from bot.slack.blocks.screen import SHARE_ACTION, screen_payload, usage_payload
from bot.slack.client import bot_client
from bot.slack.home import build_home_view
from bot.slack.watch import register_watch_listeners
from screening import MATCH

log = logging.getLogger(__name__)


@dataclass
class Services:
    engine: Engine
    screening: ScreeningService
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    # What the owners of a watched counterparty make of it (the affiliates rule).
    ownership: OwnershipService | None = None
    notes: StandingNotes = field(init=False)

    def ownership_lines(self, query: str, outcome: ScreeningOutcome) -> tuple[str, ...]:
        if self.ownership is None or outcome.error:
            return ()
        owned = self.ownership.answer_for(query, listed_itself=outcome.top_band == MATCH)
        return owned.lines if owned else ()

    def __post_init__(self) -> None:
        self.notes = StandingNotes(self.engine)


def create_app(
    settings: Settings,
    services: Services,
    *,
    socket_mode: bool = False,
    listener_executor: Executor | None = None,
) -> App:
    """The bolt app. Listeners finish their work (the audit row, a shared answer) after
    the ack on `listener_executor`; pass one to wait for that work on shutdown."""
    if not socket_mode and settings.slack_signing_secret is None:
        raise UserError(
            "SLACK_SIGNING_SECRET is not set: HTTP mode verifies every request from Slack with it "
            "(or set SLACK_APP_TOKEN to use Socket Mode)"
        )
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    app = App(
        client=bot_client(settings),
        signing_secret=secret,
        # Socket Mode connections are authenticated by the app token; HTTP requests by signature.
        request_verification_enabled=not socket_mode,
        token_verification_enabled=False,
        listener_executor=listener_executor,
    )
    register_listeners(app, settings=settings, services=services)
    register_watch_listeners(
        app,
        commands=WatchCommands(
            monitoring_of(settings, engine=services.engine, screening=services.screening)
        ),
        editors=settings.watchlist_editors,
        clock=services.clock,
    )
    return app


def register_listeners(app: App, *, settings: Settings, services: Services) -> None:
    @app.command("/screen")
    def screen(ack: Ack, command: dict[str, Any]) -> None:
        query = (command.get("text") or "").strip()
        if not query:
            ack(**usage_payload())
            return
        # Answer first (Slack allows 3 s), audit right after: a busy database must not
        # make the person wait or see a timeout.
        outcome = services.screening.search(query, limit=settings.screen_limit)
        ack(
            **screen_payload(
                query=query,
                results=[r.as_dict() for r in outcome.results],
                error=outcome.error,
                omitted=outcome.omitted,
                lists=outcome.lists,
                decisions=services.notes(
                    (r.entry.entry_key for r in outcome.results), now=services.clock()
                ),
                ownership=services.ownership_lines(query, outcome),
            )
        )
        services.screening.record_later(
            outcome,
            Asker(
                origin="slack",
                user_id=command.get("user_id"),
                user_name=command.get("user_name"),
                channel_id=command.get("channel_id"),
            ),
        )

    @app.action(SHARE_ACTION)
    def share(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        outcome = services.screening.screen(
            body["actions"][0]["value"],
            origin="slack-share",
            limit=settings.screen_limit,
            user_id=user,
            channel_id=(body.get("channel") or {}).get("id"),
        )
        payload = screen_payload(
            query=outcome.query,
            results=[r.as_dict() for r in outcome.results],
            error=outcome.error,
            shared_by=user,
            omitted=outcome.omitted,
            lists=outcome.lists,
            decisions=services.notes(
                (r.entry.entry_key for r in outcome.results), now=services.clock()
            ),
            ownership=services.ownership_lines(outcome.query, outcome),
        )
        respond(replace_original=False, **payload)

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        view = build_home_view(
            services.engine,
            now=services.clock(),
            lists=services.screening.lists_status(),
            stale_after_days=settings.source_stale_after_days,
            lag_after=settings.reconcile_lag_after,
            max_age=settings.lists_max_age,
        )
        client.views_publish(user_id=event["user"], view=view)

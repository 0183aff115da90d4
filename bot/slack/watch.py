"""Slack listeners for the watchlist: `/watch`, *Confirm match*, *Not the same party…*
and its modal. Thin: check who may edit, call one service function, render.
Every answer is ephemeral; the decision history is the audit trail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.services.monitoring.decisions import (
    DecisionError,
    clear_days,
    decide,
    hit_number,
    hit_summary,
    may_edit,
)
from bot.services.monitoring.watch_command import USAGE, WatchCommands, WatchInputError, parse_watch
from bot.slack.blocks.kit import escape, section
from bot.slack.blocks.monitoring import (
    CLEAR_ACTION,
    CLEAR_VIEW,
    CONFIRM_ACTION,
    EXPIRY_BLOCK,
    EXPIRY_INPUT,
    REASON_BLOCK,
    REASON_INPUT,
    clear_modal,
    hit_message,
)
from screening.display import controls_shown

log = logging.getLogger(__name__)

REFUSAL = (
    "Only the watchlist editors can change the watchlist or decide on hits "
    "(setting WATCHLIST_EDITORS); ask one of them."
)


def _ephemeral(lines: list[str]) -> dict[str, Any]:
    text = escape("\n".join(lines))
    return {"response_type": "ephemeral", "text": text, "blocks": [section(text)]}


def _interaction(kind: str, *parts: object) -> str | None:
    """The key of one Slack request, the same when Slack (or anyone) sends it again;
    None when the request lacks what makes it unique (nothing is then deduplicated)."""
    if not all(parts):
        return None
    return ":".join([kind, *(str(p) for p in parts)])


def register_watch_listeners(
    app: App,
    *,
    commands: WatchCommands,
    editors: tuple[str, ...],
    clock: Callable[[], datetime],
) -> None:
    engine = commands.monitoring.engine

    @app.command("/watch")
    def watch(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        user = str(command.get("user_id") or "")
        try:
            parsed = parse_watch(command.get("text") or "")
        except WatchInputError as exc:
            ack(**_ephemeral([str(exc), USAGE]))
            return
        if parsed.action == "help":
            ack(**_ephemeral([USAGE]))
        elif parsed.action == "list":
            ack(**_ephemeral(commands.listing()))
        elif parsed.action == "hits":
            hits = commands.open_hits()
            ack(response_type="ephemeral", text=f"{len(hits)} undecided hits")
            for hit in hits:
                respond(response_type="ephemeral", **hit_message(hit).as_payload())
        elif not may_edit(user, editors):
            ack(**_ephemeral([REFUSAL]))
        elif parsed.action == "remove":
            ack(**_ephemeral(commands.remove(parsed, now=clock())))
        elif parsed.action == "resolve":
            try:
                said = decide(
                    engine,
                    hit_id=parsed.hit_id or 0,
                    decision="resolve",
                    reason=parsed.name,
                    user_id=user,
                    now=clock(),
                    interaction=_interaction("command", command.get("trigger_id")),
                )
            except DecisionError as exc:
                said = f"Not recorded: {exc}"
            ack(**_ephemeral([said]))
        else:
            # Screening a new counterparty may wait for the first index build: answer after.
            ack(**_ephemeral([f"Adding {controls_shown(parsed.name)}…"]))
            respond(**_ephemeral(commands.add(parsed, user_id=user, now=clock())))

    @app.action(CONFIRM_ACTION)
    def confirm(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        if not may_edit(user, editors):
            respond(replace_original=False, **_ephemeral([REFUSAL]))
            return
        action = body["actions"][0]
        try:
            said = decide(
                engine,
                hit_id=hit_number(str(action.get("value") or "")),
                decision="confirm",
                reason="confirmed in Slack",
                user_id=user,
                now=clock(),
                # A replayed click carries the same trigger and action time: recorded once.
                interaction=_interaction("button", body.get("trigger_id"), action.get("action_ts")),
            )
        except DecisionError as exc:
            said = f"Not recorded: {exc}"
        respond(replace_original=False, **_ephemeral([said]))

    @app.action(CLEAR_ACTION)
    def clear(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        if not may_edit(user, editors):
            respond(replace_original=False, **_ephemeral([REFUSAL]))
            return
        try:
            summary = hit_summary(engine, hit_number(str(body["actions"][0].get("value") or "")))
        except DecisionError as exc:
            respond(replace_original=False, **_ephemeral([f"Cannot clear: {exc}"]))
            return
        client.views_open(
            trigger_id=body["trigger_id"],
            view=clear_modal(
                hit_id=summary.hit_id,
                counterparty=summary.counterparty,
                entry=summary.entry_name,
                channel=(body.get("channel") or {}).get("id"),
            ),
        )

    @app.view(CLEAR_VIEW)
    def clear_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user = body["user"]["id"]
        if not may_edit(user, editors):
            ack(response_action="errors", errors={REASON_BLOCK: REFUSAL})
            return
        values = view["state"]["values"]
        reason = str(values[REASON_BLOCK][REASON_INPUT].get("value") or "")
        days_text = str(values[EXPIRY_BLOCK][EXPIRY_INPUT].get("value") or "")
        hit_text, _, channel = str(view.get("private_metadata") or "").partition("|")
        try:
            days = clear_days(days_text)
        except DecisionError as exc:
            ack(response_action="errors", errors={EXPIRY_BLOCK: str(exc)})
            return
        try:
            said = decide(
                engine,
                hit_id=hit_number(hit_text),
                decision="clear",
                reason=reason,
                user_id=user,
                now=clock(),
                days=days,
                # A modal is submitted once; a replayed submission carries the same view.
                interaction=_interaction("view", view.get("id")),
            )
        except DecisionError as exc:
            ack(response_action="errors", errors={REASON_BLOCK: str(exc)})
            return
        ack()
        log.info("watch.cleared hit=%s user=%s", hit_text, user)
        if channel:
            client.chat_postEphemeral(channel=channel, user=user, text=escape(said))

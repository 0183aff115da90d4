"""`entitywatch alerts list [--failed]` and `entitywatch alerts send`."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.errors import UserError
from bot.services.alerts.planner import plan_alerts
from bot.services.alerts.sender import OutboxSender
from bot.services.monitoring.reports import SlackReportUploader
from bot.slack.blocks.alerts import BlockKitAlertMessages
from storage.outbox import failed_messages, forget_outcome, latest_messages, requeue_failed
from storage.outcome import failure_reason


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    alerts = commands.add_parser("alerts", help="the alert outbox", parents=[common])
    actions = alerts.add_subparsers(dest="alerts_command", required=True, metavar="ACTION")
    show = actions.add_parser("list", help="show planned, sent and failed alerts", parents=[common])
    show.add_argument("--failed", action="store_true", help="only alerts that gave up")
    show.add_argument("--limit", type=int, default=50)
    show.set_defaults(handler=run_list)
    send = actions.add_parser(
        "send", help="plan new changes and send what is due", parents=[common]
    )
    send.set_defaults(handler=run_send)
    retry = actions.add_parser(
        "retry",
        help="put failed alerts back in the queue (after fixing the cause)",
        parents=[common],
    )
    retry.add_argument(
        "--checked-not-posted",
        metavar="ID",
        type=int,
        nargs="+",
        default=[],
        help="alerts marked 'may have been posted' that you checked are not in the channel: "
        "post them without a lookup",
    )
    retry.set_defaults(handler=run_retry)


def run_list(args: argparse.Namespace, ctx: AppRoot) -> int:
    with Session(ctx.migrated_engine()) as session:
        if args.failed:
            rows = failed_messages(session, limit=args.limit)
        else:
            rows = latest_messages(session, limit=args.limit)
    if not rows:
        print("no failed alerts" if args.failed else "the outbox is empty")
    for row in rows:
        detail = f"  reason: {failure_reason(row)}" if row.status == "failed" else ""
        print(f"#{row.id} {row.status:<7} {row.channel:<14} {row.text[:80]}{detail}")
    return 0


def run_send(_args: argparse.Namespace, ctx: AppRoot) -> int:
    settings = ctx.settings
    transport = ctx.slack_transport()
    engine = ctx.migrated_engine()
    planned = plan_alerts(
        engine, routing=ctx.routing, messages=BlockKitAlertMessages(), now=ctx.now()
    )
    # Counterparty hits reply in the threads just planned; their CSVs follow the summaries.
    monitoring = ctx.monitoring()
    monitoring.uploader = SlackReportUploader(transport.client)
    monitoring.run_once()
    ctx.crossings().run_once()
    report = OutboxSender(
        engine=engine,
        transport=transport,
        lookups_per_minute=settings.slack_history_lookups_per_minute,
    ).drain()
    monitoring.after_send()
    print(
        f"planned {planned}; sent {report.sent}, recovered {report.recovered}, "
        f"retrying {report.retried}, failed {report.failed}"
    )
    return 0 if report.failed == 0 else 1


def run_retry(args: argparse.Namespace, ctx: AppRoot) -> int:
    with Session(ctx.migrated_engine()) as session, session.begin():
        checked: list[int] = args.checked_not_posted
        if checked and forget_outcome(session, ids=checked) != len(set(checked)):
            raise UserError(
                "--checked-not-posted takes only IDs of failed alerts (alerts list --failed)"
            )
        count = requeue_failed(session, now=ctx.now())
    print(f"requeued {count} failed alert(s); `entitywatch run` (or `alerts send`) sends them")
    return 0

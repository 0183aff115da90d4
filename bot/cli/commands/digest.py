"""`entitywatch digest [--since DATE] [--print | --post]`: the weekly digest, on demand."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.dates import parse_since
from bot.errors import UserError
from bot.services.digest.data import collect_digest
from bot.services.digest.model import Digest
from bot.slack.blocks.digest import digest_text

DEFAULT_DAYS = 7


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser(
        "digest", help="summarize recent list actions and source health", parents=[common]
    )
    cmd.add_argument(
        "--since",
        metavar="DATE",
        default=None,
        help="start of the window, YYYY-MM-DD, midnight in DIGEST_TIMEZONE "
        f"(default: {DEFAULT_DAYS} days ago)",
    )
    where = cmd.add_mutually_exclusive_group()
    where.add_argument(
        "--print",
        dest="post",
        action="store_false",
        help="show the digest in the terminal (default)",
    )
    where.add_argument(
        "--post",
        dest="post",
        action="store_true",
        help="post it to DIGEST_CHANNEL (else ALERT_CHANNEL) with SLACK_BOT_TOKEN",
    )
    cmd.set_defaults(handler=run_digest, post=False)


def run_digest(args: argparse.Namespace, ctx: AppRoot) -> int:
    until = ctx.now()
    zone = ZoneInfo(ctx.settings.digest_timezone)
    since = (
        until - timedelta(days=DEFAULT_DAYS)
        if args.since is None
        else parse_since(args.since, zone=zone, now=until)
    )
    # Slack settings are checked before the database is read: failing fast is cheaper.
    slack = _slack(ctx) if args.post else None
    with Session(ctx.migrated_engine()) as session:
        digest = collect_digest(
            session,
            since=since,
            until=until,
            stale_after_days=ctx.settings.source_stale_after_days,
        )
    if slack is None:
        print(digest_text(digest))
        return 0
    client, channel = slack
    ts = _post(client, channel=channel, digest=digest)
    print(f"digest posted to {channel} (ts {ts})")
    return 0


def _slack(ctx: AppRoot) -> tuple[WebClient, str]:
    client = ctx.slack_client()
    channel = ctx.settings.digest_channel or ctx.settings.alert_channel
    if not channel:
        raise UserError("--post needs DIGEST_CHANNEL or ALERT_CHANNEL (a channel ID or #name)")
    return client, channel


def _post(client: WebClient, *, channel: str, digest: Digest) -> str:
    # Imported here, not at the top: every `entitywatch` command imports this module,
    # and the chart would make each of them pay for importing matplotlib.
    from bot.slack.digest_post import post_digest

    try:
        return post_digest(client, channel=channel, digest=digest)
    except SlackApiError as exc:
        raise UserError(f"Slack refused the digest: {exc.response.get('error')}") from None
    except SlackClientError as exc:
        raise UserError(f"cannot reach Slack at {client.base_url}: {exc}") from None

"""The one place a Slack Web API client is made, and the one check that a bot token is set."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.errors import UserError
from bot.settings import Settings

# A delivery client waits this long for Slack's answer before the sender treats the post's
# outcome as unknown (and looks it up instead of posting again).
DELIVERY_TIMEOUT_SECONDS = 15


def web_client(*, token: str, base_url: str, for_delivery: bool = False) -> WebClient:
    """A client for `base_url` (Slack, a proxy or a test double).

    `for_delivery`: no automatic retries, because a retried post whose first answer was
    lost posts twice; the alert sender decides what to do with every failure.
    """
    if for_delivery:
        return WebClient(
            token=token, base_url=base_url, retry_handlers=[], timeout=DELIVERY_TIMEOUT_SECONDS
        )
    return WebClient(token=token, base_url=base_url)


def bot_client(settings: Settings, *, for_delivery: bool = False) -> WebClient:
    """The bot's client from the settings; a one-line error when there is no bot token."""
    if settings.slack_bot_token is None:
        raise UserError(
            "SLACK_BOT_TOKEN is not set: create the Slack app (see README) and export its "
            "bot token (xoxb-...)"
        )
    return web_client(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        for_delivery=for_delivery,
    )

"""Slack emoji shortcodes in the bot's messages are drawn as emoji in the terminal."""

from __future__ import annotations

import re
from pathlib import Path

from bot.cli.output.blocks_text import EMOJI, mrkdwn_to_text

BOT = Path(__file__).resolve().parents[3] / "bot"
SHORTCODE = re.compile(r"(?<![\w/:]):([a-z][a-z0-9_+-]*):(?![\w/])")


def test_every_shortcode_the_bot_writes_has_an_emoji() -> None:
    used = {m.group(1) for path in BOT.rglob("*.py") for m in SHORTCODE.finditer(path.read_text())}
    assert used and used <= set(EMOJI), used - set(EMOJI)


def test_shortcodes_become_emoji_and_times_and_links_stay() -> None:
    text = ":mag: *ACME* at 10:30:00, <https://example.test/a:b|the rule> :no_such_code:"
    assert mrkdwn_to_text(text) == (
        "🔍 ACME at 10:30:00, the rule (https://example.test/a:b) :no_such_code:"
    )

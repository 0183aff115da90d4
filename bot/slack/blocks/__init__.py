"""bot.slack.blocks."""

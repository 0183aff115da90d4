"""tests.bot.slack.blocks."""

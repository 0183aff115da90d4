"""tests.bot.slack."""

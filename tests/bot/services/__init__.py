"""tests.bot.services."""

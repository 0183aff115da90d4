"""tests.bot.cli."""

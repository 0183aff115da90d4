"""bot.services."""

"""tests.bot.services.alerts."""

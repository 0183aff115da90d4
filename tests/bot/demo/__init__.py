"""tests.bot.demo."""
